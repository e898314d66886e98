/** The abstract values the training trace binds names to: models, their outputs, losses, optimizers... */
import type { SyntaxNode } from './syntax-tree.js';
import type { DataLoaderFact, LayerFact, LossFact } from '../facts.js';

export type Value =
  /** `others`: models the same name may hold instead (`if c: m = A() else: m = B()`). */
  | { kind: 'model'; id: string; others?: string[] }
  | { kind: 'model-output'; id: string; others?: string[] }
  | { kind: 'loss'; fact: LossFact }
  | { kind: 'loss-tensor' }
  | { kind: 'optimizer'; id: string }
  | { kind: 'scheduler'; plateau: boolean }
  | { kind: 'function'; node: SyntaxNode }
  | { kind: 'instance'; className: string }
  | { kind: 'dataloader'; fact: DataLoaderFact }
  | { kind: 'callback'; name: string }
  /** A parameter left at its `None` default by the call being inlined. */
  | { kind: 'none' }
  /** `Variable(x, volatile=True)`: before PyTorch 0.4, the way to run a forward pass without autograd. */
  | { kind: 'volatile' }
  /** A tensor whose last operation was an activation outside any model (`F.softmax(model(x), 1)`). */
  | { kind: 'activated'; layer: LayerFact };

/** All model ids a value may stand for. */
export function modelIds(value: { id: string; others?: string[] }): string[] {
  return [value.id, ...(value.others ?? [])];
}

/** One model value for branch outcomes that bind a name to two or more different models; undefined otherwise. */
export function joinModels(values: (Value | undefined)[]): Value | undefined {
  const ids: string[] = [];
  for (const value of values) {
    if (value?.kind !== 'model') continue;
    for (const id of modelIds(value)) if (!ids.includes(id)) ids.push(id);
  }
  return ids.length >= 2 ? { kind: 'model', id: ids[0]!, others: ids.slice(1) } : undefined;
}

export function targetOf(value: Value | undefined): string | undefined {
  return value && 'id' in value ? value.id : undefined;
}
