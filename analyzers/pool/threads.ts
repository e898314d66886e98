/** How many worker threads a folder lint or *Lint Workspace* uses by default (docs/decisions.md has the measurements). */
import { availableParallelism } from 'node:os';

/** Below this many cores the pool lost to the main thread in every measurement: lint serially there. */
export const POOL_MIN_CORES = 4;

/** `FITCHECK_LINT_THREADS` when it is a whole number ≥ 1; else every core from POOL_MIN_CORES up, and 1 (no workers) below. */
export function defaultLintThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const asked = Number(env.FITCHECK_LINT_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return asked;
  return cores >= POOL_MIN_CORES ? cores : 1;
}
