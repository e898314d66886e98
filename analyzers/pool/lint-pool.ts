/**
 * Runs lint tasks on every core: a pool of worker threads (lint-worker.ts), each sent the next task
 * while it runs one. Results come back by task index, so the caller assembles them in the serial
 * order and the output is the same as a serial run's. A worker that dies fails only the task it was
 * running; the pool starts another for the rest. `fitcheck lint` makes one pool per run, whose workers
 * first parse the project's modules once between them, in shared memory; the language server keeps
 * one between *Lint Workspace* batches and lets it go when idle.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SharedModule } from '../project/project-linter.js';
import type { LintTask, TaskResult } from './lint-task.js';

/** What each worker's Python project starts with. */
export interface WorkerSetup {
  roots: string[];
  /** Modules with the text to use: every module for the CLI, the open editors' for the server. */
  modules: [string, string][];
  /** Further project modules, read from disk when first needed (the server's workspace). */
  files?: string[];
  /** Modules another worker parsed: taken over, not parsed again. */
  shared?: SharedModule[];
}

/** What a worker is asked to do: lint a task, or parse a project module for the others. */
type Job = { task: LintTask } | { share: string };

export type WorkerRequest =
  | { index: number; task: LintTask }
  | { index: number; share: string }
  /** Replaces the worker's project (the host's texts or files changed). */
  | { setup: WorkerSetup }
  /** Modules another worker parsed, for the worker's project to take over. */
  | { adopt: SharedModule[] };

export type WorkerReply =
  | { index: number; result: TaskResult }
  /** Undefined when the module could not be read or parsed: whoever needs it parses it then. */
  | { index: number; shared: SharedModule | undefined };

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
  /** The job indexes it was sent and has not answered, in order: the first is the one it runs. */
  held: number[];
  finishedAny: boolean;
  reason: string | undefined;
  /** The setup key it holds. */
  setupKey: string | undefined;
}

interface ActiveRun {
  jobs: readonly Job[];
  results: unknown[];
  next: number;
  /** Jobs handed to a worker that died before it started them: handed out again first. */
  retry: number[];
  finished: number;
  failedStarts: number;
  options: RunOptions;
  resolve: (results: unknown[]) => void;
}

/** The worker script: the bundle's `lint-worker.mjs` next to the CLI and server, else the compiled module next to this one. */
function workerScript(): string {
  const candidates = ['./lint-worker.mjs', './lint-worker.js'].map((name) => fileURLToPath(new URL(name, import.meta.url)));
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`the lint worker is missing (looked for ${candidates.join(', ')})`);
  return found;
}

/** Jobs a worker may hold: the one it runs and the next (see {@link LintPool.take}). */
const HELD_JOBS = 2;

/** Worker threads that run lint tasks; one run at a time (later runs wait for earlier ones). */
export class LintPool {
  private readonly workers = new Set<PoolWorker>();
  private queue: Promise<unknown> = Promise.resolve();
  private run: ActiveRun | undefined;
  private setup: WorkerSetup = { roots: [], modules: [] };
  private setupKey: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private fresh = 0;

  /**
   * `idleMs`: how long workers wait for the next run before they are ended (0: at once; infinite: until
   * {@link dispose}); `ended`: called whenever the workers are ended (what was shared with them can go).
   */
  constructor(private readonly threads: number, private readonly idleMs = 0, private readonly ended?: () => void) {}

  /** Whether workers are started (a run costs no start-up then). */
  get warm(): boolean {
    return this.workers.size > 0;
  }

  /** Runs the tasks; each result is by task index, undefined for a task a cancelled run never started. Never rejects. */
  runTasks(tasks: readonly LintTask[], setup: WorkerSetup, options: RunOptions = {}): Promise<(TaskResult | undefined)[]> {
    return this.enqueue(tasks.map((task) => ({ task })), setup, options) as Promise<(TaskResult | undefined)[]>;
  }

  /**
   * Parses the project's modules (`files`, each once, on whichever worker is free), and has every
   * worker's project take them all over: runs after this one with the same setup key parse none of
   * them again. Returns the modules shared, for the setup of those runs (workers started later take
   * them over from it).
   */
  async shareModules(files: readonly string[], setup: WorkerSetup, options: RunOptions = {}): Promise<SharedModule[]> {
    const results = await this.enqueue(files.map((file) => ({ share: file })), setup, options);
    // A worker that died leaves an error in its job's place: that module is parsed by whoever needs it.
    const shared = results.filter((result): result is SharedModule => !!result && typeof result === 'object' && 'rows' in result);
    // A worker started ahead that got no job holds no project yet: it gets the copies with its setup.
    for (const pooled of this.workers) if (pooled.setupKey === this.setupKey) pooled.worker.postMessage({ adopt: shared } satisfies WorkerRequest);
    return shared;
  }

  private enqueue(jobs: readonly Job[], setup: WorkerSetup, options: RunOptions): Promise<unknown[]> {
    const done = this.queue.then(() => this.runNow(jobs, setup, options));
    this.queue = done;
    return done;
  }

  /** Ends every worker now. */
  dispose(): void {
    clearTimeout(this.idleTimer);
    for (const pooled of this.workers) void pooled.worker.terminate();
    this.workers.clear();
    this.ended?.();
  }

  /**
   * Starts the workers now, with no project, before their first run: a worker's start-up (a
   * Node environment and the parser's wasm of its own) then overlaps the caller's reading of the files.
   * The first run sends them its setup. Does nothing when the worker script is missing (the run reports it).
   */
  prestart(): void {
    let script: string;
    try {
      script = workerScript();
    } catch {
      return;
    }
    while (this.workers.size < this.threads) this.start(script);
  }

  private runNow(jobs: readonly Job[], setup: WorkerSetup, options: RunOptions): Promise<unknown[]> {
    clearTimeout(this.idleTimer);
    let script: string;
    try {
      script = workerScript();
    } catch (error) {
      const failed = { error: error instanceof Error ? error.message : String(error) };
      return Promise.resolve(jobs.map(() => failed));
    }
    // An unkeyed setup is never assumed to be the same as the one the workers hold.
    this.setup = setup;
    this.setupKey = options.setupKey ?? `fresh-${++this.fresh}`;
    return new Promise((resolve) => {
      const run: ActiveRun = { jobs, results: new Array<unknown>(jobs.length), next: 0, retry: [], finished: 0, failedStarts: 0, options, resolve };
      this.run = run;
      if (jobs.length === 0) {
        this.finish(run);
        return;
      }
      while (this.workers.size < Math.min(this.threads, jobs.length)) this.start(script);
      for (const pooled of this.workers) this.take(pooled);
    });
  }

  private start(script: string): void {
    const pooled: PoolWorker = {
      worker: new Worker(script, { workerData: this.setup }), held: [], finishedAny: false, reason: undefined, setupKey: this.setupKey,
    };
    this.workers.add(pooled);
    pooled.worker.on('message', (reply: WorkerReply) => {
      pooled.finishedAny = true;
      pooled.held.splice(pooled.held.indexOf(reply.index), 1);
      if (this.run) this.settle(this.run, reply.index, 'shared' in reply ? reply.shared : reply.result);
      if (this.run) this.take(pooled);
    });
    pooled.worker.on('error', (error) => { pooled.reason = error.message; });
    pooled.worker.on('exit', (code) => this.exited(pooled, script, code));
  }

  /** Hands the worker the jobs it should hold next ({@link wantsJob}), while any are left and the run goes on. */
  private take(pooled: PoolWorker): void {
    const run = this.run;
    if (!run || !this.workers.has(pooled)) return;
    while (this.wantsJob(pooled, run)) {
      if (!hasJobs(run) || run.options.cancelled?.()) {
        this.endIfIdle(run);
        return;
      }
      if (pooled.setupKey !== this.setupKey) {
        pooled.worker.postMessage({ setup: this.setup } satisfies WorkerRequest);
        pooled.setupKey = this.setupKey;
      }
      const index = run.retry.shift() ?? run.next++;
      pooled.held.push(index);
      pooled.worker.postMessage({ index, ...run.jobs[index]! } satisfies WorkerRequest);
    }
  }

  /**
   * Whether the worker should be sent a job: it holds none, or, in a run that cannot be cancelled with
   * more jobs left than workers, only the one it runs (the next waits queued in the worker, so it never
   * waits for this thread). A job sent cannot be taken back: a cancellable run, the server's, sends
   * none ahead, and the last jobs go to whichever worker is free.
   */
  private wantsJob(pooled: PoolWorker, run: ActiveRun): boolean {
    if (pooled.held.length === 0) return true;
    return pooled.held.length < HELD_JOBS && !run.options.cancelled && jobsLeft(run) > this.workers.size;
  }

  private exited(pooled: PoolWorker, script: string, code: number): void {
    this.workers.delete(pooled);
    const run = this.run;
    if (!run) return;
    const [running, ...queued] = pooled.held;
    if (running === undefined) {
      // An idle worker died: a run that still has tasks must not be left with none.
      if (this.workers.size === 0 && hasJobs(run) && !run.options.cancelled?.()) this.start(script);
      for (const other of this.workers) this.take(other);
      return;
    }
    // Only the job it was running failed; those queued behind it go to another worker.
    run.retry.unshift(...queued);
    const file = fileOf(run.jobs[running]!);
    const reason = pooled.reason ?? `exit code ${code}`;
    this.settle(run, running, { error: `the lint worker stopped (${reason}) while linting this file; the other files were linted` });
    if (!pooled.finishedAny) run.failedStarts++;
    if (run.failedStarts > this.threads + 2) {
      // Workers cannot start at all: fail what is left rather than wait for ever.
      while (hasJobs(run)) this.settle(run, run.retry.shift() ?? run.next++, { error: `no lint worker could start (${reason}) for ${file} and the files after it` });
      return;
    }
    if (hasJobs(run) && !run.options.cancelled?.()) {
      this.start(script);
      for (const other of this.workers) this.take(other);
    } else {
      this.endIfIdle(run);
    }
  }

  private settle(run: ActiveRun, index: number, result: unknown): void {
    if (index in run.results) return;
    run.results[index] = result;
    run.finished++;
    run.options.onDone?.();
    if (run.finished === run.jobs.length) this.finish(run);
  }

  /** A cancelled (or failed) run ends once no worker holds one of its tasks. */
  private endIfIdle(run: ActiveRun): void {
    if ([...this.workers].some((w) => w.held.length > 0)) return;
    this.finish(run);
  }

  private finish(run: ActiveRun): void {
    if (this.run !== run) return;
    this.run = undefined;
    run.resolve(run.results);
    if (this.idleMs <= 0) this.dispose();
    else if (Number.isFinite(this.idleMs)) this.idleTimer = setTimeout(() => this.dispose(), this.idleMs).unref();
  }
}

/** How many jobs of the run are still to be handed out. */
function jobsLeft(run: ActiveRun): number {
  return run.retry.length + run.jobs.length - run.next;
}

/** Whether jobs of the run are still to be handed out. */
function hasJobs(run: ActiveRun): boolean {
  return jobsLeft(run) > 0;
}

/** The file a job is about. */
function fileOf(job: Job): string {
  return 'task' in job ? job.task.file : job.share;
}

/** How a batch run reports its progress: the steps to come, then each one done. */
export interface PoolProgress {
  start(total: number): void;
  increment(): void;
}

/** A pool for one batch run ({@link runPool}), its workers started at once (see {@link LintPool.prestart}). */
export function startBatchPool(threads: number): LintPool {
  const pool = new LintPool(threads, Number.POSITIVE_INFINITY);
  pool.prestart();
  return pool;
}

/**
 * Runs the tasks on the pool's workers (from {@link startBatchPool}; whoever made the pool ends it);
 * never rejects. When they link a Python project, its modules are first parsed once, spread over the
 * workers, and every worker takes over those copies: otherwise each worker would parse most of the
 * project itself (a module's analysis reads the modules it imports), and the second core would mostly
 * parse again.
 */
export async function runPool(tasks: readonly LintTask[], setup: WorkerSetup, pool: LintPool, progress?: PoolProgress): Promise<TaskResult[]> {
  // Longest first: the round ends when its last module is parsed, and a long one last kept the other workers waiting.
  const modules = [...setup.modules].sort((a, b) => b[1].length - a[1].length).map(([file]) => file);
  const share = modules.length > 1 && tasks.some((task) => task.type === 'module');
  progress?.start(tasks.length + (share ? modules.length : 0));
  const onDone = () => progress?.increment();
  // The same setup key: the workers keep their projects, which took the shared modules over.
  const shared = share ? await pool.shareModules(modules, setup, { onDone, setupKey: 'project' }) : [];
  const results = await pool.runTasks(tasks, { ...setup, shared }, { onDone, setupKey: 'project' });
  // Never cancelled, every task settles; the fallback only guards the type.
  return Array.from(results, (result) => result ?? { error: 'the lint workers stopped before this file was linted' });
}
