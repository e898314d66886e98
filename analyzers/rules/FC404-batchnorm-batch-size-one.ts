import type { Rule, RuleHit } from './rule.js';

/** Batch statistics of a single example. */
export const batchnormBatchSizeOne: Rule = {
  code: 'FC404',
  name: 'batchnorm-batch-size-one',
  severity: 'error',
  summary: 'A model with batch norm is trained with batch size 1.',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  lesson: 'Batch normalization normalises with the mean and variance of the mini-batch. With one example the variance is zero (PyTorch raises "Expected more than 1 value per channel when training" for BatchNorm1d), and the moving averages learned for test time are meaningless. Use batches of at least 16–32, or GroupNorm/LayerNorm instead.',
  check(facts) {
    const batchNormModels = facts.models.filter((m) => m.layers.some((l) => l.kind === 'norm' && l.norm === 'batch'));
    if (batchNormModels.length === 0) return [];
    const hits: RuleHit[] = [];
    const message = 'Training with batch size 1 and batch normalization: one example has variance 0, so normalisation fails.';
    // BatchNorm2d/3d with one image still has spatial positions to average over: it runs, just badly.
    const flat = batchNormModels.some((m) => m.framework === 'pytorch' && m.layers.some((l) => l.norm === 'batch' && !/[23]d$/.test(l.api)));
    for (const loader of facts.dataLoaders) {
      if (loader.batchSize === 1 && loader.usedForTraining && batchNormModels.some((m) => m.framework === 'pytorch')) {
        hits.push({ span: loader.batchSizeSpan ?? loader.span, message, ...(flat ? {} : { severity: 'warning' as const }) });
      }
    }
    for (const fit of facts.fits) {
      if (fit.batchSize?.value !== 1) continue;
      if (batchNormModels.some((m) => m.id === fit.modelId)) hits.push({ span: fit.batchSize.span, message });
    }
    return hits;
  },
};
