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

/** Skip only reshapes: what feeds a layer, looking through flatten/view. */
export const RESHAPE_ONLY: ReadonlySet<LayerKind> = new Set<LayerKind>(['reshape']);
