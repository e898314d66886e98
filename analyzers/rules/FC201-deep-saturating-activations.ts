import type { LayerFact } from '../facts.js';
import type { Rule } from './rule.js';
import { deepestChain, feedingLayer, RESHAPE_ONLY } from './layer-queries.js';
import { hiddenSaturating, isSaturating } from './model-queries.js';

/** Many hidden sigmoid/tanh layers: the gradient vanishes on its way back. */
export const deepSaturatingActivations: Rule = {
  code: 'FC201',
  name: 'deep-saturating-activations',
  severity: 'warning',
  summary: 'A stack of hidden sigmoid/tanh activations: vanishing gradients.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: true,
  local: true,
  lesson: "Unstable gradients: backpropagation multiplies one derivative per layer, ∂f/∂w₁ = ∂f₃/∂f₂·w₃·∂f₂/∂f₁·w₂·∂f₁/∂w₁. When 0 < w and the activation derivative f′ < 1 (sigmoid's derivative is at most 0.25) the product vanishes with depth and the first layers stop learning. ReLU-family activations and batch normalization are the remedies.",
  check(facts, options) {
    const hits = [];
    for (const model of facts.models) {
      // Most models have no stack of sigmoid/tanh at all: a count first spares them the path search.
      if (saturatingCount(model.layers) < options.saturatingDepth) continue;
      // Batch norm right before an activation keeps its input in the steep middle: that layer is not saturating.
      const candidates = new Set(hiddenSaturating(model).filter((l) => feedingLayer(model.layers, l, RESHAPE_ONLY)?.kind !== 'norm'));
      // Only the activations one after another on a path multiply into the gradient.
      const saturating = deepestChain(model.layers, (l) => candidates.has(l));
      if (saturating.length < options.saturatingDepth) continue;
      const first = saturating[0]!;
      hits.push({
        span: first.span,
        // One sentence; the hover and the rule page carry the why.
        message: `${model.name} stacks ${saturating.length} hidden sigmoid/tanh activations, so its first layers' gradients vanish; use ReLU.`,
        // The first is the finding itself; the last shows how deep the stack goes. Nine rows said no more.
        related: (saturating.length > 2 ? [saturating[1]!, saturating[saturating.length - 1]!] : saturating.slice(1)).map((layer, i, shown) => ({
          span: layer.span,
          message: i === shown.length - 1 && saturating.length > 2 ? `saturating ${layer.activation} ${saturating.length} of ${saturating.length}` : `saturating ${layer.activation} 2 of ${saturating.length}`,
        })),
        fixes: saturating.every((l) => l.nameToken) ? [{
          title: 'Use ReLU in the hidden layers',
          edits: saturating.map((l) => ({ span: l.nameToken!.span, newText: l.nameToken!.style === 'class' ? 'ReLU' : 'relu' })),
        }] : [],
      });
    }
    return hits;
  },
};

/** How many sigmoid/tanh activation layers a model has: an upper bound on any stack of them. */
function saturatingCount(layers: readonly LayerFact[]): number {
  let count = 0;
  for (const layer of layers) if (isSaturating(layer)) count++;
  return count;
}
