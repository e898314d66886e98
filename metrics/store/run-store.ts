/** The run store: `.fitcheck/runs/<run-id>/` with `spec.json` and `events.jsonl`. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encodeEvent, parseEvents, type ParsedEvents } from '../diagnosis/codec.js';
import type { RunEvent } from '../diagnosis/events.js';

/** The store folder under a workspace root. */
export function runsDir(root: string): string {
  return path.join(root, '.fitcheck', 'runs');
}

/** What `.fitcheck/.gitignore` says: the run store is local output, never source. */
export const STORE_GITIGNORE = "# Fitcheck's run store: training runs on this machine, not source.\n*\n";

/**
 * Creates the runs folder `base` and its parents. When this creates the `.fitcheck` folder that
 * holds it, a `.gitignore` goes in first, so runs never show up as changes to commit.
 */
export function makeRunsDir(base: string): void {
  const created = fs.mkdirSync(base, { recursive: true });
  const store = path.dirname(base);
  if (created === undefined || path.basename(store) !== '.fitcheck') return;
  // `created` is the first folder made: the store is new when it is that folder or below it.
  if (path.relative(created, store).startsWith('..')) return;
  try {
    fs.writeFileSync(path.join(store, '.gitignore'), STORE_GITIGNORE, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** A sortable, unique run id: `20260125-152233-<name>-<4 hex>`. */
export function newRunId(name: string, now = new Date()): string {
  return `${runIdPrefix(name, now)}-${crypto.randomBytes(2).toString('hex')}`;
}

/** The time and name part of a run id, before its random suffix. */
function runIdPrefix(name: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
  return `${stamp}-${slug}`;
}

export interface CreateRunOptions {
  now?: Date;
  /** Makes a candidate id (default `newRunId`); tests pass a small pool to force collisions. */
  makeId?(name: string, now: Date): string;
  /** Ids tried before giving up (default 1000). */
  attempts?: number;
}

/**
 * Creates a new, empty run folder under `base` and returns its id. The leaf is made with a plain
 * (not recursive) mkdir, which fails when the folder exists, so two runs started in the same
 * second can never share a folder: a taken id is replaced by a new one.
 */
export function createRunFolder(base: string, name: string, options: CreateRunOptions = {}): { runId: string; dir: string } {
  const now = options.now ?? new Date();
  const makeId = options.makeId ?? newRunId;
  const attempts = options.attempts ?? 1000;
  makeRunsDir(base);
  for (let i = 0; i < attempts; i++) {
    const runId = makeId(name, now);
    const dir = path.join(base, runId);
    try {
      fs.mkdirSync(dir);
      return { runId, dir };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`could not create a new run folder in ${base}: ${attempts} ids in a row were taken`);
}

/** Writes `length` bytes of `buffer` from `offset` to `fd`; returns the bytes written (may be fewer). `fs.writeSync` by default. */
export type WriteBytes = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/** A write to events.jsonl failed; the file still ends with the last complete line. `diskFull` for ENOSPC and quota errors. */
export class RunWriteError extends Error {
  readonly code: string | undefined;
  readonly diskFull: boolean;
  constructor(file: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const diskFull = code === 'ENOSPC' || code === 'EDQUOT';
    super(diskFull
      ? `disk full: cannot write the run's events to ${file} (${code}); every complete line written before is kept`
      : code === 'EFBIG'
        ? `file too large: cannot write the run's events to ${file} past the file size limit (EFBIG); every complete line written before is kept`
        : `cannot write the run's events to ${file}: ${code ?? (cause instanceof Error ? cause.message : String(cause))}`);
    this.name = 'RunWriteError';
    this.code = code;
    this.diskFull = diskFull;
  }
}

/**
 * Appends events to a run's `events.jsonl`. Each event is written with unbuffered `write` calls
 * (repeated until the whole line is out), so a process killed at any point leaves every earlier
 * line on disk. When a write fails (a full disk) the partial line is cut off again, so the file
 * keeps only complete lines, and `RunWriteError` says why.
 */
export class RunWriter {
  private fd: number | undefined;
  /** Bytes of complete lines in the file. */
  private size: number;

  private constructor(readonly dir: string, fd: number, private readonly writeBytes: WriteBytes) {
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
  }

  /** Creates `<base>/<runId>/` (the folder must not exist) with `spec.json` and an empty `events.jsonl`. */
  static create(base: string, runId: string, spec: unknown, options: { write?: WriteBytes } = {}): RunWriter {
    makeRunsDir(base);
    const dir = path.join(base, runId);
    // Not recursive: an existing folder belongs to another run.
    fs.mkdirSync(dir);
    return RunWriter.open(dir, spec, options);
  }

  /** Fills a new, empty run folder (from `createRunFolder`) with `spec.json` and `events.jsonl`; both must not exist yet. */
  static open(dir: string, spec: unknown, options: { write?: WriteBytes } = {}): RunWriter {
    fs.writeFileSync(path.join(dir, 'spec.json'), `${JSON.stringify(spec, null, 2)}\n`, { flag: 'wx' });
    // Append mode: after a failed write is cut off, the next line goes at the new end, not past a hole.
    return new RunWriter(dir, fs.openSync(path.join(dir, 'events.jsonl'), 'ax'), options.write ?? fs.writeSync);
  }

  /** Opens an existing run to append (the parent adds an `end` event for a child that died). */
  static append(dir: string, options: { write?: WriteBytes } = {}): RunWriter {
    const file = path.join(dir, 'events.jsonl');
    const fd = fs.openSync(file, 'a+');
    // A writer killed mid-line leaves no newline; start on a fresh line so the cut line stays the only bad one.
    const size = fs.fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) fs.writeSync(fd, '\n');
    }
    return new RunWriter(dir, fd, options.write ?? fs.writeSync);
  }

  /** Appends one event as one line; throws `RunWriteError` (the file then still ends with a complete line). */
  write(event: RunEvent): void {
    if (this.fd === undefined) return;
    const bytes = Buffer.from(encodeEvent(event));
    let done = 0;
    try {
      while (done < bytes.length) {
        const n = this.writeBytes(this.fd, bytes, done, bytes.length - done);
        if (!(n > 0)) throw Object.assign(new Error('no bytes written'), { code: 'EIO' });
        done += n;
      }
      this.size += bytes.length;
    } catch (error) {
      // Cut the partial line off, so readers see the last complete event as the end.
      if (done > 0) {
        try { fs.ftruncateSync(this.fd, this.size); } catch { /* a reader still treats a torn tail as the end */ }
      }
      throw new RunWriteError(path.join(this.dir, 'events.jsonl'), error);
    }
  }

  /** Forces the lines to the disk (survives a machine crash, not only a killed process); false when the disk refused. */
  sync(): boolean {
    if (this.fd === undefined) return true;
    try {
      fs.fsyncSync(this.fd);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try { fs.closeSync(fd); } catch { /* nothing more can be written anyway */ }
  }
}

export interface StoredRun {
  runId: string;
  dir: string;
  spec: unknown;
  events: ParsedEvents;
}

/** Reads one run folder; a missing or unreadable spec.json gives `spec: undefined`. */
export function readRun(dir: string): StoredRun {
  let spec: unknown;
  try {
    spec = JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8'));
  } catch {
    spec = undefined;
  }
  let text = '';
  try {
    text = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8');
  } catch {
    // A run folder without events reads as an empty run.
  }
  return { runId: path.basename(dir), dir, spec, events: parseEvents(text) };
}

/** Run ids in a store folder, newest first. */
export function listRuns(base: string): string[] {
  try {
    return fs.readdirSync(base, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(base, d.name, 'events.jsonl')))
      .map((d) => d.name)
      .sort()
      .reverse();
  } catch {
    return [];
  }
}
