/**
 * Layer stacks built as Python lists and unpacked: `nn.Sequential(*layers)` after `layers = [...]`,
 * `layers.append(...)` (in fixed-count loops too), `layers += [...]`, `layers.extend(...)` and list
 * repetition (`[block] * 3`). Reads the statements of the call's scope before it, in order.
 */
import type { SyntaxNode } from './syntax-tree.js';
import { callArgs, methodCall, namedChildrenOf, unparen } from './node-queries.js';

/** At most this many layers come out of one list (a loop of 10,000 appends stays bounded). */
const MAX_ITEMS = 256;
/** A loop runs its body this often at most in the reading (its count is literal). */
const MAX_REPEAT = 64;

/** The layer expressions `*name` stands for at `call`, in order; undefined when the list cannot be read. */
export function layerListItems(name: string, call: SyntaxNode): SyntaxNode[] | undefined {
  let scope: SyntaxNode | null = call.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return undefined;
  const body = scope.type === 'module' ? scope : scope.childForFieldName('body');
  if (!body) return undefined;
  return layerListItemsIn(name, body, call.startIndex);
}

/**
 * The items `name` holds after the statements of `body` that start before `before`: a module list
 * attribute grown in `__init__` (`self.layers = nn.ModuleList()` then `self.layers.append(...)` in a loop).
 */
export function layerListItemsIn(name: string, body: SyntaxNode, before: number): SyntaxNode[] | undefined {
  const state: { items: SyntaxNode[] | undefined; readable: boolean } = { items: undefined, readable: true };
  readBlock(body, name, before, state);
  return state.readable && state.items ? state.items.slice(0, MAX_ITEMS) : undefined;
}

function readBlock(block: SyntaxNode, name: string, before: number, state: { items: SyntaxNode[] | undefined; readable: boolean }): void {
  for (const statement of namedChildrenOf(block)) {
    if (!statement || statement.startIndex >= before || !state.readable) return;
    switch (statement.type) {
      case 'expression_statement':
        readStatement(statement.namedChildren[0], name, state);
        break;
      case 'for_statement': {
        if (!statement.text.includes(name)) break;
        const loopBody = statement.childForFieldName('body');
        if (!loopBody) break;
        const start = state.items?.length ?? 0;
        readBlock(loopBody, name, before, state);
        if (!state.items) break;
        const added = state.items.slice(start);
        const times = Math.min(loopCount(statement.childForFieldName('right')), MAX_REPEAT);
        for (let i = 1; i < times && state.items.length < MAX_ITEMS; i++) state.items.push(...added);
        break;
      }
      case 'if_statement':
      case 'with_statement': {
        // Branches are read as if taken: a layer added under a condition is a layer the model may have.
        const inner = statement.childForFieldName('body') ?? statement.childForFieldName('consequence');
        if (inner && statement.text.includes(name)) readBlock(inner, name, before, state);
        break;
      }
      default:
        break;
    }
  }
}

function readStatement(node: SyntaxNode | null | undefined, name: string, state: { items: SyntaxNode[] | undefined; readable: boolean }): void {
  if (!node) return;
  if (node.type === 'assignment' && node.childForFieldName('left')?.text === name) {
    const right = node.childForFieldName('right');
    const items = right ? listValue(right, name, state.items) : undefined;
    if (items) state.items = items;
    else state.readable = false;
    return;
  }
  if (node.type === 'augmented_assignment' && node.childForFieldName('left')?.text === name) {
    const operator = node.childForFieldName('operator')?.text;
    const right = node.childForFieldName('right');
    const items = state.items ?? [];
    if (operator === '+=' && right && unparen(right).type === 'list') state.items = [...items, ...namedChildrenOf(unparen(right)).filter(isNode)];
    else if (operator === '*=' && right?.type === 'integer') state.items = repeat(items, Number(right.text));
    else state.readable = false;
    return;
  }
  if (node.type !== 'call') return;
  const method = methodCall(node);
  if (method?.receiver.text !== name) return;
  const args = callArgs(node).positional;
  if (method.method === 'append' && args[0]) state.items = [...(state.items ?? []), args[0]];
  else if (method.method === 'extend' && args[0] && unparen(args[0]).type === 'list') state.items = [...(state.items ?? []), ...namedChildrenOf(unparen(args[0])).filter(isNode)];
  else if (['insert', 'pop', 'remove', 'clear', 'reverse', 'sort', 'extend'].includes(method.method)) state.readable = false;
}

/** `[a, b]`, `[a] * 3`, `name + [c]`: the list's items; undefined for other expressions. */
function listValue(expr: SyntaxNode, name: string, current: SyntaxNode[] | undefined): SyntaxNode[] | undefined {
  const node = unparen(expr);
  if (node.type === 'list') return namedChildrenOf(node).filter(isNode);
  // nn.ModuleList() / nn.ModuleList([a, b]) / nn.Sequential(): a module container grown like a list.
  if (node.type === 'call' && /(^|\.)(ModuleList|Sequential)$/.test(node.childForFieldName('function')?.text ?? '')) {
    const args = callArgs(node).positional;
    if (args.length === 0) return [];
    const first = unparen(args[0]!);
    return args.length === 1 && first.type === 'list' ? namedChildrenOf(first).filter(isNode) : undefined;
  }
  if (node.type === 'binary_operator') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.text;
    if (!left || !right) return undefined;
    if (operator === '*') {
      const [list, count] = right.type === 'integer' ? [left, right] : [right, left];
      const items = listValue(list, name, current);
      return items && count.type === 'integer' ? repeat(items, Number(count.text)) : undefined;
    }
    if (operator === '+') {
      const a = unparen(left).text === name ? current : listValue(left, name, current);
      const b = unparen(right).text === name ? current : listValue(right, name, current);
      return a && b ? [...a, ...b] : undefined;
    }
  }
  return undefined;
}

function repeat(items: SyntaxNode[], times: number): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let i = 0; i < Math.min(times, MAX_REPEAT) && out.length < MAX_ITEMS; i++) out.push(...items);
  return out;
}

/** `range(3)`, `range(1, 4)`, `range(depth)` with `depth=8` as the parameter's default: the count; 1 when it is not known (the body is read once). */
export function loopCount(iterable: SyntaxNode | null): number {
  const node = iterable ? unparen(iterable) : undefined;
  if (node?.type !== 'call' || node.childForFieldName('function')?.text !== 'range') return 1;
  const args = callArgs(node).positional;
  const numbers = args.map((a) => integerValue(a) ?? NaN);
  if (numbers.some(Number.isNaN) || numbers.length === 0) return 1;
  const count = numbers.length === 1 ? numbers[0]! : numbers[1]! - numbers[0]!;
  return Math.max(1, count);
}

/**
 * An integer literal, or a name bound to one: a parameter's default in the enclosing function
 * (`def __init__(self, depth=8)`) or a module-level constant (`DEPTH = 8`).
 */
export function integerValue(expr: SyntaxNode | undefined): number | undefined {
  if (!expr) return undefined;
  const node = unparen(expr);
  if (node.type === 'integer') return Number(node.text);
  if (node.type === 'binary_operator') {
    // N_HIDDEN - 1, depth + 2
    const a = integerValue(node.childForFieldName('left') ?? undefined);
    const b = integerValue(node.childForFieldName('right') ?? undefined);
    const operator = node.childForFieldName('operator')?.text;
    if (a === undefined || b === undefined) return undefined;
    return operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : undefined;
  }
  if (node.type !== 'identifier') return undefined;
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (scope.type === 'function_definition') {
      for (const param of namedChildrenOf(scope.childForFieldName('parameters'))) {
        if ((param?.type === 'default_parameter' || param?.type === 'typed_default_parameter') && param.childForFieldName('name')?.text === node.text) {
          const value = param.childForFieldName('value');
          return value?.type === 'integer' ? Number(value.text) : undefined;
        }
      }
    }
    if (scope.type === 'module') {
      let found: number | undefined;
      for (const statement of namedChildrenOf(scope)) {
        const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
        if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== node.text) continue;
        const right = assignment.childForFieldName('right');
        found = right?.type === 'integer' ? Number(right.text) : undefined;
      }
      return found;
    }
  }
  return undefined;
}

function isNode(node: SyntaxNode | null | undefined): node is SyntaxNode {
  return !!node && node.type !== 'comment';
}
