/**
 * Runs lint tasks on every core: a pool of worker threads (lint-worker.ts), each taking the next task
 * when it finishes one. Results come back by task index, so the caller assembles them in the serial
 * order and the output is the same as a serial run's. A worker that dies fails only the task it held;
 * the pool starts another for the rest. `fitcheck lint` makes one pool per run; the language server
 * keeps one between *Lint Workspace* batches and lets it go when idle.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LintTask, TaskResult } from './lint-task.js';

/** What each worker's Python project starts with. */
export interface WorkerSetup {
  roots: string[];
  /** Modules with the text to use: every module for the CLI, the open editors' for the server. */
  modules: [string, string][];
  /** Further project modules, read from disk when first needed (the server's workspace). */
  files?: string[];
}

export type WorkerRequest =
  | { index: number; task: LintTask }
  /** Replaces the worker's project (the host's texts or files changed). */
  | { setup: WorkerSetup };

export interface WorkerReply {
  index: number;
  result: TaskResult;
}

export interface RunOptions {
  /** Called as each task finishes. */
  onDone?: () => void;
  /** Checked before each task is handed out: once true, the run ends after the tasks in flight. */
  cancelled?: () => boolean;
  /** Identifies the setup: workers keep their project while it is unchanged (default: always replaced). */
  setupKey?: string;
}

interface PoolWorker {
  worker: Worker;
  /** The task index it holds. */
  current: number | undefined;
  finishedAny: boolean;
  reason: string | undefined;
  /** The setup key it holds. */
  setupKey: string | undefined;
}

interface ActiveRun {
  tasks: readonly LintTask[];
  results: (TaskResult | undefined)[];
  next: number;
  finished: number;
  failedStarts: number;
  options: RunOptions;
  resolve: (results: (TaskResult | undefined)[]) => void;
}

/** The worker script: the bundle's `lint-worker.mjs` next to the CLI and server, else the compiled module next to this one. */
function workerScript(): string {
  const candidates = ['./lint-worker.mjs', './lint-worker.js'].map((name) => fileURLToPath(new URL(name, import.meta.url)));
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`the lint worker is missing (looked for ${candidates.join(', ')})`);
  return found;
}

/** Worker threads that run lint tasks; one run at a time (later runs wait for earlier ones). */
export class LintPool {
  private readonly workers = new Set<PoolWorker>();
  private queue: Promise<unknown> = Promise.resolve();
  private run: ActiveRun | undefined;
  private setup: WorkerSetup = { roots: [], modules: [] };
  private setupKey: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private fresh = 0;

  /** `idleMs`: how long workers wait for the next run before they are ended (0: at once). */
  constructor(private readonly threads: number, private readonly idleMs = 0) {}

  /** Whether workers are started (a run costs no start-up then). */
  get warm(): boolean {
    return this.workers.size > 0;
  }

  /** Runs the tasks; each result is by task index, undefined for a task a cancelled run never started. Never rejects. */
  runTasks(tasks: readonly LintTask[], setup: WorkerSetup, options: RunOptions = {}): Promise<(TaskResult | undefined)[]> {
    const done = this.queue.then(() => this.runNow(tasks, setup, options));
    this.queue = done;
    return done;
  }

  /** Ends every worker now. */
  dispose(): void {
    clearTimeout(this.idleTimer);
    for (const pooled of this.workers) void pooled.worker.terminate();
    this.workers.clear();
  }

  private runNow(tasks: readonly LintTask[], setup: WorkerSetup, options: RunOptions): Promise<(TaskResult | undefined)[]> {
    clearTimeout(this.idleTimer);
    let script: string;
    try {
      script = workerScript();
    } catch (error) {
      const failed = { error: error instanceof Error ? error.message : String(error) };
      return Promise.resolve(tasks.map(() => failed));
    }
    // An unkeyed setup is never assumed to be the same as the one the workers hold.
    this.setup = setup;
    this.setupKey = options.setupKey ?? `fresh-${++this.fresh}`;
    return new Promise((resolve) => {
      const run: ActiveRun = { tasks, results: new Array<TaskResult | undefined>(tasks.length), next: 0, finished: 0, failedStarts: 0, options, resolve };
      this.run = run;
      if (tasks.length === 0) {
        this.finish(run);
        return;
      }
      while (this.workers.size < Math.min(this.threads, tasks.length)) this.start(script);
      for (const pooled of this.workers) this.take(pooled);
    });
  }

  private start(script: string): void {
    const pooled: PoolWorker = {
      worker: new Worker(script, { workerData: this.setup }), current: undefined, finishedAny: false, reason: undefined, setupKey: this.setupKey,
    };
    this.workers.add(pooled);
    pooled.worker.on('message', (reply: WorkerReply) => {
      pooled.finishedAny = true;
      pooled.current = undefined;
      if (this.run) this.settle(this.run, reply.index, reply.result);
      if (this.run) this.take(pooled);
    });
    pooled.worker.on('error', (error) => { pooled.reason = error.message; });
    pooled.worker.on('exit', (code) => this.exited(pooled, script, code));
  }

  /** Hands the worker the next task of the run, if any is left and the run goes on. */
  private take(pooled: PoolWorker): void {
    const run = this.run;
    if (!run || pooled.current !== undefined || !this.workers.has(pooled)) return;
    if (run.next >= run.tasks.length || run.options.cancelled?.()) {
      this.endIfIdle(run);
      return;
    }
    if (pooled.setupKey !== this.setupKey) {
      pooled.worker.postMessage({ setup: this.setup } satisfies WorkerRequest);
      pooled.setupKey = this.setupKey;
    }
    pooled.current = run.next++;
    pooled.worker.postMessage({ index: pooled.current, task: run.tasks[pooled.current]! } satisfies WorkerRequest);
  }

  private exited(pooled: PoolWorker, script: string, code: number): void {
    this.workers.delete(pooled);
    const run = this.run;
    if (!run) return;
    if (pooled.current === undefined) {
      // An idle worker died: a run that still has tasks must not be left with none.
      if (this.workers.size === 0 && run.next < run.tasks.length && !run.options.cancelled?.()) this.start(script);
      for (const other of this.workers) this.take(other);
      return;
    }
    const task = run.tasks[pooled.current]!;
    const reason = pooled.reason ?? `exit code ${code}`;
    this.settle(run, pooled.current, { error: `the lint worker stopped (${reason}) while linting this file; the other files were linted` });
    if (!pooled.finishedAny) run.failedStarts++;
    if (run.failedStarts > this.threads + 2) {
      // Workers cannot start at all: fail what is left rather than wait for ever.
      while (run.next < run.tasks.length) this.settle(run, run.next++, { error: `no lint worker could start (${reason}) for ${task.file} and the files after it` });
      return;
    }
    if (run.next < run.tasks.length && !run.options.cancelled?.()) {
      this.start(script);
      for (const other of this.workers) this.take(other);
    } else {
      this.endIfIdle(run);
    }
  }

  private settle(run: ActiveRun, index: number, result: TaskResult): void {
    if (run.results[index]) return;
    run.results[index] = result;
    run.finished++;
    run.options.onDone?.();
    if (run.finished === run.tasks.length) this.finish(run);
  }

  /** A cancelled (or failed) run ends once no worker holds one of its tasks. */
  private endIfIdle(run: ActiveRun): void {
    if ([...this.workers].some((w) => w.current !== undefined)) return;
    this.finish(run);
  }

  private finish(run: ActiveRun): void {
    if (this.run !== run) return;
    this.run = undefined;
    run.resolve(run.results);
    if (this.idleMs <= 0) this.dispose();
    else this.idleTimer = setTimeout(() => this.dispose(), this.idleMs).unref();
  }
}

/** Runs the tasks on `threads` workers that end with the run; `onDone` is called as each task finishes. Never rejects. */
export async function runPool(tasks: readonly LintTask[], setup: WorkerSetup, threads: number, onDone: () => void = () => undefined): Promise<TaskResult[]> {
  const results = await new LintPool(threads).runTasks(tasks, setup, { onDone });
  // Never cancelled, every task settles; the fallback only guards the type.
  return results.map((result) => result ?? { error: 'the lint workers stopped before this file was linted' });
}
