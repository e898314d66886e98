import type { Rule, RuleHit } from './rule.js';

/** Random augmentation in the validation/test pipeline. */
export const augmentationOnEvalData: Rule = {
  code: 'FC506',
  name: 'augmentation-on-eval-data',
  severity: 'warning',
  summary: 'Random augmentation in a validation/test transform.',
  frameworks: ['pytorch'],
  fixable: false,
  local: true,
  lesson: 'Data augmentation fights overfitting by showing the model new variants of the training data. Evaluation must measure the model on the real data, the same way every time: random crops, flips or colour jitter there make validation error noisy and biased, so the bias/variance diagnosis drifts from epoch to epoch. Keep random augmentation in the training transform; evaluate with deterministic resizing/cropping (e.g. Resize + CenterCrop) and the same normalisation.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const transform of facts.transforms) {
      if (transform.role !== 'eval') continue;
      for (const op of transform.randomOps) {
        hits.push({
          span: op.span,
          message: `${op.api} randomly changes validation/test images, so evaluation is noisy.`,
        });
      }
    }
    return hits;
  },
};
