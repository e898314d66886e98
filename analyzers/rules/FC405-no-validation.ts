import type { Rule, RuleHit } from './rule.js';
import { trains } from './loop-queries.js';

/** Training with no held-out evaluation: variance is invisible. */
export const noValidation: Rule = {
  code: 'FC405',
  name: 'no-validation',
  severity: 'warning',
  summary: 'A model is trained with no held-out evaluation.',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  lesson: 'The bias/variance diagnosis needs two numbers: training error (above ε means high bias) and error on data the model never trained on (far above training error means high variance). Without a validation or test set only the first is known, so overfitting goes unnoticed. Split off a validation set and evaluate it each epoch: in PyTorch under `model.eval()` and `torch.no_grad()`; in Keras pass `validation_split=0.1` (or `validation_data=...`); in TensorFlow.js pass `validationSplit: 0.1` (or `validationData: [xVal, yVal]`).',
  check(facts) {
    const hits: RuleHit[] = [];
    // An agent's environment or a GAN's generator has no held-out set to measure variance on.
    if (facts.paradigm !== 'supervised') return hits;
    const evaluates = facts.evaluationSeen || facts.evalLoops.length > 0;
    if (!evaluates && facts.frameworks.includes('pytorch')) {
      // A trainer class with several training methods (plain, mixed precision, fine-tuning) lacks one validation, not one each.
      const owners = new Set<string>();
      for (const loop of facts.trainingLoops) {
        // A unit test's loop checks an update, a timed loop measures speed: neither trains anything worth validating.
        if (!loop.outermost || loop.inTest || loop.timed || !trains(loop, facts)) continue;
        if (loop.owner !== undefined) {
          if (owners.has(loop.owner)) continue;
          owners.add(loop.owner);
        }
        hits.push({
          span: loop.span,
          message: 'This model is trained but never evaluated on held-out data, so overfitting (high variance) cannot be seen.',
        });
      }
    }
    // model.evaluate(...), or predict(x_te)-style evaluation on held-out data (evaluationSeen).
    if (facts.evaluateCalls.length === 0 && !facts.evaluationSeen) {
      const tfjs = facts.frameworks.includes('tfjs');
      for (const fit of facts.fits) {
        if (fit.validation || fit.demonstration) continue;
        hits.push({
          span: fit.span,
          message: tfjs
            ? 'fit() has no validationData or validationSplit and the model is never evaluated, so overfitting cannot be seen.'
            : 'fit() has no validation_data or validation_split and the model is never evaluated, so overfitting cannot be seen.',
        });
      }
    }
    return hits;
  },
};
