/** Builds a model's data-flow list of layers, one operation at a time. */
import type { Activation, LayerFact, LayerKind } from '../facts.js';
import type { SyntaxNode } from './syntax-tree.js';
import type { Span } from '../core/span.js';
import type { LayerSpec } from './catalog.js';

/** How a layer is written, so a fix can remove it. */
export type LayerOrigin =
  | { type: 'element'; node: SyntaxNode }
  | { type: 'statement'; node: SyntaxNode }
  | { type: 'keyword'; node: SyntaxNode }
  | { type: 'wrap'; node: SyntaxNode; operand: SyntaxNode };

/** Index meaning "the model input" (or a value we cannot trace). */
export const INPUT = -1;

export class LayerList {
  readonly layers: LayerFact[] = [];
  readonly origins = new Map<number, LayerOrigin>();

  /** Remembers how the layer at `index` is written (the first origin recorded wins). */
  setOrigin(index: number, origin: LayerOrigin): void {
    if (index >= 0 && !this.origins.has(index)) this.origins.set(index, origin);
  }

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

/**
 * The layer extractor as the graph walkers (Keras functional graphs, forward flow) use it: layers for
 * expressions and calls, and names and literals resolved in the file.
 */
export interface LayerSource {
  layerExpr(expr: SyntaxNode, list: LayerList, input: number, depth: number): number;
  addLayer(call: SyntaxNode, qualified: string, spec: LayerSpec, list: LayerList, input: number): number;
  functionalLayer(call: SyntaxNode, qualified: string, spec: LayerSpec, list: LayerList, inputs: number[]): number;
  qualify(node: SyntaxNode | null | undefined): string | undefined;
  literal(node: SyntaxNode | null | undefined): SyntaxNode | undefined;
}
