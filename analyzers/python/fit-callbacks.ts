/**
 * Keras callbacks built by helper functions of the file: `callbacks=make_callbacks()`,
 * `cbs = make_callbacks()` then `callbacks=cbs`, or `[early_stop(), TensorBoard()]`. The helper's
 * body names what it builds (`EarlyStopping(...)`), one level deep.
 */
import type { ModuleIndex } from './module-index.js';
import type { SyntaxNode } from './syntax-tree.js';
import { namedChildrenOf, unparen } from './node-queries.js';

/** Names of the calls made by the file's own functions that produce the `callbacks=` value. */
export function helperCallbackNames(callbacks: SyntaxNode, index: ModuleIndex): string[] {
  const helpers = new Set<string>();
  const fromCall = (node: SyntaxNode) => {
    const inner = unparen(node);
    const fn = inner.type === 'call' ? inner.childForFieldName('function') : undefined;
    if (fn?.type === 'identifier' && index.functions.has(fn.text)) helpers.add(fn.text);
  };
  const value = unparen(callbacks);
  if (value.type === 'identifier') {
    // An identifier needs no escaping in a pattern.
    for (const m of index.scopeText(callbacks).matchAll(new RegExp(`(?<![\\w.])${value.text}\\s*=\\s*(\\w+)\\s*\\(`, 'g'))) {
      if (index.functions.has(m[1]!)) helpers.add(m[1]!);
    }
  } else if (value.type === 'list' || value.type === 'tuple') {
    for (const item of namedChildrenOf(value)) if (item) fromCall(item);
  } else {
    fromCall(value);
  }
  const names: string[] = [];
  for (const name of helpers) {
    for (const m of index.functions.get(name)!.text.matchAll(/(\w+)\s*\(/g)) names.push(m[1]!);
  }
  return names;
}
