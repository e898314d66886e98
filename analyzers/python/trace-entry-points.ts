/**
 * Which functions the training trace runs as entry points of their own (those whose text can matter
 * to a rule, and their callers), and the names that mark evaluation code.
 */
import type { ModuleIndex } from './module-index.js';
import type { SyntaxNode } from './syntax-tree.js';

export const EVAL_NAME = /(^|_)(eval|evaluate|evaluation|valid|validate|validation|val|test|testing|predict|prediction|inference|infer)(_|$)/i;

/** Text that can matter to a training or evaluation rule; functions without it need no trace. */
const TRIGGER = new RegExp([
  /\.backward\s*\(|autograd\.backward|manual_backward|\.zero_grad\s*\(|\.step\s*\(|\.eval\s*\(\s*\)|\.train\s*\(|\.compile\s*\(/.source,
  /no_grad|inference_mode|set_grad_enabled/.source,
  // `for batch in val_loader:`, `for x, y in enumerate(test_dl):`
  /\bin\s+(?:\w+\()*[\w.]*\b(?:val|valid|validation|test|testing|eval|evaluation|dev)(?:_\w+|loader|set|data)?\b/.source,
].join('|'), 'i');

/**
 * Functions worth tracing as entry points: those whose text can matter to a rule, and every
 * function that calls one of them (so a loop that calls a training helper is traced whole). `extra`:
 * more text that makes a function worth tracing (calls of a model held by an attribute).
 */
export function relevantFunctions(index: ModuleIndex, extra?: RegExp): Set<number> {
  const relevant = new Set<number>();
  const names = new Set<string>();
  const texts = new Map<number, string>();
  const textOf = (fn: SyntaxNode) => {
    let text = texts.get(fn.id);
    if (text === undefined) texts.set(fn.id, (text = fn.text));
    return text;
  };
  // A function's text is a stretch of the file's, between non-word characters: in a file whose text
  // cannot match (most library code), no function's can, and one test of the whole spares a test of each.
  const triggered = TRIGGER.test(index.text) || !!extra?.test(index.text);
  for (const fn of index.allFunctions) {
    const name = fn.childForFieldName('name')?.text ?? '';
    if (EVAL_NAME.test(name) || (triggered && (TRIGGER.test(textOf(fn)) || extra?.test(textOf(fn))))) {
      relevant.add(fn.id);
      if (name) names.add(name);
    }
  }
  // Callers of relevant functions are relevant too, found by name until nothing changes.
  while (names.size > 0) {
    const calls = new RegExp(`\\b(?:${[...names].map(escapeRegExp).join('|')})\\s*\\(`);
    names.clear();
    for (const fn of index.allFunctions) {
      if (relevant.has(fn.id) || !calls.test(textOf(fn))) continue;
      relevant.add(fn.id);
      const name = fn.childForFieldName('name')?.text;
      if (name) names.add(name);
    }
  }
  return relevant;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
