/**
 * A RunWatcher that runs in a worker thread: the same updates, but the reading, parsing, assembling
 * and analysing happen off the calling thread, which only receives each run's new events. Used by
 * the extension, whose host thread every other extension shares. Where the worker script is
 * missing or cannot start, the watch goes on in this thread (and says so once through `onIssues`).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { RunEvent } from '../diagnosis/events.js';
import { errorText } from '../readers/file-tail.js';
import type { RunTarget } from './discover.js';
import type { RunWatcher, WatcherOptions } from './watcher.js';
import type { WorkerCommand, WorkerMessage, WorkerStart, WorkerWatchOptions } from './worker-protocol.js';

/** Bytes per tick in the worker: its thread is its own, so it reads more per tick than the editor's would. */
const WORKER_BYTES_PER_TICK = 16 * 1024 * 1024;

/** The worker script: the bundle's `watch-worker.mjs` next to the extension, else the compiled module next to this one. */
export function workerScript(): string | undefined {
  const candidates = ['./watch-worker.mjs', './watch-worker.js'].map((name) => fileURLToPath(new URL(name, import.meta.url)));
  return candidates.find((file) => fs.existsSync(file));
}

export class WorkerRunWatcher {
  private worker: Worker | undefined;
  private fallback: RunWatcher | undefined;
  private readonly targets = new Map<string, RunTarget>();
  private readonly runEvents = new Map<string, RunEvent[]>();
  private closed = false;

  constructor(readonly target: string, private readonly options: WatcherOptions & { workerFile?: string }) {}

  /** The runs found so far. */
  get runs(): RunTarget[] {
    return this.fallback ? this.fallback.runs : [...this.targets.values()];
  }

  /** The events of one run now. */
  events(runId: string): RunEvent[] | undefined {
    return this.fallback ? this.fallback.events(runId) : this.runEvents.get(runId);
  }

  /** Starts the worker (or, where it cannot run, the watch in this thread). */
  start(): void {
    const script = this.options.workerFile ?? workerScript();
    if (!script) return this.startHere('the watch worker script is missing');
    const o = this.options;
    const options: WorkerWatchOptions = {
      bytesPerTick: o.bytesPerTick ?? WORKER_BYTES_PER_TICK,
      catchUpDelayMs: o.catchUpDelayMs ?? 0,
      ...(o.epsilon !== undefined ? { epsilon: o.epsilon } : {}),
      ...(o.mapping ? { mapping: o.mapping } : {}),
      ...(o.minPollMs !== undefined ? { minPollMs: o.minPollMs } : {}),
      ...(o.maxPollMs !== undefined ? { maxPollMs: o.maxPollMs } : {}),
      ...(o.fsEvents !== undefined ? { fsEvents: o.fsEvents } : {}),
    };
    const workerData: WorkerStart = { kind: 'fitcheck-watch', target: this.target, options };
    let worker: Worker;
    try {
      // Loaded on the first watch, not with the extension (a bundle would load it at activation).
      const { Worker: WorkerThread } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
      worker = new WorkerThread(script, { workerData });
    } catch (error) {
      return this.startHere(`the watch worker did not start (${errorText(error)})`);
    }
    this.worker = worker;
    worker.on('message', (m: WorkerMessage) => this.receive(m));
    worker.on('error', (error) => {
      // A bug or a crash in the worker: say so, and go on in this thread rather than stop watching.
      this.worker = undefined;
      if (!this.closed) this.startHere(`the watch worker stopped (${errorText(error)})`);
    });
    // Not kept alive by the worker: the CLI or a test ends when its own work does.
    worker.unref();
  }

  /** Asks the worker to read once more now (tests). */
  pollNow(final = false): void {
    if (this.fallback) this.fallback.pollNow(final);
    else this.send({ type: 'poll', final });
  }

  close(): void {
    this.closed = true;
    this.fallback?.close();
    // Ended at once, even mid-read: the worker holds nothing that needs flushing.
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private send(command: WorkerCommand): void {
    this.worker?.postMessage(command);
  }

  private startHere(why: string): void {
    this.options.onIssues?.([{ file: this.target, message: `${why}; reading in this thread instead` }]);
    // The readers (protobufjs and all) load only when the worker cannot run: the extension's bundle leaves them out.
    import('./watcher.js').then(({ RunWatcher }) => {
      if (this.closed) return;
      this.fallback = new RunWatcher(this.target, this.options);
      this.fallback.start();
    }, (error: unknown) => this.options.onIssues?.([{ file: this.target, message: `the run cannot be read in this thread either (${errorText(error)})` }]));
  }

  private receive(m: WorkerMessage): void {
    if (this.closed) return;
    if (m.type === 'issues') {
      this.options.onIssues?.(m.issues);
      return;
    }
    if (m.type === 'runs') {
      const ids = new Set(m.runs.map((r) => r.runId));
      for (const runId of [...this.targets.keys()]) {
        if (ids.has(runId)) continue;
        this.targets.delete(runId);
        this.runEvents.delete(runId);
      }
      for (const r of m.runs) this.targets.set(r.runId, r);
      this.options.onRuns?.(m.runs);
      return;
    }
    this.targets.set(m.runId, m.target);
    let events = this.runEvents.get(m.runId);
    if (m.reset || !events) {
      events = m.reset ? m.events ?? [] : [];
      this.runEvents.set(m.runId, events);
    }
    if (!m.reset) for (const e of m.appended) events.push(e);
    this.options.onUpdate({
      runId: m.runId,
      target: m.target,
      events,
      appended: m.reset ? events : m.appended,
      reset: m.reset,
      gone: m.gone,
      ...(m.diagnosis !== undefined ? { diagnosis: m.diagnosis } : {}),
    });
  }
}
