/**
 * Live tailing of a watched folder or file: finds its runs, reads what their files append, and
 * reports each run's metric events as they grow. File-system events (`fs.watch` on the folders that
 * hold the runs' files, and on the watched folder itself) wake it
 * at once; a polling timer that backs off from `minPollMs` to `maxPollMs` while nothing changes is
 * the fallback for file systems that send no events (network drives, containers). New files and run
 * folders are found again on file-system events and on every tenth poll.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeEvent } from '../diagnosis/codec.js';
import type { Diagnosis, RunEvent } from '../diagnosis/events.js';
import type { ReadIssue } from '../diagnosis/scalars.js';
import { discoverRuns, type RunTarget } from './discover.js';
import { RunSource, type SourceOptions } from './run-source.js';
import { errorText } from '../readers/file-tail.js';

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
  /**
   * The diagnosis at the last epoch, from the one analysis that set the epochs' regimes and raised
   * the insights among `events`; absent for a run that brings its own (the bundled trainer's events).
   */
  diagnosis?: Diagnosis | null;
}

export interface WatcherOptions extends SourceOptions {
  minPollMs?: number;
  maxPollMs?: number;
  /** Use file-system events as well as polling (default true). */
  fsEvents?: boolean;
  /**
   * Bytes read per tick across all runs (default 4 MiB, ~40 ms of parsing: short enough for a
   * thread the editor shares; a worker thread of its own can take more per tick).
   */
  bytesPerTick?: number;
  /** The pause between ticks while catching up on a big file (default 50 ms: the thread's other work goes first). */
  catchUpDelayMs?: number;
  onUpdate(update: WatchUpdate): void;
  /** Problems reading the files (each reported once). */
  onIssues?(issues: ReadIssue[]): void;
  /** The set of runs changed (a run folder appeared, or a run was folded into another): `runs` is all of them now. */
  onRuns?(runs: RunTarget[]): void;
}

interface Tracked {
  source: RunSource;
  /** Read since the last emit (while catching up, emits wait). */
  dirty: boolean;
  /** No emit before this time (performance.now()): bounds the share of time spent assembling. */
  nextEmit: number;
  /** While catching up on a big file, the next interim update is due at this time (performance.now()). */
  nextCatchUpEmit: number;
  lines: string[];
  events: RunEvent[];
  gone: boolean;
}

/**
 * About 4 MiB read per tick across all runs (~40 ms of parsing here), then the event loop is free
 * again: catching up on a big log never holds the extension host for long. A file with nothing new
 * costs nothing, so every file of every run is looked at each tick.
 */
const BYTES_PER_TICK = 4 * 1024 * 1024;
/** One read takes at most this much, so the files of a run share a tick's budget. */
const READ_BYTES = 1024 * 1024;
/** A tick while some run has not been shown yet reads this much at most: its first update comes at once. */
const FIRST_READ_BYTES = 256 * 1024;
/** Folders watched for file-system events at most; beyond, polling alone keeps the watch live. */
const MAX_WATCHED_DIRS = 256;
/**
 * With no file-system event, the folder is listed again this often (new runs on file systems that
 * send no events), or less often when listing it is slow: at most ~5 % of the time goes to it.
 */
const REDISCOVER_MS = 2000;
/** While a big file is caught up on, an interim update this often (the first one at once). */
const CATCH_UP_EMIT_MS = 500;

export class RunWatcher {
  private readonly tracked = new Map<string, Tracked>();
  private readonly reported = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly fsWatchers = new Map<string, fs.FSWatcher>();
  private started = false;
  private interval: number;
  private polls = 0;
  private needDiscovery = true;
  /** No periodic re-discovery before this time (performance.now()). */
  private nextDiscovery = 0;
  /** The folders the last discovery walked, shallowest first. */
  private dirs: string[] = [];
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
    this.started = true;
    this.tick();
  }

  /**
   * Watches the target, the folders holding its runs' files and the folders discovery walked
   * (shallowest first, up to MAX_WATCHED_DIRS), each without recursion: a recursive watch on Linux
   * adds an inotify watch for every folder below (node_modules, datasets), which is slow to set up
   * and can exhaust the user's limit, while discovery already skips those. A new run folder (Keras'
   * `validation/`, Lightning's next `version_N/`) thus wakes the watch at once; runs deeper than
   * the watched folders are found by the periodic re-discovery.
   */
  private syncFsWatchers(): void {
    if (this.options.fsEvents === false || this.closed || !this.started) return;
    let root = this.target;
    try {
      if (!fs.statSync(this.target).isDirectory()) root = path.dirname(this.target);
    } catch {
      root = path.dirname(this.target);
    }
    const wanted = new Set([root]);
    for (const t of this.tracked.values()) for (const f of t.source.target.files) wanted.add(path.dirname(f.file));
    for (const dir of this.dirs) {
      if (wanted.size >= MAX_WATCHED_DIRS) break;
      wanted.add(dir);
    }
    for (const [dir, w] of this.fsWatchers) {
      if (!wanted.has(dir)) {
        w.close();
        this.fsWatchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.fsWatchers.has(dir) || this.fsWatchers.size >= MAX_WATCHED_DIRS) continue;
      try {
        const w = fs.watch(dir, (kind) => {
          if (kind === 'rename') this.needDiscovery = true;
          this.wake();
        });
        // A folder deleted or unwatchable: polling goes on.
        w.on('error', () => {
          w.close();
          this.fsWatchers.delete(dir);
        });
        this.fsWatchers.set(dir, w);
      } catch {
        // No file-system events here (or too many watches): polling alone keeps it live.
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
    for (const w of this.fsWatchers.values()) w.close();
    this.fsWatchers.clear();
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
      if (this.needDiscovery || performance.now() >= this.nextDiscovery) changed = this.discover() || changed;
      const issues: ReadIssue[] = [];
      // A run not shown yet gets a small first read: its first chart comes before the rest is caught up on.
      const unseen = [...this.tracked.values()].some((t) => t.lines.length === 0);
      const perTick = this.options.bytesPerTick ?? BYTES_PER_TICK;
      const budget = { bytes: final ? Number.POSITIVE_INFINITY : unseen ? Math.min(perTick, FIRST_READ_BYTES) : perTick };
      // Runs take turns at going first, so one huge run cannot keep the others waiting.
      const entries = [...this.tracked];
      const first = entries.length > 0 ? this.polls % entries.length : 0;
      const now = performance.now();
      for (const [runId, t] of [...entries.slice(first), ...entries.slice(0, first)]) {
        const result = t.source.poll(final, budget);
        for (const issue of result.issues) issues.push(issue);
        t.dirty ||= result.changed;
        // Catching up on a big file: read on at once, and assemble when caught up, but for an update
        // at once (the first chart within a second of watching) and one every CATCH_UP_EMIT_MS.
        if (result.more) {
          behind = true;
          if (!t.dirty || now < t.nextCatchUpEmit) continue;
          t.nextCatchUpEmit = now + CATCH_UP_EMIT_MS;
        }
        if (!(t.dirty || t.lines.length === 0)) continue;
        // Assembling a long run costs time: at most ~10 % of the time goes to it.
        if (!final && !result.more && now < t.nextEmit) {
          behind = true;
          continue;
        }
        const started = performance.now();
        changed = this.emit(runId, t) || changed;
        t.nextEmit = performance.now() + 9 * (performance.now() - started);
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
      this.options.onIssues?.([{ file: this.target, message: `internal error while reading: ${errorText(error)}` }]);
    }
    this.interval = changed ? this.minPoll : Math.min(this.maxPoll, Math.round(this.interval * 1.5));
    if (!this.closed) this.timer = setTimeout(() => this.tick(), behind ? Math.min(this.minPoll, this.options.catchUpDelayMs ?? 50) : this.interval);
  }

  private discover(): boolean {
    this.needDiscovery = false;
    const began = performance.now();
    const found = discoverRuns(this.target);
    this.dirs = found.dirs;
    this.nextDiscovery = performance.now() + Math.max(REDISCOVER_MS, 20 * (performance.now() - began));
    const issues = found.issues.map((message) => ({ file: this.target, message })).filter((i) => !this.reported.has(`${i.file}\n${i.message}`));
    for (const i of issues) this.reported.add(`${i.file}\n${i.message}`);
    if (issues.length > 0) this.options.onIssues?.(issues);
    let added = false;
    // A run whose files all moved into another run (a lone folder that became one writer of a run
    // found above it) is dropped: its files are read there, and two runs would show them twice.
    const claimed = new Map<string, string>();
    for (const run of found.runs) for (const f of run.files) claimed.set(f.file, run.runId);
    const foundIds = new Set(found.runs.map((r) => r.runId));
    for (const [runId, t] of this.tracked) {
      const files = t.source.target.files;
      if (!foundIds.has(runId) && files.length > 0 && files.every((f) => claimed.has(f.file))) {
        this.tracked.delete(runId);
        added = true;
      }
    }
    for (const run of found.runs) {
      const t = this.tracked.get(run.runId);
      if (t) t.source.update(run);
      else {
        this.tracked.set(run.runId, { source: new RunSource(run, { maxReadBytes: READ_BYTES, ...this.options }), dirty: false, nextEmit: 0, nextCatchUpEmit: 0, lines: [], events: [], gone: false });
        added = true;
      }
    }
    if (added) this.options.onRuns?.(this.runs);
    this.syncFsWatchers();
    return added;
  }

  /** Re-assembles a run and reports what changed; true when something did. */
  private emit(runId: string, t: Tracked): boolean {
    const { events, kept = 0, diagnosis } = t.source.assemble();
    // Events the assembly kept from the last time are not encoded again (a long run's update costs what it added).
    const reuse = Math.min(kept, t.lines.length);
    const lines = t.lines.slice(0, reuse);
    for (let i = reuse; i < events.length; i++) lines.push(encodeEvent(events[i]!));
    const gone = t.source.gone;
    let prefix = 0;
    while (prefix < t.lines.length && prefix < lines.length && t.lines[prefix] === lines[prefix]) prefix += 1;
    const reset = prefix < t.lines.length;
    if (!reset && lines.length === t.lines.length && gone === t.gone) return false;
    t.lines = lines;
    t.events = events;
    t.gone = gone;
    this.options.onUpdate({ runId, target: t.source.target, events, appended: reset ? events : events.slice(prefix), reset, gone, ...(diagnosis !== undefined ? { diagnosis } : {}) });
    return true;
  }
}
