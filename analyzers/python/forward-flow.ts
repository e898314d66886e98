/** Data flow through a model class's `forward`/`call` method: which layer feeds which. */
import { ownEntry } from '../core/own-entry.js';
import type { SyntaxNode } from './syntax-tree.js';
import { integerValue, layerListItems, layerListItemsIn } from './layer-list.js';
import { functionalSpec, TENSOR_METHODS, TORCH_MODULE_LIST, TORCH_SEQUENTIAL } from './catalog.js';
import { INPUT, type LayerList, type LayerSource } from './model-builder.js';
import type { ClassInfo } from './module-index.js';
import { callArgs, methodCall, namedChildrenOf, numberValue, spanOf, unparen } from './node-queries.js';

/** Data flow through a `forward`/`call` method: which layer feeds which. */
export class ForwardFlow {
  private readonly env = new Map<string, number>();
  /** Module-list attributes bound to loop variables while a `for layer in self.layers` body runs. */
  private readonly loopItems = new Map<string, SyntaxNode>();
  private output = INPUT;
  private budget = 5000;

  constructor(private readonly extractor: LayerSource, private readonly info: ClassInfo, private readonly list: LayerList) {}

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
        this.ifStatement(node);
        return;
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

  /**
   * Each branch of an `if` runs from the same bindings (`if mask: softmax(masked) else: sigmoid(x)` is
   * not a sigmoid after a softmax); a name the branches leave different holds a join of them, where
   * chains stop, as they stop at any op of unknown effect.
   */
  private ifStatement(node: SyntaxNode): void {
    const bodies: SyntaxNode[] = [];
    let hasElse = false;
    for (const child of namedChildrenOf(node)) {
      if (child?.type === 'block') bodies.push(child);
      else if (child?.type === 'elif_clause' || child?.type === 'else_clause') {
        hasElse ||= child.type === 'else_clause';
        const body = namedChildrenOf(child).find((c) => c?.type === 'block');
        if (body) bodies.push(body);
      }
    }
    const before = new Map(this.env);
    const outcomes: Map<string, number>[] = [];
    for (const body of bodies) {
      this.env.clear();
      for (const [k, v] of before) this.env.set(k, v);
      this.block(body);
      outcomes.push(new Map(this.env));
    }
    if (!hasElse) outcomes.push(before);
    this.env.clear();
    for (const name of new Set(outcomes.flatMap((o) => [...o.keys()]))) {
      const values = [...new Set(outcomes.map((o) => o.get(name) ?? INPUT))];
      this.env.set(name, values.length === 1 ? values[0]! : this.list.unknown('if/else', spanOf(node), values));
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
      const tensorOp = ownEntry(TENSOR_METHODS, method.method);
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
