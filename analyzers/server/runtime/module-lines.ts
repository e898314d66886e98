/**
 * Maps PyTorch module paths (`features.0`, `encoder.layers.3.fc1`) to the source span of the call
 * that creates that module: `self.fc1 = nn.Linear(…)` in a module class, the arguments of
 * `nn.Sequential(…)` / `nn.ModuleList([…])` (indexed), and `model = nn.Sequential(…)` at the root.
 */
import type { Span } from '../../core/span.js';
import { callArgs, lastName, namedChildrenOf, spanOf } from '../../python/node-queries.js';
import type { SyntaxNode } from '../../python/syntax-tree.js';

const CONTAINERS = new Set(['Sequential', 'ModuleList']);

/** Module path (relative to the class or root variable that holds it) → the span creating it. */
export type ModuleLines = Map<string, Span>;

/** Collects every module-creating assignment of a parsed file. */
export function moduleLines(root: SyntaxNode): ModuleLines {
  const lines: ModuleLines = new Map();
  for (const node of root.descendantsOfType('assignment')) {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const key = left?.type === 'attribute' && left.childForFieldName('object')?.text === 'self' ? lastName(left)
      : left?.type === 'identifier' ? '' : undefined;
    if (key !== undefined && right?.type === 'call') record(lines, key, right);
  }
  return lines;
}

/** Records a call under `key`, and a container's items as `key.i` (`i` alone at the root). */
function record(lines: ModuleLines, key: string, call: SyntaxNode): void {
  const callee = lastName(call.childForFieldName('function'));
  if (key && !lines.has(key)) lines.set(key, spanOf(call));
  if (!callee || !CONTAINERS.has(callee)) return;
  const { positional } = callArgs(call);
  const items = callee === 'ModuleList' && positional[0]?.type === 'list' ? namedChildrenOf(positional[0]) : positional;
  items.forEach((item, index) => {
    const path = key ? `${key}.${index}` : String(index);
    // `*layers` or a comprehension: every index is made on that line.
    if (item.type === 'list_splat' || item.type === 'list_comprehension' || item.type === 'generator_expression') {
      if (!lines.has(key ? `${key}.*` : '*')) lines.set(key ? `${key}.*` : '*', spanOf(item));
      return;
    }
    if (item.type === 'call') record(lines, path, item);
    else if (!lines.has(path)) lines.set(path, spanOf(item));
  });
  if (callee === 'ModuleList' && positional[0] && positional[0].type !== 'list' && !lines.has(key ? `${key}.*` : '*')) {
    lines.set(key ? `${key}.*` : '*', spanOf(positional[0]));
  }
}

/**
 * The span of the module at `path`: the whole path, else ever shorter tails of it (a submodule's
 * own class: `encoder.layers.3.fc1` → `fc1` in the block class), with `*` for an index made in
 * a loop or comprehension. Undefined when nothing in this file creates it.
 */
export function lineOfModule(lines: ModuleLines, path: string): Span | undefined {
  const parts = path.split('.');
  // Exact tails first, longest first: `fc1` in the block class beats the loop that made the blocks.
  for (let from = 0; from < parts.length; from++) {
    const exact = lines.get(parts.slice(from).join('.'));
    if (exact) return exact;
  }
  for (let from = 0; from < parts.length; from++) {
    const tail = parts.slice(from);
    for (let i = tail.length - 1; i >= 0; i--) {
      if (!/^\d+$/.test(tail[i]!)) continue;
      const starred = lines.get([...tail.slice(0, i), '*'].join('.'));
      if (starred) return starred;
    }
  }
  return undefined;
}
