import type { LayerFact, ModelFact } from '../facts.js';
import type { Rule, RuleHit } from './rule.js';

const AFFINE = new Set(['linear', 'conv']);
/**
 * Layers that keep an affine chain affine (at inference): batch norm then uses its running statistics,
 * a per-feature affine map. Layer, group, instance and RMS norm divide each sample by its own spread,
 * which bends the map: a linear layer after one of them is a nonlinearity away from the one before.
 */
function transparent(layer: LayerFact): boolean {
  return layer.kind === 'dropout' || layer.kind === 'reshape' || (layer.kind === 'norm' && layer.norm === 'batch');
}

/** Two linear/conv layers with no activation between them. */
export const missingNonlinearity: Rule = {
  code: 'FC202',
  name: 'missing-nonlinearity',
  severity: 'warning',
  summary: 'Two linear/conv layers in a row with no activation between them.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: false,
  local: true,
  lesson: "A linear layer followed by another linear layer is still one linear map. Depth without nonlinearity adds parameters but not capacity: like a straight line fitted to a curve, the model cannot curve to the true relationship (high bias). Add an activation such as ReLU between them.",
  check(facts) {
    const hits: RuleHit[] = [];
    for (const model of facts.models) {
      const readers = readersOf(model);
      model.layers.forEach((layer) => {
        if (!AFFINE.has(layer.kind)) return;
        const previous = affinePredecessor(model.layers, layer, readers);
        // A grouped (depthwise) convolution next to another is a factorised convolution, linear by design:
        // depthwise-separable blocks keep the two halves together (Xception found them better without an activation between).
        if (!previous || previous.grouped || layer.grouped) return;
        hits.push({
          span: layer.span,
          message: `${layer.api} directly follows ${previous.api} with no activation, so the two collapse into one linear map.`,
          related: [{ span: previous.span, message: `${previous.api} feeds it with no nonlinearity in between` }],
        });
      });
    }
    return hits;
  },
};

/**
 * How many layers on a path to the model's output read each layer's output, by index. A read off that
 * path (`h.size(0)`, `print(h.shape)`, a copy kept for logging) is not another path. All zero when the
 * output is not known.
 */
function readersOf(model: ModelFact): number[] {
  const { layers } = model;
  const readers = new Array<number>(layers.length).fill(0);
  const onPath = new Array<boolean>(layers.length).fill(false);
  const pending = model.output >= 0 ? [model.output] : [];
  for (let index = pending.pop(); index !== undefined; index = pending.pop()) {
    if (onPath[index]) continue;
    onPath[index] = true;
    for (const input of layers[index]?.inputs ?? []) pending.push(input);
  }
  layers.forEach((layer, index) => {
    if (onPath[index]) for (const input of layer.inputs) readers[input] = (readers[input] ?? 0) + 1;
  });
  return readers;
}

/**
 * The linear/conv layer feeding `layer` through transparent layers only, or undefined. Also undefined where
 * an output on the way feeds another path to the model's output (a projection shortcut beside the residual
 * branch, q/k/v projections of one input): the first layer is then shared, and the linear path is a branch
 * by design, not a stack.
 */
function affinePredecessor(layers: LayerFact[], layer: LayerFact, readers: number[]): LayerFact | undefined {
  let current = layer;
  for (let steps = 0; steps < layers.length; steps++) {
    if (current.inputs.length !== 1) return undefined;
    const input = current.inputs[0]!;
    const previous = layers[input];
    if (!previous || (readers[input] ?? 0) > 1) return undefined;
    if (AFFINE.has(previous.kind)) return previous;
    if (!transparent(previous)) return undefined;
    current = previous;
  }
  return undefined;
}
