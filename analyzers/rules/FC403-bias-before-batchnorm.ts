import type { Rule, RuleHit } from './rule.js';
import { feedingLayer, RESHAPE_ONLY } from './layer-queries.js';

const BIAS_OFF = { pytorch: 'bias=False', keras: 'use_bias=False', tfjs: 'useBias: false', runspec: '"useBias": false' } as const;

/** A bias right before batch norm is subtracted away again. */
export const biasBeforeBatchnorm: Rule = {
  code: 'FC403',
  name: 'bias-before-batchnorm',
  severity: 'info',
  summary: 'A linear/conv layer with a bias directly followed by batch norm.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: false,
  local: true,
  lesson: 'Batch normalization subtracts the batch mean, z̃ = (z − μ)/σ, which removes any constant bias added just before it, and then adds its own learned shift β. The layer\'s bias is wasted parameters and computation.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const model of facts.models) {
      for (const layer of model.layers) {
        if (layer.kind !== 'norm' || layer.norm !== 'batch') continue;
        const previous = feedingLayer(model.layers, layer, RESHAPE_ONLY);
        if (!previous || (previous.kind !== 'linear' && previous.kind !== 'conv') || previous.bias === false) continue;
        hits.push({
          span: previous.span,
          message: `${previous.api} has a bias that ${layer.api} subtracts away; create it with ${BIAS_OFF[model.framework]}.`,
          related: [{ span: layer.span, message: 'the batch norm' }],
        });
      }
    }
    return hits;
  },
};
