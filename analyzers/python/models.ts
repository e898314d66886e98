/**
 * Model extraction: `nn.Sequential(...)`, `nn.Module`/`keras.Model` subclasses (attributes from
 * `__init__`, data flow from `forward`/`call`), Keras `Sequential` (list or `.add`) and functional models.
 */
import type { SyntaxNode } from './syntax-tree.js';
import { integerValue, layerListItems, layerListItemsIn, loopCount } from './layer-list.js';
import type { Framework, LayerFact, ModelFact } from '../facts.js';
import type { TextEdit } from '../core/findings.js';
import { deleteStatementLines, removeListElement, replaceCallWith } from './edits.js';
import {
  functionalSpec, isKerasFunctionalModel, isKerasInput, isKerasSequential, kerasActivation, layerSpec,
  TENSOR_METHODS, TORCH_MODULE_LIST, TORCH_SEQUENTIAL, type LayerSpec,
} from './catalog.js';
import { INPUT, LayerList } from './model-builder.js';
import type { CallSite, ClassInfo, ModuleIndex } from './module-index.js';
import {
  argument, boolValue, callArgs, methodCall, namedChildrenOf, numberValue, spanOf, stringValue, stripPlacement, unparen,
} from './node-queries.js';

/** Where each model lives, so the trace can bind variables to them. */
export interface ModelTable {
  models: ModelFact[];
  /** Model id by the node id of the constructing call (`nn.Sequential(...)`, `keras.Sequential(...)`). */
  byCallNode: Map<number, string>;
  /** Model id by class name. */
  byClass: Map<string, string>;
}

const MAX_DEPTH = 6;

/** Finds every model defined in the file. */
export function extractModels(index: ModuleIndex): ModelTable {
  const table: ModelTable = { models: [], byCallNode: new Map(), byClass: new Map() };
  const extractor = new Extractor(index);
  for (const info of index.classes.values()) {
    if (!index.isModelClass(info.name)) continue;
    const model = extractor.classModel(info);
    table.models.push(model);
    table.byClass.set(info.name, model.id);
  }
  // Module-level models are built by `Sequential(...)` or `Model(...)`; most files have neither.
  const calls = /\b(?:Sequential|Model)\s*\(/.test(index.text) ? index.calls : [];
  for (const site of calls) {
    if (!site.name || !MODEL_CONSTRUCTORS.has(site.name)) continue;
    const call = site.node;
    if (index.insideModelClass(call)) continue;
    const q = index.qualify(site.callee);
    if (!q) continue;
    let model: ModelFact | undefined;
    if (q === TORCH_SEQUENTIAL && !insideCallOf(call, index, TORCH_SEQUENTIAL)) model = extractor.torchSequential(call);
    else if (isKerasSequential(q)) model = extractor.kerasSequential(call);
    else if (isKerasFunctionalModel(q)) model = extractor.kerasFunctional(call);
    if (!model) continue;
    table.models.push(model);
    table.byCallNode.set(call.id, model.id);
  }
  for (const site of /\bload\s*\(/.test(index.text) ? index.calls : []) {
    const model = loadedModel(site, index);
    if (!model) continue;
    table.models.push(model);
    table.byCallNode.set(site.node.id, model.id);
  }
  return table;
}

/**
 * `net = torch.load(path)` whose result is later called (`net(x)`): a model pickled whole. Its layers
 * are unknown, so it is marked `loaded` (it may hold dropout or batch norm); a state dict is never called.
 */
function loadedModel(site: CallSite, index: ModuleIndex): ModelFact | undefined {
  if (site.name !== 'load' || index.qualify(site.callee) !== 'torch.load') return undefined;
  let top = site.node;
  while (top.parent?.type === 'attribute' && top.parent.parent?.type === 'call' && stripPlacement(top.parent.parent).id === top.id) top = top.parent.parent;
  const assignment = top.parent;
  const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === top.id
    ? assignment.childForFieldName('left') : undefined;
  if (target?.type !== 'identifier') return undefined;
  // An identifier needs no escaping in a pattern.
  if (!new RegExp(`(?<![\\w.])${target.text}\\s*\\(`).test(index.text)) return undefined;
  return { id: modelId(site.node), name: target.text, framework: 'pytorch', span: spanOf(site.node), layers: [], output: -1, complete: false, loaded: true };
}

/** Callee names that can construct a model; other calls are not qualified at all. */
const MODEL_CONSTRUCTORS = new Set(['Sequential', 'Model']);

/**
 * A constant initializer on the last weighted layer (the output head, or the only layer of a linear
 * model) breaks no symmetry worth breaking: the units feeding it already differ, or there are none.
 */
function forgiveOutputLayerInit(layers: LayerFact[]): void {
  const weighted = layers.filter((l) => l.kind === 'linear' || l.kind === 'conv' || l.kind === 'recurrent');
  const last = weighted.at(-1);
  if (last?.constantInit) delete last.constantInit;
}

function insideCallOf(node: SyntaxNode, index: ModuleIndex, qualified: string): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'call' && index.qualify(p.childForFieldName('function')) === qualified) return true;
  }
  return false;
}

function modelId(node: SyntaxNode): string {
  return `model@${node.startPosition.row}:${node.startPosition.column}`;
}

class Extractor {
  constructor(private readonly index: ModuleIndex) {}

  torchSequential(call: SyntaxNode): ModelFact {
    const list = new LayerList();
    const output = this.sequentialChain(call, list, INPUT, 0);
    return this.fact(call, 'nn.Sequential', 'pytorch', list, output);
  }

  kerasSequential(call: SyntaxNode): ModelFact {
    const list = new LayerList();
    let last = INPUT;
    const first = argument(callArgs(call), 0, 'layers');
    if (first && (first.type === 'list' || first.type === 'tuple')) {
      let width: number | undefined;
      for (const item of namedChildrenOf(first)) {
        const before = list.layers.length;
        last = this.layerExpr(item, list, last, 0);
        if (list.layers.length === before + 1) list.setOrigin(last, { type: 'element', node: item });
        width = this.denseWidth(item, list.layers.slice(before), width);
      }
    }
    // `model = Sequential()` followed by `model.add(Layer(...))` in the same scope.
    const variable = assignedName(call);
    if (variable) {
      for (const add of addCallsAfter(call, variable)) {
        const before = list.layers.length;
        last = this.layerExpr(add, list, last, 0);
        const statement = add.parent?.parent?.parent;
        if (list.layers.length === before + 1 && statement) list.setOrigin(last, { type: 'statement', node: statement });
      }
    }
    return this.fact(call, 'keras.Sequential', 'keras', list, last);
  }

  kerasFunctional(call: SyntaxNode): ModelFact {
    const list = new LayerList();
    const args = callArgs(call);
    const outputs = argument(args, 1, 'outputs');
    const resolver = new KerasGraph(this, list);
    const output = outputs ? resolver.resolve(outputs, 0) : INPUT;
    return this.fact(call, 'keras.Model', 'keras', list, output);
  }

  classModel(info: ClassInfo): ModelFact {
    const list = new LayerList();
    const forward = info.methods.get('forward') ?? info.methods.get('call');
    const framework: Framework = info.bases.some((b) => b.startsWith('keras.')) ? 'keras' : 'pytorch';
    let output = INPUT;
    let complete = true;
    if (forward) {
      const flow = new ForwardFlow(this, info, list);
      output = flow.run(forward);
    } else {
      // No forward in this class: list its layers in definition order, output unknown.
      complete = false;
      for (const value of info.attributes.values()) this.layerExpr(value, list, INPUT, 0);
    }
    const fact = this.fact(info.node, info.name, framework, list, output);
    fact.complete = complete;
    const name = info.node.childForFieldName('name');
    if (name) fact.span = spanOf(name);
    return fact;
  }

  private fact(node: SyntaxNode, name: string, framework: Framework, list: LayerList, output: number): ModelFact {
    attachRemoval(list, output, this.index.lines);
    forgiveOutputLayerInit(list.layers);
    return { id: modelId(node), name, framework, span: spanOf(node), layers: list.layers, output, complete: true };
  }

  /** Adds the layers of `nn.Sequential(a, b, ...)` as a chain; returns the last index. */
  sequentialChain(call: SyntaxNode, list: LayerList, input: number, depth: number): number {
    let last = input;
    const args = callArgs(call);
    for (const item of args.positional) {
      if (item.type === 'list_splat') {
        // `nn.Sequential(*layers)`: the list built before the call, when it can be read.
        const name = item.namedChildren[0];
        const items = name?.type === 'identifier' && depth < MAX_DEPTH ? layerListItems(name.text, call) : undefined;
        if (!items) last = list.unknown('*layers', spanOf(item), last);
        else for (const layer of items) last = this.layerExpr(layer, list, last, depth + 1);
        continue;
      }
      // nn.Sequential(OrderedDict([('fc', nn.Linear(...)), ...]))
      if (item.type === 'call' && /OrderedDict$/.test(item.childForFieldName('function')?.text ?? '')) {
        const pairs = callArgs(item).positional[0];
        for (const pair of namedChildrenOf(pairs)) {
          const layer = pair?.type === 'tuple' ? namedChildrenOf(pair)[1] : undefined;
          if (layer) last = this.layerExpr(layer, list, last, depth + 1);
        }
        continue;
      }
      const before = list.layers.length;
      last = this.layerExpr(item, list, last, depth + 1);
      if (list.layers.length === before + 1) list.setOrigin(last, { type: 'element', node: item });
    }
    return last;
  }

  /** Adds the layer(s) a constructor expression stands for, fed by `input`; returns the output index. */
  layerExpr(expr: SyntaxNode, list: LayerList, input: number, depth: number): number {
    const node = unparen(expr);
    if (depth > MAX_DEPTH) return list.unknown(node.text.slice(0, 40), spanOf(node), input);
    if (node.type === 'identifier') {
      const constant = this.index.constants.get(node.text);
      if (constant) return this.layerExpr(constant, list, input, depth + 1);
    }
    if (node.type !== 'call') return list.unknown(node.text.slice(0, 40), spanOf(node), input);
    const fn = node.childForFieldName('function');
    const q = this.index.qualify(fn);
    if (q === TORCH_SEQUENTIAL) return this.sequentialChain(node, list, input, depth + 1);
    if (q && isKerasSequential(q)) {
      const inner = this.kerasSequential(node);
      return this.inline(inner.layers, inner.output, list, input);
    }
    const spec = q ? layerSpec(q) : undefined;
    if (spec && q) return this.addLayer(node, q, spec, list, input);
    const className = fn?.type === 'identifier' ? fn.text : undefined;
    if (className && this.index.isModelClass(className)) {
      const inner = this.classModel(this.index.classes.get(className)!);
      return this.inline(inner.layers, inner.output, list, input);
    }
    return list.unknown(fn?.text ?? 'call', spanOf(node), input);
  }

  /** Copies another model's layers in, re-indexed, with its inputs fed by `input`. */
  private inline(layers: ModelFact['layers'], output: number, list: LayerList, input: number): number {
    const offset = list.layers.length;
    for (const layer of layers) {
      const inputs = layer.inputs.length ? layer.inputs.map((i) => i + offset) : [input];
      list.add({ ...layer }, inputs);
    }
    return output >= 0 ? output + offset : list.layers.length - 1;
  }

  /** Adds one known layer (a Keras layer with `activation=` adds two). */
  addLayer(call: SyntaxNode, qualified: string, spec: LayerSpec, list: LayerList, input: number): number {
    const args = callArgs(call);
    const api = shortApi(qualified);
    const span = spanOf(call);
    if (spec.activationFromArg) {
      const value = argument(args, 0, 'activation');
      const index = list.activation(this.activationOf(value), api, span, input);
      const token = value ? stringToken(value) : undefined;
      if (token) list.layers[index]!.nameToken = token;
      return index;
    }
    const layer: Parameters<LayerList['add']>[0] = { kind: spec.kind, api, span };
    if (spec.activation) layer.activation = spec.activation;
    const callee = call.childForFieldName('function');
    if (spec.kind === 'activation' && callee?.type === 'attribute') {
      layer.nameToken = { span: spanOf(callee.childForFieldName('attribute')!), style: 'class' };
    }
    if (spec.norm) layer.norm = spec.norm;
    if (spec.rate) {
      const rateNode = argument(args, spec.rate.index, spec.rate.keyword);
      const value = rateNode ? numberValue(this.index.literal(rateNode)) : spec.rate.default;
      if (value !== undefined && !Number.isNaN(value)) layer.rate = value;
      if (rateNode) layer.rateSpan = spanOf(rateNode);
    }
    const bias = boolValue(this.index.literal(args.keywords.get('bias') ?? args.keywords.get('use_bias')));
    if (bias !== undefined) layer.bias = bias;
    const params = this.parameterCount(qualified, spec, args);
    if (params !== undefined) layer.params = params;
    const init = args.keywords.get('kernel_initializer');
    const constant = init ? this.constantInitializer(init) : undefined;
    if (constant && init) layer.constantInit = { kind: constant, span: spanOf(init.parent ?? init) };
    let index = list.add(layer, input);
    if (spec.fusedActivation) {
      const value = args.keywords.get('activation');
      const activation = value ? this.activationOf(value) : 'linear';
      if (activation !== 'linear') {
        const keyword = value?.parent ?? call;
        index = list.activation(activation, `${api}(activation=${value?.text ?? ''})`, spanOf(keyword), index);
        if (value?.parent) list.setOrigin(index, { type: 'keyword', node: value.parent });
        const token = value ? stringToken(value) : undefined;
        if (token) list.layers[index]!.nameToken = token;
      }
    }
    return index;
  }

  /**
   * Follows the width of a Keras Sequential stack (`Input(shape=(784,))`, `Dense(2048)`, ...) so that
   * Dense layers get a parameter count even when their input size is only implied.
   */
  private denseWidth(item: SyntaxNode, added: LayerFact[], width: number | undefined): number | undefined {
    if (item.type !== 'call') return width;
    const name = this.index.qualify(item.childForFieldName('function'))?.split('.').pop();
    const args = callArgs(item);
    const shape = this.index.literal(args.keywords.get('shape') ?? args.keywords.get('input_shape') ?? (name === 'Input' ? args.positional[0] : undefined));
    const inputWidth = shape?.type === 'tuple' && namedChildrenOf(shape).length === 1 ? numberValue(namedChildrenOf(shape)[0]) : undefined;
    if (name === 'Input' || name === 'InputLayer') return inputWidth;
    if (name !== 'Dense') return added.some((l) => l.kind === 'dropout' || l.kind === 'activation' || l.kind === 'norm') ? width : undefined;
    const units = numberValue(this.index.literal(argument(args, 0, 'units')));
    const dense = added.find((l) => l.kind === 'linear');
    const inputs = inputWidth ?? width;
    if (dense && dense.params === undefined && units !== undefined && inputs !== undefined) {
      dense.params = inputs * units + (dense.bias === false ? 0 : units);
    }
    return units;
  }

  /** Trainable parameters of a layer whose sizes are literal (biases included by default). */
  private parameterCount(qualified: string, spec: LayerSpec, args: ReturnType<typeof callArgs>): number | undefined {
    const n = (index: number, keyword: string) => numberValue(this.index.literal(argument(args, index, keyword)));
    const hasBias = boolValue(this.index.literal(args.keywords.get('bias') ?? args.keywords.get('use_bias'))) !== false;
    const name = qualified.slice(qualified.lastIndexOf('.') + 1);
    if (qualified.startsWith('torch.nn.')) {
      if (spec.kind === 'linear') {
        const inputs = n(0, 'in_features');
        const outputs = n(1, 'out_features');
        return inputs !== undefined && outputs !== undefined ? inputs * outputs + (hasBias ? outputs : 0) : undefined;
      }
      if (spec.kind === 'conv') {
        const inputs = n(0, 'in_channels');
        const outputs = n(1, 'out_channels');
        const kernel = argument(args, 2, 'kernel_size');
        const dims = Number(/(\d)d$/.exec(name)?.[1] ?? 2);
        const literal = this.index.literal(kernel);
        const size = literal?.type === 'tuple'
          ? namedChildrenOf(literal).reduce((p, c) => p * (numberValue(c) ?? NaN), 1)
          : (numberValue(literal) ?? NaN) ** dims;
        if (inputs === undefined || outputs === undefined || Number.isNaN(size)) return undefined;
        return inputs * outputs * size + (hasBias ? outputs : 0);
      }
      if (spec.kind === 'embedding') {
        const count = n(0, 'num_embeddings');
        const dim = n(1, 'embedding_dim');
        return count !== undefined && dim !== undefined ? count * dim : undefined;
      }
      if (spec.kind === 'recurrent') {
        const inputs = n(0, 'input_size');
        const hidden = n(1, 'hidden_size');
        const gates = name.startsWith('LSTM') ? 4 : name.startsWith('GRU') ? 3 : 1;
        const layers = n(2, 'num_layers') ?? 1;
        return inputs !== undefined && hidden !== undefined ? gates * (inputs * hidden + hidden * hidden + 2 * hidden) * layers : undefined;
      }
      return undefined;
    }
    if (name === 'Dense') {
      const units = n(0, 'units');
      const shape = this.index.literal(args.keywords.get('input_shape'));
      const inputs = n(-1, 'input_dim') ?? (shape?.type === 'tuple' && namedChildrenOf(shape).length === 1 ? numberValue(namedChildrenOf(shape)[0]) : undefined);
      return units !== undefined && inputs !== undefined ? inputs * units + (hasBias ? units : 0) : undefined;
    }
    return undefined;
  }

  /** `'zeros'`, `'ones'`, `keras.initializers.Constant(0.1)`, `Zeros()` → the constant kind. */
  private constantInitializer(value: SyntaxNode): string | undefined {
    const literal = this.index.literal(value);
    const text = stringValue(literal);
    if (text !== undefined) return /^(zeros|ones|constant)$/i.test(text) ? text.toLowerCase() : undefined;
    if (literal?.type === 'call') {
      const name = this.index.qualify(literal.childForFieldName('function'))?.split('.').pop() ?? '';
      return /^(Zeros|Ones|Constant|zeros|ones|constant)$/.test(name) ? name.toLowerCase() : undefined;
    }
    return undefined;
  }

  /** A Keras activation argument: `'relu'`, `tf.nn.relu`, `keras.activations.sigmoid`, or a constant. */
  activationOf(value: SyntaxNode | undefined): ReturnType<typeof kerasActivation> {
    if (!value) return 'linear';
    const literal = this.index.literal(value);
    if (literal?.type === 'none') return 'linear';
    const text = stringValue(literal);
    if (text !== undefined) return kerasActivation(text);
    const q = this.index.qualify(value);
    return q ? kerasActivation(q) : 'other';
  }

  /** A functional op call (`F.relu(x)`, `torch.softmax(x, 1)`) as a layer. */
  functionalLayer(call: SyntaxNode, qualified: string, spec: LayerSpec, list: LayerList, inputs: number[]): number {
    const layer: Parameters<LayerList['add']>[0] = { kind: spec.kind, api: shortApi(qualified), span: spanOf(call) };
    if (spec.activation) layer.activation = spec.activation;
    if (spec.norm) layer.norm = spec.norm;
    const callee = call.childForFieldName('function');
    if (spec.kind === 'activation' && callee?.type === 'attribute') {
      layer.nameToken = { span: spanOf(callee.childForFieldName('attribute')!), style: 'function' };
    }
    if (spec.rate) {
      const args = callArgs(call);
      const rateNode = argument(args, spec.rate.index, spec.rate.keyword);
      const value = rateNode ? numberValue(this.index.literal(rateNode)) : spec.rate.default;
      if (value !== undefined) layer.rate = value;
      if (rateNode) layer.rateSpan = spanOf(rateNode);
    }
    if (spec.training) {
      const trainingNode = argument(callArgs(call), spec.training.index, spec.training.keyword);
      const literal = trainingNode ? boolValue(this.index.literal(trainingNode)) : spec.training.default;
      if (!trainingNode && spec.training.default) {
        layer.fixedMode = 'default-on';
        const edit = trainingEditInMethod(call);
        if (edit) layer.modeEdit = edit;
      }
      else if (literal !== undefined) layer.fixedMode = literal ? 'on' : 'off';
    }
    return list.add(layer, inputs);
  }

  qualify(node: SyntaxNode | null | undefined): string | undefined {
    return this.index.qualify(node);
  }

  literal(node: SyntaxNode | null | undefined): SyntaxNode | undefined {
    return this.index.literal(node);
  }
}

/** `, training=self.training` before the closing parenthesis of a call made inside a method taking `self`. */
function trainingEditInMethod(call: SyntaxNode): TextEdit | undefined {
  let node: SyntaxNode | null = call.parent;
  while (node && node.type !== 'function_definition') node = node.parent;
  const first = node?.childForFieldName('parameters')?.namedChildren[0];
  const args = call.childForFieldName('arguments');
  if (first?.text !== 'self' || !args || args.type !== 'argument_list') return undefined;
  const close = spanOf(args).end;
  const at = { line: close.line, character: close.character - 1 };
  const last = args.namedChildren[args.namedChildren.length - 1];
  const trailingComma = last !== undefined && args.text.replace(/\s+/g, '').endsWith(',)');
  return { span: { start: at, end: at }, newText: trailingComma ? ' training=self.training' : ', training=self.training' };
}

/** Output activations get the edits that remove them (quick fixes for FC101, FC103, FC106). */
function attachRemoval(list: LayerList, output: number, lines: string[]): void {
  let index = output;
  while (index >= 0 && ['dropout', 'reshape'].includes(list.layers[index]!.kind) && list.layers[index]!.inputs.length === 1) {
    index = list.layers[index]!.inputs[0]!;
  }
  const layer = list.layers[index];
  const origin = list.origins.get(index);
  if (!layer || layer.kind !== 'activation' || !origin) return;
  let edit;
  switch (origin.type) {
    case 'element':
    case 'keyword':
      edit = removeListElement(origin.node, lines);
      break;
    case 'statement':
      edit = deleteStatementLines(origin.node);
      break;
    case 'wrap':
      edit = replaceCallWith(origin.node, origin.operand);
      break;
  }
  if (edit) layer.removal = [edit];
}

/** The content of a string literal, as a renameable token. */
function stringToken(value: SyntaxNode): LayerFact['nameToken'] {
  const content = value.type === 'string' ? namedChildrenOf(value).find((c) => c.type === 'string_content') : undefined;
  return content ? { span: spanOf(content), style: 'string' } : undefined;
}

/** `torch.nn.Linear` → `nn.Linear`, `torch.nn.functional.softmax` → `F.softmax`, `keras.layers.Dense` → `Dense`. */
function shortApi(qualified: string): string {
  return qualified
    .replace(/^torch\.nn\.functional\./, 'F.')
    .replace(/^torch\.nn\./, 'nn.')
    .replace(/^keras\.layers\./, '');
}

/** The variable a call is assigned to (`model = Sequential()`), if any. */
function assignedName(call: SyntaxNode): string | undefined {
  const parent = call.parent;
  if (parent?.type !== 'assignment') return undefined;
  const left = parent.childForFieldName('left');
  return left?.type === 'identifier' ? left.text : undefined;
}

/** The layer arguments of `name.add(layer)` statements after `call` in the same block. */
function addCallsAfter(call: SyntaxNode, name: string): SyntaxNode[] {
  const statement = call.parent?.parent;
  const block = statement?.parent;
  if (!statement || !block) return [];
  const out: SyntaxNode[] = [];
  addCallsIn(namedChildrenOf(block).filter((s) => s && s.startIndex > statement.startIndex), name, out);
  return out;
}

/**
 * Collects `name.add(layer)` arguments from statements in order; a fixed-count loop
 * (`for _ in range(3): model.add(...)`) adds its layers that many times. True once `name` is rebound.
 */
function addCallsIn(statements: SyntaxNode[], name: string, out: SyntaxNode[]): boolean {
  for (const sibling of statements) {
    if (sibling.type === 'for_statement' && sibling.text.includes(`${name}.add(`)) {
      const start = out.length;
      if (addCallsIn(namedChildrenOf(sibling.childForFieldName('body')), name, out)) return true;
      const added = out.slice(start);
      const times = Math.min(loopCount(sibling.childForFieldName('right')), 64);
      for (let i = 1; i < times && out.length < 256; i++) out.push(...added);
      continue;
    }
    if (sibling.type !== 'expression_statement') continue;
    const expr = namedChildrenOf(sibling)[0];
    if (expr?.type === 'assignment' && expr.childForFieldName('left')?.text === name) return true;
    if (expr?.type !== 'call') continue;
    const method = methodCall(expr);
    if (method?.method === 'add' && method.receiver.text === name) {
      const layer = callArgs(expr).positional[0];
      if (layer) out.push(layer);
    }
  }
  return false;
}

/** Walks a Keras functional graph backwards from `outputs` through the assignments before the model call. */
class KerasGraph {
  private readonly memo = new Map<number, number>();

  constructor(private readonly extractor: Extractor, private readonly list: LayerList) {}

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

/** Data flow through a `forward`/`call` method: which layer feeds which. */
class ForwardFlow {
  private readonly env = new Map<string, number>();
  /** Module-list attributes bound to loop variables while a `for layer in self.layers` body runs. */
  private readonly loopItems = new Map<string, SyntaxNode>();
  private output = INPUT;
  private budget = 5000;

  constructor(private readonly extractor: Extractor, private readonly info: ClassInfo, private readonly list: LayerList) {}

  run(fn: SyntaxNode): number {
    const body = fn.childForFieldName('body');
    if (body) this.block(body);
    return this.output;
  }

  private block(block: SyntaxNode): void {
    for (const statement of namedChildrenOf(block)) if (statement) this.statement(statement);
  }

  private statement(node: SyntaxNode): void {
    if (--this.budget < 0) return;
    switch (node.type) {
      case 'expression_statement':
        for (const child of namedChildrenOf(node)) if (child) this.expressionStatement(child);
        return;
      case 'return_statement': {
        const value = namedChildrenOf(node)[0];
        if (value) this.output = this.expr(value);
        return;
      }
      case 'if_statement':
      case 'elif_clause':
      case 'else_clause':
      case 'with_statement':
      case 'try_statement':
      case 'except_clause':
      case 'finally_clause':
      case 'block':
        for (const child of namedChildrenOf(node)) {
          if (!child) continue;
          if (child.type === 'block' || child.type.endsWith('_clause')) this.statement(child);
          else if (node.type === 'block') this.statement(child);
        }
        return;
      case 'for_statement':
        this.forStatement(node);
        return;
      default:
        return;
    }
  }

  private expressionStatement(node: SyntaxNode): void {
    if (node.type === 'assignment') {
      const right = node.childForFieldName('right');
      const value = right ? this.expr(right) : INPUT;
      this.bind(node.childForFieldName('left'), value);
    } else if (node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const previous = left?.type === 'identifier' ? this.env.get(left.text) ?? INPUT : INPUT;
      const value = right ? this.expr(right) : INPUT;
      if (left?.type === 'identifier') {
        const merged = this.list.add({ kind: 'merge', api: node.childForFieldName('operator')?.text ?? '+=', span: spanOf(node) }, [previous, value]);
        this.env.set(left.text, merged);
      }
    } else {
      this.expr(node);
    }
  }

  private bind(target: SyntaxNode | null, value: number): void {
    if (!target) return;
    if (target.type === 'identifier') this.env.set(target.text, value);
    else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple'].includes(target.type)) {
      for (const part of namedChildrenOf(target)) this.bind(part, value);
    }
  }

  /** `for layer in self.layers: x = layer(x)` runs the body once per module-list item. */
  private forStatement(node: SyntaxNode): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const body = node.childForFieldName('body');
    if (!body) return;
    // for i, layer in enumerate(self.layers): the item is the second name.
    const enumerated = right?.type === 'call' && right.childForFieldName('function')?.text === 'enumerate' && left && ['pattern_list', 'tuple_pattern'].includes(left.type);
    const target = enumerated ? namedChildrenOf(left).filter((n) => n?.type === 'identifier')[1] : left;
    const iterable = enumerated ? callArgs(right).positional[0] : right;
    const items = iterable && target?.type === 'identifier' ? this.moduleListItems(iterable) : undefined;
    if (!items || !target) {
      this.block(body);
      return;
    }
    for (const item of items) {
      this.loopItems.set(target.text, item);
      this.block(body);
    }
    this.loopItems.delete(target.text);
  }

  /** The constructor expressions of `self.x = nn.ModuleList([...])`, repeated for `[... for _ in range(N)]`. */
  private moduleListItems(iterable: SyntaxNode): SyntaxNode[] | undefined {
    const attr = selfAttribute(iterable);
    const value = attr ? this.info.attributes.get(attr) : undefined;
    if (!value || value.type !== 'call') return undefined;
    const q = this.extractor.qualify(value.childForFieldName('function'));
    if (q !== TORCH_MODULE_LIST && q !== TORCH_SEQUENTIAL) return undefined;
    const args = callArgs(value).positional;
    const arg = args[0];
    // nn.ModuleList(layers) / nn.Sequential(*layers): the list built before, in __init__.
    const listName = arg?.type === 'identifier' ? arg : arg?.type === 'list_splat' ? arg.namedChildren[0] : undefined;
    if (listName?.type === 'identifier' && args.length === 1) return layerListItems(listName.text, value);
    if (q === TORCH_SEQUENTIAL && args.length > 0) return args;
    if (arg?.type === 'list') return namedChildrenOf(arg);
    if (arg?.type === 'list_comprehension') {
      const element = arg.childForFieldName('body');
      const clause = namedChildrenOf(arg).find((n) => n?.type === 'for_in_clause');
      const range = clause?.childForFieldName('right');
      const bound = range?.type === 'call' && range.childForFieldName('function')?.text === 'range' ? callArgs(range).positional[0] : undefined;
      const count = numberValue(this.extractor.literal(bound)) ?? integerValue(bound);
      if (element && count !== undefined && count > 0) return Array<SyntaxNode>(Math.min(count, 64)).fill(element);
    }
    // self.layers = nn.ModuleList() and then self.layers.append(...) in __init__ (loops included).
    const init = this.info.methods.get('__init__')?.childForFieldName('body');
    if (args.length === 0 && attr && init) return layerListItemsIn(`self.${attr}`, init, init.endIndex);
    return undefined;
  }

  /** Runs `build`; when it added exactly one layer, records that `call` can be replaced by `operand` to remove it. */
  private wrapped(call: SyntaxNode, operand: SyntaxNode | undefined, build: () => number): number {
    const before = this.list.layers.length;
    const index = build();
    if (operand && this.list.layers.length === before + 1) this.list.setOrigin(index, { type: 'wrap', node: call, operand });
    return index;
  }

  /** The index of the layer producing an expression's value. */
  private expr(expr: SyntaxNode): number {
    const node = unparen(expr);
    switch (node.type) {
      case 'identifier':
        return this.env.get(node.text) ?? INPUT;
      case 'call':
        return this.call(node);
      case 'binary_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const a = left ? this.expr(left) : INPUT;
        const b = right ? this.expr(right) : INPUT;
        // Scaling by a constant keeps the chain; two tensors merge (residuals, gates).
        if (right && numberValue(right) !== undefined) return a;
        if (left && numberValue(left) !== undefined) return b;
        return this.list.add({ kind: 'merge', api: node.childForFieldName('operator')?.text ?? 'op', span: spanOf(node) }, [a, b]);
      }
      case 'subscript':
      case 'attribute': {
        const value = node.childForFieldName(node.type === 'subscript' ? 'value' : 'object');
        return value ? this.expr(value) : INPUT;
      }
      case 'tuple':
      case 'expression_list':
      case 'list': {
        let first = INPUT;
        namedChildrenOf(node).forEach((child, i) => {
          if (!child) return;
          const v = this.expr(child);
          if (i === 0) first = v;
        });
        return first;
      }
      case 'conditional_expression': {
        const first = namedChildrenOf(node)[0];
        return first ? this.expr(first) : INPUT;
      }
      default:
        return INPUT;
    }
  }

  private call(call: SyntaxNode): number {
    const fn = unparen(call.childForFieldName('function')!);
    const args = callArgs(call);
    const firstArg = args.positional[0];
    const inputOf = (node: SyntaxNode | undefined) => (node ? this.expr(node) : INPUT);

    // self.fc1(x): a layer held as an attribute.
    const attr = selfAttribute(fn);
    if (attr) {
      const value = this.info.attributes.get(attr);
      const input = inputOf(firstArg);
      if (value) return this.wrapped(call, firstArg, () => this.extractor.layerExpr(value, this.list, input, 0));
      return this.list.unknown(`self.${attr}`, spanOf(call), input);
    }
    // layer(x) inside `for layer in self.layers`.
    if (fn.type === 'identifier' && this.loopItems.has(fn.text)) {
      return this.extractor.layerExpr(this.loopItems.get(fn.text)!, this.list, inputOf(firstArg), 0);
    }
    // nn.ReLU()(x)
    if (fn.type === 'call') {
      const input = inputOf(firstArg);
      return this.wrapped(call, firstArg, () => this.extractor.layerExpr(fn, this.list, input, 0));
    }

    const q = this.extractor.qualify(fn);
    const spec = q ? functionalSpec(q) : undefined;
    if (spec && q) {
      if (spec.kind === 'merge') {
        const inputs = firstArg && (firstArg.type === 'list' || firstArg.type === 'tuple')
          ? namedChildrenOf(firstArg).map((n) => this.expr(n))
          : args.positional.map((n) => this.expr(n));
        return this.list.add({ kind: 'merge', api: q, span: spanOf(call) }, inputs);
      }
      const input = inputOf(firstArg);
      return this.wrapped(call, firstArg, () => this.extractor.functionalLayer(call, q, spec, this.list, [input]));
    }
    // x.softmax(dim=1), x.view(-1, 10)
    const method = methodCall(call);
    if (method && !q) {
      const tensorOp = TENSOR_METHODS[method.method];
      const input = this.expr(method.receiver);
      if (tensorOp?.kind === 'reshape') return input;
      if (tensorOp) {
        const index = this.list.add({ kind: tensorOp.kind, activation: tensorOp.activation, api: `.${method.method}()`, span: spanOf(call) } as never, input);
        this.list.setOrigin(index, { type: 'wrap', node: call, operand: method.receiver });
        const name = call.childForFieldName('function')?.childForFieldName('attribute');
        if (tensorOp.kind === 'activation' && name) this.list.layers[index]!.nameToken = { span: spanOf(name), style: 'function' };
        return index;
      }
      return this.list.unknown(`.${method.method}()`, spanOf(call), input);
    }
    const inputs = args.positional.map((n) => this.expr(n));
    return this.list.unknown(fn.text.slice(0, 40), spanOf(call), inputs);
  }
}

/** `self.fc1` → `fc1`. */
function selfAttribute(node: SyntaxNode): string | undefined {
  if (node.type !== 'attribute') return undefined;
  if (node.childForFieldName('object')?.text !== 'self') return undefined;
  return node.childForFieldName('attribute')?.text;
}
