/**
 * Live tailing of a watched folder or file: finds its runs, reads what their files append, and
 * reports each run's metric events as they grow. File-system events (`fs.watch`, recursive) wake it
 * at once; a polling timer that backs off from `minPollMs` to `maxPollMs` while nothing changes is
 * the fallback for file systems that send no events (network drives, containers). New files and run
 * folders are found again on file-system events and on every tenth poll.
 */
import fs from 'node:fs';
import { encodeEvent } from '../codec.js';
import type { RunEvent } from '../events.js';
import type { ReadIssue } from '../scalars.js';
import { discoverRuns, type RunTarget } from './discover.js';
import { RunSource, type SourceOptions } from './run-source.js';

export interface WatchUpdate {
  runId: string;
  target: RunTarget;
  /** All of the run's events now. */
  events: RunEvent[];
  /** The events added since the last update; with `reset`, the earlier ones changed and `events` replaces them. */
  appended: RunEvent[];
  reset: boolean;
  /** Every file of the run is gone. */
  gone: boolean;
}

export interface WatcherOptions extends SourceOptions {
  minPollMs?: number;
  maxPollMs?: number;
  /** Use file-system events as well as polling (default true). */
  fsEvents?: boolean;
  onUpdate(update: WatchUpdate): void;
  /** Problems reading the files (each reported once). */
  onIssues?(issues: ReadIssue[]): void;
  /** The set of runs changed (a run folder appeared). */
  onRuns?(runs: RunTarget[]): void;
}

interface Tracked {
  source: RunSource;
  /** Read since the last emit (while catching up, emits wait). */
  dirty: boolean;
  lines: string[];
  events: RunEvent[];
  gone: boolean;
}

/** Bounded reads (8 MiB each) per file per tick: the event loop is never held long by a big file. */
const READS_PER_TICK = 1;
/** Re-discovery runs on every this-many polls even with no file-system event. */
const REDISCOVER_EVERY = 10;

export class RunWatcher {
  private readonly tracked = new Map<string, Tracked>();
  private readonly reported = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private fsWatcher: fs.FSWatcher | undefined;
  private interval: number;
  private polls = 0;
  private needDiscovery = true;
  private closed = false;
  private wakeDue = false;
  private readonly minPoll: number;
  private readonly maxPoll: number;

  constructor(readonly target: string, private readonly options: WatcherOptions) {
    this.minPoll = options.minPollMs ?? 250;
    this.maxPoll = Math.max(this.minPoll, options.maxPollMs ?? 2000);
    this.interval = this.minPoll;
  }

  /** The runs found so far. */
  get runs(): RunTarget[] {
    return [...this.tracked.values()].map((t) => t.source.target);
  }

  /** The events of one run now. */
  events(runId: string): RunEvent[] | undefined {
    return this.tracked.get(runId)?.events;
  }

  /** Reads everything there is now and starts following the files. */
  start(): void {
    this.tick();
    if (this.options.fsEvents !== false) {
      try {
        this.fsWatcher = fs.watch(this.target, { recursive: true }, (kind) => {
          if (kind === 'rename') this.needDiscovery = true;
          this.wake();
        });
        this.fsWatcher.on('error', () => this.dropFsWatcher());
      } catch {
        // No file-system events here (or too many watches): polling alone keeps it live.
        this.fsWatcher = undefined;
      }
    }
  }

  /** Reads once more now (tests, and `--once` after `start`). */
  pollNow(final = false): void {
    this.tick(final);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.dropFsWatcher();
  }

  private dropFsWatcher(): void {
    this.fsWatcher?.close();
    this.fsWatcher = undefined;
  }

  /**
   * A file-system event: read within 50 ms. Events come in bursts while a writer flushes; a tick
   * already due that soon is kept, never pushed back (a writer that never pauses must not starve it).
   */
  private wake(): void {
    if (this.closed || this.wakeDue) return;
    this.wakeDue = true;
    this.interval = this.minPoll;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 50);
  }

  private tick(final = false): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.wakeDue = false;
    let changed = false;
    let behind = false;
    try {
      this.polls += 1;
      if (this.needDiscovery || this.polls % REDISCOVER_EVERY === 0) changed = this.discover() || changed;
      const issues: ReadIssue[] = [];
      for (const [runId, t] of this.tracked) {
        const result = t.source.poll(final, final ? Number.POSITIVE_INFINITY : READS_PER_TICK);
        issues.push(...result.issues);
        t.dirty ||= result.changed;
        // Catching up on a big file: read on at once, and assemble when caught up.
        if (result.more) {
          behind = true;
          continue;
        }
        if (t.dirty || t.lines.length === 0) changed = this.emit(runId, t) || changed;
        t.dirty = false;
      }
      const fresh = issues.filter((i) => {
        const key = `${i.file}\n${i.message}`;
        if (this.reported.has(key)) return false;
        this.reported.add(key);
        return true;
      });
      if (fresh.length > 0) this.options.onIssues?.(fresh);
    } catch (error) {
      // A bug here must not stop the watch (or reach the editor as an unhandled error).
      this.options.onIssues?.([{ file: this.target, message: `internal error while reading: ${error instanceof Error ? error.message : String(error)}` }]);
    }
    this.interval = changed ? this.minPoll : Math.min(this.maxPoll, Math.round(this.interval * 1.5));
    if (!this.closed) this.timer = setTimeout(() => this.tick(), behind ? 0 : this.interval);
  }

  private discover(): boolean {
    this.needDiscovery = false;
    const found = discoverRuns(this.target);
    const issues = found.issues.map((message) => ({ file: this.target, message })).filter((i) => !this.reported.has(`${i.file}\n${i.message}`));
    for (const i of issues) this.reported.add(`${i.file}\n${i.message}`);
    if (issues.length > 0) this.options.onIssues?.(issues);
    let added = false;
    for (const run of found.runs) {
      const t = this.tracked.get(run.runId);
      if (t) t.source.update(run);
      else {
        this.tracked.set(run.runId, { source: new RunSource(run, this.options), dirty: false, lines: [], events: [], gone: false });
        added = true;
      }
    }
    if (added) this.options.onRuns?.(this.runs);
    return added;
  }

  /** Re-assembles a run and reports what changed; true when something did. */
  private emit(runId: string, t: Tracked): boolean {
    const { events } = t.source.assemble();
    const lines = events.map(encodeEvent);
    const gone = t.source.gone;
    let prefix = 0;
    while (prefix < t.lines.length && prefix < lines.length && t.lines[prefix] === lines[prefix]) prefix += 1;
    const reset = prefix < t.lines.length;
    if (!reset && lines.length === t.lines.length && gone === t.gone) return false;
    t.lines = lines;
    t.events = events;
    t.gone = gone;
    this.options.onUpdate({ runId, target: t.source.target, events, appended: reset ? events : events.slice(prefix), reset, gone });
    return true;
  }
}
