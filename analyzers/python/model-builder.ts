/** Builds a model's data-flow list of layers, one operation at a time. */
import type { Activation, LayerFact, LayerKind } from '../facts.js';
import type { Span } from '../core/span.js';

/** Index meaning "the model input" (or a value we cannot trace). */
export const INPUT = -1;

export class LayerList {
  readonly layers: LayerFact[] = [];

  /** Appends a layer fed by `input` (or by nothing) and returns its index. */
  add(layer: Omit<LayerFact, 'inputs'>, inputs: number | number[]): number {
    const list = (Array.isArray(inputs) ? inputs : [inputs]).filter((i) => i >= 0);
    this.layers.push({ ...layer, inputs: list });
    return this.layers.length - 1;
  }

  /** Appends an activation layer. */
  activation(activation: Activation, api: string, span: Span, input: number): number {
    return this.add({ kind: 'activation', activation, api, span }, input);
  }

  /** Appends an op nothing is known about; chains stop there. */
  unknown(api: string, span: Span, input: number | number[]): number {
    return this.add({ kind: 'unknown' as LayerKind, api, span }, input);
  }
}
