/** Naming conventions the analyzers read intent from, shared so every rule agrees. */

/** A variable that holds held-out data: `val_loader`, `test_ds`, `valid_set`, `dev_batches`, `holdout`, `x_te`. */
export const EVAL_DATA_NAME = /(^|_)(val|valid|validation|test|testing|eval|evaluation|dev|holdout)(_|$|loader|set|data|dl|ds)|^(val|test|eval|dev)|_te$/i;
