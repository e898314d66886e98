/** The run store: `.fitcheck/runs/<run-id>/` with `spec.json` and `events.jsonl`. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encodeEvent, parseEvents, type ParsedEvents } from './codec.js';
import type { RunEvent } from './events.js';

/** The store folder under a workspace root. */
export function runsDir(root: string): string {
  return path.join(root, '.fitcheck', 'runs');
}

/** A sortable, unique run id: `20260125-152233-<name>-<4 hex>`. */
export function newRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
  return `${stamp}-${slug}-${crypto.randomBytes(2).toString('hex')}`;
}

/**
 * Appends events to a run's `events.jsonl`. Each event is one `write` system call on an
 * unbuffered descriptor, so a process killed at any point leaves every earlier line on disk.
 */
export class RunWriter {
  private fd: number | undefined;

  private constructor(readonly dir: string, fd: number) {
    this.fd = fd;
  }

  /** Creates `<base>/<runId>/` with `spec.json` and an empty `events.jsonl`. */
  static create(base: string, runId: string, spec: unknown): RunWriter {
    const dir = path.join(base, runId);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'spec.json'), `${JSON.stringify(spec, null, 2)}\n`);
    return new RunWriter(dir, fs.openSync(path.join(dir, 'events.jsonl'), 'a'));
  }

  /** Opens an existing run to append (the parent adds an `end` event for a child that died). */
  static append(dir: string): RunWriter {
    const file = path.join(dir, 'events.jsonl');
    const fd = fs.openSync(file, 'a+');
    // A writer killed mid-line leaves no newline; start on a fresh line so the cut line stays the only bad one.
    const size = fs.fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) fs.writeSync(fd, '\n');
    }
    return new RunWriter(dir, fd);
  }

  write(event: RunEvent): void {
    if (this.fd === undefined) return;
    fs.writeSync(this.fd, encodeEvent(event));
  }

  /** Forces the lines to the disk (called once per epoch: survives a machine crash, not only a killed process). */
  sync(): void {
    if (this.fd !== undefined) fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
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
