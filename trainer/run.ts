/**
 * Starts a training run in a child process (never in the caller's process: the extension host and
 * the CLI stay responsive) and streams its events. `startRun` returns at once; read the events with
 * `on('event')` or `for await`, end the run with `stop()`, await `done` for the end event.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EndEvent, RunEvent } from '../metrics/diagnosis/events.js';
import { createRunFolder, makeRunsDir, RunWriter } from '../metrics/store/run-store.js';
import type { BackendChoice } from './backend.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import type { RunSpec } from './spec/types.js';

export interface StartOptions {
  /** The run store folder (usually `<workspace>/.fitcheck/runs`). */
  runsDir: string;
  /** Folder the spec's relative CSV path is resolved against (the spec file's folder). */
  baseDir: string;
  /** Folders a CSV file may be read from (default: `baseDir` only); see trainer/data/access.ts. */
  dataRoots?: string[];
  backend?: BackendChoice;
  /** Default: a new id from the spec's name and the time. A given id must not exist yet. */
  runId?: string;
  /** The child entry: `dist/trainer-child.mjs` in the bundle; found next to this module by default. */
  childPath?: string;
  /** Folder of tfjs-backend-wasm's .wasm files (default: next to the child bundle, else the package). */
  wasmDir?: string;
}

/** A running (or finished) training run. */
export interface RunHandle extends AsyncIterable<RunEvent> {
  readonly runId: string;
  /** `<runsDir>/<runId>`, holding spec.json and events.jsonl. */
  readonly dir: string;
  /** Resolves with the end event (a synthesized `failed` one if the process died). */
  readonly done: Promise<EndEvent>;
  on(event: 'event', listener: (event: RunEvent) => void): this;
  off(event: 'event', listener: (event: RunEvent) => void): this;
  /** Asks the trainer to finish its current batch and end the run with status `stopped`. */
  stop(): void;
  /** Kills the trainer at once (SIGKILL); events.jsonl keeps every completed epoch. */
  kill(): void;
}

/** The child entry next to this module: the bundle's `trainer-child.mjs`, or tsc's `child.js`. */
export function defaultChildPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const name of ['trainer-child.mjs', 'child.js']) {
    const candidate = path.join(here, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`the trainer entry (trainer-child.mjs) was not found in ${here}`);
}

class TrainingRun extends EventEmitter implements RunHandle {
  readonly dir: string;
  readonly done: Promise<EndEvent>;
  private readonly child: ChildProcess;
  private readonly buffered: RunEvent[] = [];
  private end: EndEvent | undefined;
  private stderr = '';

  constructor(readonly runId: string, spec: RunSpec, options: StartOptions) {
    super();
    this.dir = path.join(options.runsDir, runId);
    // Advanced serialization keeps NaN and Infinity in events (JSON would turn them into null).
    this.child = fork(options.childPath ?? defaultChildPath(), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { this.stderr = (this.stderr + chunk).slice(-4000); });
    this.done = new Promise((resolve) => {
      this.child.on('message', (message: ChildMessage) => {
        if (message.type !== 'event') return;
        this.deliver(message.event);
        if (message.event.type === 'end') resolve(message.event);
      });
      this.child.on('exit', (code, signal) => {
        if (this.end) return;
        // The process died before saying how the run ended: record that in the run store too.
        const why = signal ? `the trainer process was killed (${signal})` : `the trainer process exited with code ${code}`;
        const detail = crashDetail(this.stderr);
        const end: EndEvent = { type: 'end', status: 'failed', epochs: this.lastEpoch(), wallTime: 0, reason: why, error: detail ? `${why}: ${detail}` : why, diagnosis: null };
        try {
          const writer = RunWriter.append(this.dir);
          writer.write(end);
          writer.close();
        } catch {
          // The child may have died before creating the folder; the event still reaches listeners.
        }
        this.deliver(end);
        resolve(end);
      });
    });
    const start: ParentMessage = {
      type: 'start', spec, runId, runsDir: options.runsDir, baseDir: options.baseDir, backend: options.backend ?? 'auto',
      ...(options.wasmDir ? { wasmDir: options.wasmDir } : {}),
      ...(options.dataRoots ? { dataRoots: options.dataRoots } : {}),
    };
    this.child.send(start);
  }

  stop(): void {
    if (this.end) return;
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ParentMessage);
    else this.child.kill('SIGTERM');
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RunEvent> {
    let index = 0;
    while (true) {
      while (index < this.buffered.length) yield this.buffered[index++]!;
      if (this.end) return;
      await new Promise<void>((resolve) => this.once('event', () => resolve()));
    }
  }

  private deliver(event: RunEvent): void {
    if (this.end) return;
    if (event.type === 'end') this.end = event;
    this.buffered.push(event);
    this.emit('event', event);
  }

  private lastEpoch(): number {
    for (let i = this.buffered.length - 1; i >= 0; i--) {
      const e = this.buffered[i]!;
      if (e.type === 'epoch') return e.epoch;
    }
    return 0;
  }
}

/**
 * Creates the run's folder (exclusively: a new id when one is taken), forks the trainer and starts
 * `spec` (validated by spec/validate.ts; the trainer checks its limits again). Throws an Error with
 * a plain message when the folder cannot be created (a full disk, no permission).
 */
export function startRun(spec: RunSpec, options: StartOptions): RunHandle {
  let runId: string;
  try {
    if (options.runId) {
      makeRunsDir(options.runsDir);
      fs.mkdirSync(path.join(options.runsDir, options.runId));
      runId = options.runId;
    } else {
      runId = createRunFolder(options.runsDir, spec.name ?? 'run').runId;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOSPC' || code === 'EDQUOT' ? `disk full (${code})` : code === 'EEXIST' ? `the run ${options.runId} already exists` : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
    throw new Error(`cannot create the run folder in ${options.runsDir}: ${why}`, { cause: error });
  }
  return new TrainingRun(runId, spec, options);
}

/** The useful part of a crashed trainer's stderr: the error line (not Node's trailing version banner), and "disk full" said plainly. */
export function crashDetail(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Node\.js v\d/.test(l) && !/^at /.test(l) && !/^[{}\])]+$/.test(l));
  const errorLine = lines.find((l) => /\b(\w*Error|ENOSPC|EDQUOT)\b/.test(l)) ?? lines[lines.length - 1] ?? '';
  if (/ENOSPC|EDQUOT/.test(stderr)) return `disk full (${/EDQUOT/.test(stderr) ? 'EDQUOT' : 'ENOSPC'})`;
  return errorLine.slice(0, 300);
}
