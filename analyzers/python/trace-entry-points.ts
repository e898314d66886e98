/**
 * Which functions the training trace runs as entry points of their own (those whose text can matter
 * to a rule, and their callers), and the names that mark evaluation code.
 */
import type { ModuleIndex } from './module-index.js';

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
  for (const fn of index.allFunctions) {
    const name = fn.childForFieldName('name')?.text ?? '';
    const text = fn.text;
    texts.set(fn.id, text);
    if (EVAL_NAME.test(name) || TRIGGER.test(text) || extra?.test(text)) {
      relevant.add(fn.id);
      if (name) names.add(name);
    }
  }
  // Callers of relevant functions are relevant too, found by name until nothing changes. A header
  // (`def forward(`) is not a call: else every method sharing a relevant method's name would count.
  while (names.size > 0) {
    const calls = new RegExp(`(?<!\\b(?:def|class)\\s+)\\b(?:${[...names].map(escapeRegExp).join('|')})\\s*\\(`);
    names.clear();
    for (const fn of index.allFunctions) {
      if (relevant.has(fn.id) || !calls.test(texts.get(fn.id)!)) continue;
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
