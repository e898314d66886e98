import type { LayerFact } from '../facts.js';
import type { Rule, RuleHit } from './rule.js';

/** Two activations in a row: the second adds nothing (or undoes the first). */
export const redundantActivations: Rule = {
  code: 'FC203',
  name: 'redundant-activations',
  severity: 'warning',
  summary: 'Two activation functions applied in a row.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: false,
  local: true,
  lesson: 'An activation adds the nonlinearity between two linear layers. A second one straight after adds no capacity: ReLU after ReLU is a no-op, and squashing an already squashed value (sigmoid after tanh) only shrinks the gradient further. Keep one, or put a linear/conv layer between them.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const model of facts.models) {
      for (const layer of model.layers) {
        if (layer.kind !== 'activation') continue;
        const previous = previousActivation(model.layers, layer);
        if (!previous) continue;
        hits.push({
          span: layer.span,
          message: `${layer.api} after ${previous.api} adds no expressive power.`,
          related: [{ span: previous.span, message: 'the first activation' }],
        });
      }
    }
    return hits;
  },
};

function previousActivation(layers: LayerFact[], layer: LayerFact): LayerFact | undefined {
  let current = layer;
  for (let steps = 0; steps < layers.length && current.inputs.length === 1; steps++) {
    const previous = layers[current.inputs[0]!];
    if (!previous) return undefined;
    if (previous.kind === 'activation') return previous;
    if (previous.kind !== 'dropout' && previous.kind !== 'reshape') return undefined;
    current = previous;
  }
  return undefined;
}
