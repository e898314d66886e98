/** Small helpers over tree-sitter Python nodes: spans, names, literals and call arguments. */
import type { SyntaxNode } from './syntax-tree.js';
import type { Span } from '../core/span.js';

/** The node's range as a 0-based span. */
export function spanOf(node: SyntaxNode): Span {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** `a.b.c` for identifier/attribute chains, undefined for anything else. */
export function dottedName(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dottedName(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute');
    return object && attribute ? `${object}.${attribute.text}` : undefined;
  }
  return undefined;
}

export interface CallArgs {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
}

/** Positional and keyword arguments of a call node. */
export function callArgs(call: SyntaxNode): CallArgs {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  const list = call.childForFieldName('arguments');
  if (list && list.type === 'argument_list') {
    for (const arg of list.namedChildren) {
      if (!arg) continue;
      if (arg.type === 'keyword_argument') {
        const name = arg.childForFieldName('name');
        const value = arg.childForFieldName('value');
        if (name && value) keywords.set(name.text, value);
      } else if (arg.type !== 'comment') {
        positional.push(arg);
      }
    }
  }
  return { positional, keywords };
}

/** The argument given at `index` or as keyword `name`. */
export function argument(args: CallArgs, index: number, name: string): SyntaxNode | undefined {
  return args.keywords.get(name) ?? (index >= 0 ? args.positional[index] : undefined);
}

/** A numeric literal's value (`0.5`, `-1`, `1e-3`, `(0.2)`), else undefined. */
export function numberValue(node: SyntaxNode | null | undefined): number | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'integer':
    case 'float': {
      const value = Number(node.text.replace(/_/g, '').replace(/[jJ]$/, ''));
      return Number.isFinite(value) ? value : undefined;
    }
    case 'unary_operator': {
      const inner = numberValue(node.childForFieldName('argument'));
      const op = node.childForFieldName('operator')?.text;
      if (inner === undefined) return undefined;
      return op === '-' ? -inner : op === '+' ? inner : undefined;
    }
    case 'parenthesized_expression':
      return numberValue(node.namedChildren[0]);
    case 'binary_operator': {
      // Sizes are often written as arithmetic: nn.Linear(128 * 8 * 8, 256).
      const left = numberValue(node.childForFieldName('left'));
      const right = numberValue(node.childForFieldName('right'));
      if (left === undefined || right === undefined) return undefined;
      switch (node.childForFieldName('operator')?.text) {
        case '+': return left + right;
        case '-': return left - right;
        case '*': return left * right;
        case '/': return right === 0 ? undefined : left / right;
        case '//': return right === 0 ? undefined : Math.floor(left / right);
        case '**': return left ** right;
        default: return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** A plain string literal's content (no f-strings), else undefined. */
export function stringValue(node: SyntaxNode | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content') out += child.text;
  }
  return out;
}

/** `True`/`False` literals. */
export function boolValue(node: SyntaxNode | null | undefined): boolean | undefined {
  if (!node) return undefined;
  if (node.type === 'true') return true;
  if (node.type === 'false') return false;
  return undefined;
}

/** Strips `(...)` around an expression. */
export function unparen(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.namedChildCount === 1) {
    current = current.namedChildren[0]!;
  }
  return current;
}

const PLACEMENT_METHODS = new Set(['to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'train', 'eval', 'requires_grad_', 'share_memory']);

/** For `Net().to(device).eval()` returns the `Net()` call; other nodes come back unchanged. */
export function stripPlacement(node: SyntaxNode): SyntaxNode {
  let current = unparen(node);
  while (current.type === 'call') {
    const fn = current.childForFieldName('function');
    if (fn?.type !== 'attribute') break;
    const method = fn.childForFieldName('attribute')?.text;
    const object = fn.childForFieldName('object');
    if (!method || !object || !PLACEMENT_METHODS.has(method)) break;
    current = unparen(object);
  }
  return current;
}

/** The method name and receiver of `recv.method(...)`, if the call has that shape. */
export function methodCall(call: SyntaxNode): { receiver: SyntaxNode; method: string } | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return undefined;
  const receiver = fn.childForFieldName('object');
  const method = fn.childForFieldName('attribute');
  return receiver && method ? { receiver, method: method.text } : undefined;
}

/** The innermost name a receiver ends in: `self.model` → `model`, `opt` → `opt`. */
export function lastName(node: SyntaxNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text;
  return undefined;
}

/** Named children without comments (comments are named nodes in tree-sitter-python). */
export function namedChildrenOf(node: SyntaxNode | null | undefined): SyntaxNode[] {
  if (!node) return [];
  return node.namedChildren.filter((n): n is SyntaxNode => !!n && n.type !== 'comment');
}
