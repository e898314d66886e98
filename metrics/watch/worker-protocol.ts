/** The messages between a watch worker (watch-worker.ts) and the thread that owns the watch (worker-watcher.ts). */
import type { Diagnosis, RunEvent } from '../diagnosis/events.js';
import type { ReadIssue } from '../diagnosis/scalars.js';
import type { RunTarget } from './discover.js';
import type { TagMapping } from './tag-roles.js';

/** The watch settings a worker can take (plain data: functions do not cross threads). */
export interface WorkerWatchOptions {
  epsilon?: number;
  mapping?: TagMapping;
  minPollMs?: number;
  maxPollMs?: number;
  fsEvents?: boolean;
  bytesPerTick?: number;
  catchUpDelayMs?: number;
}

/** The worker's `workerData`. */
export interface WorkerStart {
  kind: 'fitcheck-watch';
  target: string;
  options: WorkerWatchOptions;
}

/** From the owner to the worker: read now (tests), or stop. */
export type WorkerCommand = { type: 'poll'; final: boolean } | { type: 'close' };

/** From the worker: a run's update (events in full only on a reset), read problems, or the runs now. */
export type WorkerMessage =
  | { type: 'update'; runId: string; target: RunTarget; events?: RunEvent[]; appended: RunEvent[]; reset: boolean; gone: boolean; diagnosis?: Diagnosis | null }
  | { type: 'issues'; issues: ReadIssue[] }
  | { type: 'runs'; runs: RunTarget[] };
