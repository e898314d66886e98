import type { Rule, RuleHit } from './rule.js';

const MANY_EPOCHS = 50;

/** Long training with validation but nothing that stops or keeps the best epoch. */
export const noEarlyStopping: Rule = {
  code: 'FC406',
  name: 'no-early-stopping',
  severity: 'info',
  summary: 'Many epochs with validation but no early stopping or best-checkpoint logic.',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  lesson: 'Early stopping: stop training before the model overfits. Validation error usually falls, bottoms out, then rises while training error keeps falling; after that point extra epochs only add variance. Keeping the best epoch\'s weights (or stopping after a patience window) returns the model from the bottom of the curve. In a hand-written loop, track the best validation loss and save that checkpoint (`torch.save`, or `model.save` in TensorFlow.js) or break after a patience window. In Keras pass `callbacks=[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)]`; in TensorFlow.js pass `callbacks: [tf.callbacks.earlyStopping({monitor: \'val_loss\', patience: 10})]`.',
  check(facts) {
    const hits: RuleHit[] = [];
    const pytorchValidates = facts.evaluationSeen || facts.evalLoops.length > 0;
    for (const loop of facts.trainingLoops) {
      if (!loop.outermost || !loop.epochs || loop.epochs.value < MANY_EPOCHS || !pytorchValidates || loop.stopsEarly) continue;
      hits.push({
        span: loop.epochs.span,
        message: message(loop.epochs.value),
      });
    }
    for (const fit of facts.fits) {
      if (!fit.epochs || fit.epochs.value < MANY_EPOCHS || !fit.validation || fit.callbacks.some((c) => /EarlyStopping|ModelCheckpoint/.test(c))) continue;
      hits.push({
        span: fit.epochs.span,
        message: message(fit.epochs.value),
      });
    }
    return hits;
  },
};

/** One sentence; the remedy for each framework is in the lesson. */
function message(epochs: number): string {
  return `${epochs} epochs with validation but no early stopping, so the final model is not the best one.`;
}
