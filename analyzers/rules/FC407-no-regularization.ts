import type { Rule, RuleHit } from './rule.js';

const LARGE = 1_000_000;

/** A big model with nothing to hold its variance back. */
export const noRegularization: Rule = {
  code: 'FC407',
  name: 'no-regularization',
  severity: 'info',
  summary: 'A large model trained with no weight decay, dropout, normalization or augmentation.',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  lesson: 'Complex models (many parameters) have low bias but high variance: they can memorise the training set. The remedies against overfitting are more data (or augmentation), regularization (L1/L2 weight decay), dropout, batch normalization and early stopping. Fitcheck looks for weight decay, dropout, normalization and data augmentation. Add `weight_decay` to the optimizer (TensorFlow.js: `kernelRegularizer: tf.regularizers.l2()` on the layers, or `tf.layers.dropout`), dropout, or augmentation, and watch the validation error.',
  check(facts) {
    const hits: RuleHit[] = [];
    const fileRegularizes = facts.optimizers.some((o) => (o.weightDecay ?? 0) > 0) || facts.regularization.kernelRegularizer ||
      facts.transforms.some((t) => t.randomOps.length > 0);
    if (fileRegularizes) return hits;
    for (const model of facts.models) {
      const params = model.layers.reduce((sum, l) => sum + (l.params ?? 0), 0);
      if (params < LARGE) continue;
      if (model.layers.some((l) => l.kind === 'dropout' || l.kind === 'norm')) continue;
      hits.push({
        span: model.span,
        message: `${model.name} has about ${(params / 1e6).toFixed(1)}M parameters and nothing regularises it, so it can memorise the training set.`,
      });
    }
    return hits;
  },
};
