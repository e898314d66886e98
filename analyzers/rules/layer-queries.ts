/** Walks a model's data flow backwards through layers that do not change what a rule is about. */
import type { LayerFact, LayerKind } from '../facts.js';

/** The layer feeding `layer`, skipping the given kinds; undefined at a branch or the input. */
export function feedingLayer(layers: LayerFact[], layer: LayerFact, skip: ReadonlySet<LayerKind>): LayerFact | undefined {
  let current = layer;
  for (let steps = 0; steps < layers.length && current.inputs.length === 1; steps++) {
    const previous = layers[current.inputs[0]!];
    if (!previous || !skip.has(previous.kind)) return previous;
    current = previous;
  }
  return undefined;
}

/**
 * The layers that `counts` picks along the data-flow path holding the most of them, in flow order:
 * what a gradient passes through on its way back, so parallel branches (the gates of an LSTM cell)
 * do not add up.
 */
export function deepestChain(layers: LayerFact[], counts: (layer: LayerFact) => boolean): LayerFact[] {
  const depth: number[] = [];
  const via: (number | undefined)[] = [];
  let deepest = -1;
  layers.forEach((layer, i) => {
    let best: number | undefined;
    // Layers come in data-flow order; an input at or after the layer itself is not a path.
    for (const input of layer.inputs) if (input < i && (best === undefined || depth[input]! > depth[best]!)) best = input;
    depth[i] = (best === undefined ? 0 : depth[best]!) + (counts(layer) ? 1 : 0);
    via[i] = best;
    if (deepest < 0 || depth[i]! > depth[deepest]!) deepest = i;
  });
  const chain: LayerFact[] = [];
  for (let i = deepest < 0 ? undefined : deepest; i !== undefined; i = via[i]) if (counts(layers[i]!)) chain.unshift(layers[i]!);
  return chain;
}

/** Skip only reshapes: what feeds a layer, looking through flatten/view. */
export const RESHAPE_ONLY: ReadonlySet<LayerKind> = new Set<LayerKind>(['reshape']);
