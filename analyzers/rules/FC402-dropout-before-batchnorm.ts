import type { Rule, RuleHit } from './rule.js';
import { feedingLayer, RESHAPE_ONLY } from './layer-queries.js';

/** Dropout feeding batch norm: the statistics differ between training and inference. */
export const dropoutBeforeBatchnorm: Rule = {
  code: 'FC402',
  name: 'dropout-before-batchnorm',
  severity: 'warning',
  summary: 'A dropout layer feeds a batch-norm layer.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: false,
  local: true,
  lesson: 'Batch normalization learns moving averages of μ and σ during training and uses them at test time. Dropout before it changes the variance of its input between training (units dropped, the rest scaled up) and inference (nothing dropped), so the stored statistics no longer fit at test time ("variance shift"). Batch norm also regularises on its own; put dropout after it, or at the end of the block.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const model of facts.models) {
      for (const layer of model.layers) {
        if (layer.kind !== 'norm' || layer.norm !== 'batch') continue;
        const previous = feedingLayer(model.layers, layer, RESHAPE_ONLY);
        if (previous?.kind !== 'dropout') continue;
        hits.push({
          span: previous.span,
          message: `${previous.api} feeds ${layer.api}, whose running statistics then fit training but not inference.`,
          related: [{ span: layer.span, message: 'the batch norm it feeds' }],
        });
      }
    }
    return hits;
  },
};
