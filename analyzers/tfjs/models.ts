/**
 * Models: `tf.sequential({layers: [...]})` with `model.add(...)`, and functional `tf.model({inputs, outputs})`
 * graphs built with `layer.apply(x)`, as data-flow lists of layers.
 */
import type { ts } from 'ts-morph';
import type { TextEdit } from '../core/findings.js';
import type { Activation, LayerFact, ModelFact } from '../facts.js';
import { activationOf, layerSpec, REGULARIZER_OPTIONS, type LayerSpec } from './catalog.js';
import { deleteStatement, removeListElement, replaceNode } from './edits.js';
import type { TfjsFile } from './program.js';
import { TS } from './ts.js';
import { calleeName, enclosingStatement, receiverOf, unwrap } from './syntax.js';

const INPUT = -1;
const MAX_GRAPH_DEPTH = 200;

/** How a layer is written, so that a fix can take it out of the model. */
type Origin =
  | { type: 'element'; list: ts.NodeArray<ts.Node>; node: ts.Node }
  | { type: 'statement'; node: ts.Statement }
  | { type: 'wrap'; call: ts.CallExpression; operand: ts.Expression };

class LayerList {
  readonly layers: LayerFact[] = [];
  readonly origins = new Map<number, Origin>();

  add(layer: Omit<LayerFact, 'inputs'>, inputs: number | number[]): number {
    const list = (Array.isArray(inputs) ? inputs : [inputs]).filter((i) => i >= 0);
    this.layers.push({ ...layer, inputs: list });
    return this.layers.length - 1;
  }

  setOrigin(index: number, origin: Origin): void {
    if (index >= 0 && !this.origins.has(index)) this.origins.set(index, origin);
  }
}

export interface ModelTable {
  models: ModelFact[];
  /** Some layer regularises its weights (`kernelRegularizer`). */
  kernelRegularizer: boolean;
}

/** Finds every model built in the file and fills in its layers. */
export function extractModels(file: TfjsFile): ModelTable {
  const table: ModelTable = { models: [], kernelRegularizer: false };
  const builds: { call: ts.CallExpression; kind: 'sequential' | 'model' }[] = [];
  // First every model is known by its call, so that `model.add(...)` can be matched to it.
  for (const call of file.calls) {
    if (!TS.isCallExpression(call)) continue;
    const path = file.callPath(call);
    if (path !== 'sequential' && path !== 'model') continue;
    const fact: ModelFact = {
      id: `model@${file.src.lineOf(file.src.start(call))}:${file.src.pos(file.src.start(call)).character}`,
      name: file.src.nodeText(call.expression).replace(/\s+/g, ''),
      framework: 'tfjs', span: file.src.span(call), layers: [], output: INPUT, complete: true,
    };
    file.modelsByCall.set(call, fact);
    table.models.push(fact);
    builds.push({ call, kind: path });
  }
  if (builds.length === 0) return table;
  const adds = new Map<ModelFact, ts.CallExpression[]>();
  for (const call of file.calls) {
    if (!TS.isCallExpression(call) || calleeName(call) !== 'add' || call.arguments.length !== 1) continue;
    const model = file.modelOf(receiverOf(call));
    if (!model) continue;
    const list = adds.get(model) ?? [];
    list.push(call);
    adds.set(model, list);
  }
  const builder = new Builder(file, table);
  for (const { call, kind } of builds) {
    const fact = file.modelsByCall.get(call)!;
    if (kind === 'sequential') builder.sequential(call, fact, adds.get(fact) ?? []);
    else builder.functional(call, fact);
  }
  return table;
}

class Builder {
  constructor(private readonly file: TfjsFile, private readonly table: ModelTable) {}

  sequential(call: ts.CallExpression, fact: ModelFact, adds: ts.CallExpression[]): void {
    const list = new LayerList();
    let last = INPUT;
    let width: number | undefined;
    const options = this.file.options(call.arguments[0]);
    const layers = this.file.literal(this.file.option(options, 'layers')?.value);
    if (layers && TS.isArrayLiteralExpression(layers)) {
      for (const element of layers.elements) {
        if (TS.isSpreadElement(element)) {
          last = list.add({ kind: 'unknown', api: '...layers', span: this.file.src.span(element) }, last);
          width = undefined;
          continue;
        }
        const before = list.layers.length;
        ({ last, width } = this.layerExpr(element, list, last, width));
        if (list.layers.length > before) list.setOrigin(before, { type: 'element', list: layers.elements, node: element });
      }
    } else if (options && this.file.option(options, 'layers')) {
      fact.complete = false;
    }
    for (const add of adds) {
      const before = list.layers.length;
      ({ last, width } = this.layerExpr(add.arguments[0]!, list, last, width));
      const statement = enclosingStatement(add);
      const direct = statement && TS.isExpressionStatement(statement) && unwrap(stripAwait(statement.expression)) === add;
      if (list.layers.length > before && direct) list.setOrigin(before, { type: 'statement', node: statement });
    }
    this.finish(fact, list, last);
  }

  functional(call: ts.CallExpression, fact: ModelFact): void {
    const list = new LayerList();
    const options = this.file.options(call.arguments[0]);
    const outputs = this.file.literal(this.file.option(options, 'outputs')?.value);
    const graph = new Map<ts.Node, number>();
    let output = INPUT;
    if (outputs && TS.isArrayLiteralExpression(outputs)) {
      if (outputs.elements.length === 1) output = this.symbolic(outputs.elements[0]!, list, graph, 0);
      else {
        for (const element of outputs.elements) this.symbolic(element, list, graph, 0);
        fact.complete = false;
      }
    } else if (outputs) {
      output = this.symbolic(outputs, list, graph, 0);
    } else {
      fact.complete = false;
    }
    if (output === INPUT) fact.complete = false;
    this.finish(fact, list, output);
  }

  private finish(fact: ModelFact, list: LayerList, output: number): void {
    fact.layers = list.layers;
    fact.output = output;
    attachRemoval(this.file, list, output);
  }

  /** A symbolic tensor of the functional API: `tf.input(...)`, or `layer.apply(x)`; returns the layer index. */
  private symbolic(expr: ts.Expression, list: LayerList, graph: Map<ts.Node, number>, depth: number): number {
    const node = this.file.literal(expr);
    if (!node || depth > MAX_GRAPH_DEPTH) return INPUT;
    const known = graph.get(node);
    if (known !== undefined) return known;
    let result = INPUT;
    if (TS.isCallExpression(node)) {
      const path = this.file.callPath(node);
      if (path === 'input' || path === 'layers.input') {
        result = INPUT;
      } else if (calleeName(node) === 'apply' && node.arguments.length >= 1) {
        const arg = this.file.literal(node.arguments[0]);
        const inputs = arg && TS.isArrayLiteralExpression(arg)
          ? arg.elements.map((e) => this.symbolic(e, list, graph, depth + 1))
          : [this.symbolic(node.arguments[0]!, list, graph, depth + 1)];
        const before = list.layers.length;
        result = this.layerExpr(receiverOf(node)!, list, inputs.length === 1 ? inputs[0]! : inputs, undefined).last;
        if (list.layers.length === before + 1 && list.layers[before]!.kind === 'activation' && inputs.length === 1) {
          list.setOrigin(before, { type: 'wrap', call: node, operand: node.arguments[0]! });
        }
      } else {
        result = list.add({ kind: 'unknown', api: this.file.src.nodeText(node.expression).slice(0, 40), span: this.file.src.span(node) }, []);
      }
    }
    graph.set(node, result);
    return result;
  }

  /** Adds the layer(s) an expression builds (a `tf.layers.*` call, or a variable holding one). */
  private layerExpr(expr: ts.Expression, list: LayerList, input: number | number[], width: number | undefined): { last: number; width: number | undefined } {
    const node = this.file.literal(expr);
    const inputs = input;
    if (!node || !TS.isCallExpression(node)) {
      return { last: list.add({ kind: 'unknown', api: this.file.src.nodeText(expr).slice(0, 40), span: this.file.src.span(expr) }, inputs), width: undefined };
    }
    const path = this.file.callPath(node);
    const spec = path ? layerSpec(path) : undefined;
    if (!spec) {
      return { last: list.add({ kind: 'unknown', api: this.file.src.nodeText(node.expression).slice(0, 40), span: this.file.src.span(node) }, inputs), width: undefined };
    }
    return this.addLayer(node, spec, list, inputs, width);
  }

  private addLayer(call: ts.CallExpression, spec: LayerSpec, list: LayerList, input: number | number[], width: number | undefined): { last: number; width: number | undefined } {
    const file = this.file;
    const api = file.src.nodeText(call.expression).replace(/\s+/g, '');
    const span = file.src.span(call);
    const options = file.options(call.arguments[0]);
    const opt = (key: string) => file.option(options, key);
    if (spec.activationFromOption) {
      const value = opt('activation')?.value;
      const name = file.stringOf(value);
      const written = name ? `${api}({activation: '${name.value}'})` : api;
      const index = list.add({ kind: 'activation', activation: name ? activationOf(name.value) : 'other', api: written, span }, input);
      const token = name ? stringToken(file, value, name.node) : undefined;
      if (token) list.layers[index]!.nameToken = token;
      return { last: index, width };
    }
    const layer: Omit<LayerFact, 'inputs'> = { kind: spec.kind, api, span };
    if (spec.activation) layer.activation = spec.activation;
    if (spec.norm) layer.norm = spec.norm;
    if (spec.depthwise) layer.grouped = true;
    if (spec.rate) {
      const rate = opt('rate');
      const value = file.numberOf(rate?.value);
      if (value !== undefined) layer.rate = value;
      if (rate) layer.rateSpan = file.src.span(rate.value);
    }
    const bias = file.boolOf(opt('useBias')?.value);
    if (bias !== undefined) layer.bias = bias;
    const init = opt('kernelInitializer');
    const constant = init ? constantInitializer(file, init.value) : undefined;
    if (constant && init) layer.constantInit = { kind: constant, span: file.src.span(init.element) };
    if (REGULARIZER_OPTIONS.some((key) => opt(key))) this.table.kernelRegularizer = true;
    // Width tracking gives dense layers a parameter count when their input size is only implied.
    const shape = file.literal(opt('inputShape')?.value ?? opt('batchInputShape')?.value);
    const shapeWidth = shape && TS.isArrayLiteralExpression(shape) ? file.numberOf(shape.elements[shape.elements.length - 1]) : undefined;
    const inputWidth = file.numberOf(opt('inputDim')?.value) ?? shapeWidth ?? width;
    let nextWidth: number | undefined;
    if (spec.kind === 'linear') {
      const units = file.numberOf(opt('units')?.value);
      if (units !== undefined && inputWidth !== undefined) layer.params = inputWidth * units + (bias === false ? 0 : units);
      nextWidth = units;
    } else if (spec.kind === 'embedding') {
      const count = file.numberOf(opt('inputDim')?.value);
      const dim = file.numberOf(opt('outputDim')?.value);
      if (count !== undefined && dim !== undefined) layer.params = count * dim;
    } else if (spec.kind === 'dropout' || spec.kind === 'activation' || spec.kind === 'norm' || api.endsWith('inputLayer')) {
      nextWidth = inputWidth;
    }
    let index = list.add(layer, input);
    if (spec.fusedActivation) {
      const property = opt('activation');
      const name = file.stringOf(property?.value);
      const activation: Activation = property ? (name ? activationOf(name.value) : 'other') : 'linear';
      if (property && activation !== 'linear') {
        index = list.add({ kind: 'activation', activation, api: `${api}({activation: ${file.src.nodeText(property.value)}})`, span: file.src.span(property.element) }, index);
        if (options) list.setOrigin(index, { type: 'element', list: options.properties, node: property.element });
        const token = name ? stringToken(file, property.value, name.node) : undefined;
        if (token) list.layers[index]!.nameToken = token;
      }
    }
    return { last: index, width: nextWidth };
  }
}

function stripAwait(expr: ts.Expression): ts.Expression {
  const inner = unwrap(expr);
  return TS.isAwaitExpression(inner) ? inner.expression : expr;
}

/** `'zeros'`, `'ones'`, `tf.initializers.zeros()`, `tf.initializers.constant({value: 0.1})` → the constant kind. */
function constantInitializer(file: TfjsFile, value: ts.Expression): string | undefined {
  const text = file.stringOf(value);
  if (text) return /^(zeros|ones|constant)$/i.test(text.value) ? text.value.toLowerCase() : undefined;
  const node = file.literal(value);
  if (node && TS.isCallExpression(node)) {
    const path = file.callPath(node) ?? '';
    const match = /^initializers\.(zeros|ones|constant)$/i.exec(path);
    return match ? match[1]!.toLowerCase() : undefined;
  }
  return undefined;
}

/**
 * The content of a string literal (between its quotes), as a renameable token — only when the string is
 * written at the layer: renaming a shared constant (`const act = 'sigmoid'`) would change its other uses too.
 */
function stringToken(file: TfjsFile, written: ts.Expression | undefined, literal: ts.StringLiteralLike): LayerFact['nameToken'] {
  if (!written || unwrap(written) !== literal || file.src.nodeText(literal).length !== literal.text.length + 2) return undefined;
  const start = file.src.start(literal) + 1;
  return { span: file.src.range(start, start + literal.text.length), style: 'string' };
}

/** Output activations get the edits that remove them (quick fixes for FC101, FC103, FC106). */
function attachRemoval(file: TfjsFile, list: LayerList, output: number): void {
  let index = output;
  while (index >= 0 && (list.layers[index]!.kind === 'dropout' || list.layers[index]!.kind === 'reshape') && list.layers[index]!.inputs.length === 1) {
    index = list.layers[index]!.inputs[0]!;
  }
  const layer = list.layers[index];
  const origin = list.origins.get(index);
  if (!layer || layer.kind !== 'activation' || !origin) return;
  let edit: TextEdit | undefined;
  if (origin.type === 'element') edit = removeListElement(file.src, origin.list, origin.node);
  else if (origin.type === 'statement') edit = deleteStatement(file.src, origin.node);
  else edit = replaceNode(file.src, origin.call, file.src.nodeText(origin.operand));
  if (edit) layer.removal = [edit];
}
