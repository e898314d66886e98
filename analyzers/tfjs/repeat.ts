/** What the loop analysis walks: code that runs again and again, and the context of each node in it. */
import type { ts } from 'ts-morph';
import type { Span } from '../core/span.js';

/** Code that runs again and again: a loop body, or a callback run per element, per frame or per batch. */
export interface Repeat {
  /** The loop statement, or the function run repeatedly. */
  node: ts.Node;
  body: ts.Node;
  header: Span;
  /** `loop`: a loop statement; `each`: a `forEach`/`forEachAsync` callback; `callback`: frames, timers, fit callbacks. */
  kind: 'loop' | 'each' | 'callback';
  /** `onBatchEnd`-style fit callbacks: every call is a training step. */
  perStep: boolean;
  /** The body manages tensors itself (`tf.engine().startScope()` / `endScope()`). */
  manualScope: boolean;
}

export interface Context {
  repeat: Repeat | undefined;
  /** Inside `tf.tidy`, `optimizer.minimize` or `tf.variableGrads`: intermediate tensors are disposed for us. */
  managed: boolean;
  /** Variables declared under this node live for one iteration (the repeat body, or a helper's body). */
  root: ts.Node | undefined;
}

/** How deep calls of this file's functions are followed from a repeated body. */
export const MAX_FOLLOW = 4;
