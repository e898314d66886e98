/**
 * Layer extraction: the layers of one model, in data-flow order, from `nn.Sequential(...)`, Keras
 * `Sequential` (list or `.add`), Keras functional graphs (keras-graph.ts) and the `forward`/`call` of a
 * model class (forward-flow.ts), with each layer's parameters, activation, rate and initializer.
 */
import type { SyntaxNode } from './syntax-tree.js';
import { layerListItems } from './layer-list.js';
import type { Framework, LayerFact, ModelFact } from '../facts.js';
import { isKerasSequential, kerasActivation, layerSpec, TORCH_SEQUENTIAL, type LayerSpec } from './catalog.js';
import { ForwardFlow } from './forward-flow.js';
import { addCallsAfter, assignedName } from './keras-add-calls.js';
import { KerasGraph } from './keras-graph.js';
import { attachRemoval, trainingEditInMethod } from './layer-fix-edits.js';
import { INPUT, LayerList, type LayerSource } from './model-builder.js';
import type { ClassInfo, ModuleIndex } from './module-index.js';
import { argument, boolValue, callArgs, namedChildrenOf, numberValue, spanOf, stringValue, unparen, type CallArgs } from './node-queries.js';

const MAX_DEPTH = 6;

/**
 * A constant initializer on the last weighted layer (the output head, or the only layer of a linear
 * model) breaks no symmetry worth breaking: the units feeding it already differ, or there are none.
 */
function forgiveOutputLayerInit(layers: LayerFact[]): void {
  const weighted = layers.filter((l) => l.kind === 'linear' || l.kind === 'conv' || l.kind === 'recurrent');
  const last = weighted.at(-1);
  if (last?.constantInit) delete last.constantInit;
}

export function modelId(node: SyntaxNode): string {
  return `model@${node.startPosition.row}:${node.startPosition.column}`;
}

/** Reads the layers of models; one per file, shared by the graph walkers it starts. */
export class Extractor implements LayerSource {
  /** Model classes whose layers are being read: one that builds itself (a recursive tree of blocks) is not read again inside. */
  private readonly building = new Set<string>();

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
    this.building.add(info.name);
    try {
      return this.readClass(info);
    } finally {
      this.building.delete(info.name);
    }
  }

  private readClass(info: ClassInfo): ModelFact {
    const list = new LayerList();
    const framework: Framework = info.bases.some((b) => b.startsWith('keras.')) ? 'keras' : 'pytorch';
    const { forward, scope } = this.forwardOf(info);
    let output = INPUT;
    let complete = true;
    if (forward) {
      const flow = new ForwardFlow(this, scope, list);
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

  /**
   * The class's `forward`/`call`, or the one it inherits from the nearest base defined in this file
   * (`class MyNorm(BaseNorm): pass`), read with the base's `__init__` attributes under the class's own.
   */
  private forwardOf(info: ClassInfo): { forward: SyntaxNode | undefined; scope: ClassInfo } {
    let scope = info;
    const seen = new Set([info.name]);
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const forward = scope.methods.get('forward') ?? scope.methods.get('call');
      if (forward) return { forward, scope };
      const base = scope.bases.map((b) => this.index.classes.get(b)).find((b) => b && !seen.has(b.name));
      if (!base) break;
      seen.add(base.name);
      scope = {
        ...base,
        methods: new Map([...base.methods, ...scope.methods]),
        attributes: new Map([...base.attributes, ...scope.attributes]),
      };
    }
    return { forward: undefined, scope: info };
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
    if (className && this.index.isModelClass(className) && !this.building.has(className)) {
      const inner = this.classModel(this.index.classes.get(className)!);
      const output = this.inline(inner.layers, inner.output, list, input);
      // Its forward is not in this file (an imported base's): what comes out of it is unknown.
      return inner.complete ? output : list.unknown(className, spanOf(node), output);
    }
    return list.unknown(fn?.text ?? 'call', spanOf(node), input);
  }

  /** Whether a convolution's `groups` (keyword; PyTorch's seventh argument) is given and not 1. */
  private grouped(qualified: string, args: CallArgs): boolean {
    const groups = args.keywords.get('groups') ?? (qualified.startsWith('torch.') ? args.positional[6] : undefined);
    return groups !== undefined && numberValue(this.index.literal(groups)) !== 1;
  }

  /** Copies another model's layers in, re-indexed, with its inputs fed by `input`. */
  private inline(layers: ModelFact['layers'], output: number, list: LayerList, input: number): number {
    const offset = list.layers.length;
    for (const layer of layers) {
      const inputs = layer.inputs.length ? layer.inputs.map((i) => i + offset) : [input];
      list.add({ ...layer }, inputs);
    }
    if (output >= 0) return output + offset;
    return layers.length > 0 ? list.layers.length - 1 : input;
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
    if (spec.kind === 'conv' && (spec.depthwise || this.grouped(qualified, args))) layer.grouped = true;
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
