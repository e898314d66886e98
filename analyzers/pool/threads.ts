/** How many worker threads a folder lint or *Lint Workspace* uses by default (docs/decisions.md has the measurements). */
import { availableParallelism, loadavg } from 'node:os';

/**
 * `FITCHECK_LINT_THREADS` when it is a whole number ≥ 1; else every core, unless the machine is
 * already busy (1-minute load average at or above the cores), where workers only add CPU time for
 * others to share: then 1 (no workers).
 */
export function defaultLintThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism(), load = loadavg()[0] ?? 0): number {
  const asked = Number(env.FITCHECK_LINT_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return asked;
  return cores > 1 && load < cores ? cores : 1;
}
