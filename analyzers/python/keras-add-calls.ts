/** Keras `model = Sequential()` followed by `model.add(Layer(...))` statements, loops included. */
import type { SyntaxNode } from './syntax-tree.js';
import { loopCount } from './layer-list.js';
import { callArgs, methodCall, namedChildrenOf } from './node-queries.js';

/** The variable a call is assigned to (`model = Sequential()`), if any. */
export function assignedName(call: SyntaxNode): string | undefined {
  const parent = call.parent;
  if (parent?.type !== 'assignment') return undefined;
  const left = parent.childForFieldName('left');
  return left?.type === 'identifier' ? left.text : undefined;
}

/** The layer arguments of `name.add(layer)` statements after `call` in the same block. */
export function addCallsAfter(call: SyntaxNode, name: string): SyntaxNode[] {
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
