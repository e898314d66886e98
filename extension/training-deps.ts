/**
 * The trainer's side of *Train*: the run-spec validator, the data readers and the process runner. The
 * extension imports this module only when the first run starts; the build makes it a bundle of its own
 * (`dist/training-deps.cjs`), so activation neither loads nor parses it.
 */
export { validateSpec } from '../trainer/spec/validate.js';
export { DataError } from '../trainer/data/csv.js';
export { checkDataFitsSpec, loadDataset } from '../trainer/data/dataset.js';
export { startRun } from '../trainer/run.js';
