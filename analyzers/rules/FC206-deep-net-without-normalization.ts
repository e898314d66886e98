import type { Rule, RuleHit } from './rule.js';

/** A deep plain stack: no normalization layers and no skip connections. */
export const deepNetWithoutNormalization: Rule = {
  code: 'FC206',
  name: 'deep-net-without-normalization',
  severity: 'info',
  summary: 'A deep stack of layers with no normalization and no residual connections.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: false,
  local: true,
  lesson: 'The deeper the stack, the longer the product of per-layer derivatives in backpropagation, and the more each layer\'s input distribution shifts as earlier layers learn (internal covariate shift). Batch normalization keeps activations in range and, like residual connections, gives gradients a short path to the first layers. Without them training is slow and fragile: add batch (or layer) normalization between layers, or residual connections.',
  check(facts, options) {
    const hits: RuleHit[] = [];
    for (const model of facts.models) {
      let depth = 0;
      for (const layer of model.layers) if (layer.kind === 'linear' || layer.kind === 'conv') depth++;
      if (depth < options.deepNetDepth) continue;
      if (model.layers.some((l) => l.kind === 'norm' || l.kind === 'merge')) continue;
      hits.push({
        span: model.span,
        message: `${model.name} stacks ${depth} linear/conv layers with no normalization or residuals, so gradients may vanish or explode.`,
      });
    }
    return hits;
  },
};
