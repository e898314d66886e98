/** Keras functional models: the graph from `Model(inputs, outputs)` back through the layer calls before it. */
import type { SyntaxNode } from './syntax-tree.js';
import { isKerasInput, layerSpec } from './catalog.js';
import { INPUT, type LayerList, type LayerSource } from './model-builder.js';
import { callArgs, namedChildrenOf, spanOf, unparen } from './node-queries.js';

/** Walks a Keras functional graph backwards from `outputs` through the assignments before the model call. */
export class KerasGraph {
  private readonly memo = new Map<number, number>();

  constructor(private readonly extractor: LayerSource, private readonly list: LayerList) {}

  resolve(expr: SyntaxNode, depth: number): number {
    const node = unparen(expr);
    if (depth > 64) return INPUT;
    if (node.type === 'list' || node.type === 'tuple') {
      const first = namedChildrenOf(node)[0];
      return first ? this.resolve(first, depth + 1) : INPUT;
    }
    if (node.type === 'identifier') {
      const value = lastAssignmentBefore(node, node.text);
      if (!value) return INPUT;
      const memo = this.memo.get(value.id);
      if (memo !== undefined) return memo;
      const result = this.resolve(value, depth + 1);
      this.memo.set(value.id, result);
      return result;
    }
    if (node.type !== 'call') return INPUT;
    const fn = unparen(node.childForFieldName('function')!);
    const q = this.extractor.qualify(fn);
    if (q && isKerasInput(q)) return INPUT;
    const arg = callArgs(node).positional[0];
    // Layer(...)(x) or a layer held in a variable: layer = Dense(..); y = layer(x)
    let constructor: SyntaxNode | undefined = fn.type === 'call' ? fn : undefined;
    if (!constructor && fn.type === 'identifier') {
      const bound = lastAssignmentBefore(fn, fn.text);
      if (bound && unparen(bound).type === 'call') constructor = unparen(bound);
    }
    if (constructor) {
      const inputs = this.inputsOf(arg, depth);
      const cq = this.extractor.qualify(constructor.childForFieldName('function'));
      const spec = cq ? layerSpec(cq) : undefined;
      if (spec?.kind === 'merge') return this.list.add({ kind: 'merge', api: cq!, span: spanOf(constructor) }, inputs);
      if (spec && cq) {
        const before = this.list.layers.length;
        const index = this.extractor.addLayer(constructor, cq, spec, this.list, inputs[0] ?? INPUT);
        if (arg && this.list.layers.length === before + 1) this.list.setOrigin(index, { type: 'wrap', node, operand: arg });
        return index;
      }
      return this.list.unknown(constructor.text.slice(0, 40), spanOf(constructor), inputs);
    }
    const input = arg ? this.resolve(arg, depth + 1) : INPUT;
    return this.list.unknown(fn.text.slice(0, 40), spanOf(node), input);
  }

  private inputsOf(arg: SyntaxNode | undefined, depth: number): number[] {
    if (!arg) return [];
    const node = unparen(arg);
    if (node.type === 'list' || node.type === 'tuple') {
      return namedChildrenOf(node).map((n) => this.resolve(n, depth + 1));
    }
    return [this.resolve(node, depth + 1)];
  }
}

/** The right-hand side of the last `name = ...` before `at` in the same function (or module). */
function lastAssignmentBefore(at: SyntaxNode, name: string): SyntaxNode | undefined {
  let scope: SyntaxNode | null = at.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return undefined;
  let found: SyntaxNode | undefined;
  for (const assignment of scope.descendantsOfType('assignment')) {
    if (!assignment || assignment.endIndex > at.startIndex) continue;
    const left = assignment.childForFieldName('left');
    if (left?.type === 'identifier' && left.text === name) found = assignment.childForFieldName('right') ?? undefined;
  }
  return found;
}
