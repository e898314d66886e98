/**
 * How eagerly V8 optimises code during a batch lint. By default V8 optimises a function after ~66 KB
 * of its bytecode has run, before most of the analyzers' branches have been seen: each branch first
 * taken later deoptimises it, and the large functions (the interpreter's, the linker's) are compiled
 * again and again — on a whole package, compiling took more CPU than analysing. Waiting eight times
 * longer lets the feedback settle first; docs/decisions.md has the measurements.
 */
import { setFlagsFromString } from 'node:v8';

/** The interrupt budget (bytes of bytecode run before a function is considered for optimisation) of a batch lint. */
export const BATCH_INTERRUPT_BUDGET = 8 * 67_584;

/** Sets V8's tier-up for the rest of this process (worker threads included): call before the lint starts. */
export function tuneTieringForBatch(): void {
  setFlagsFromString(`--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`);
}
