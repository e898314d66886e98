/**
 * One watched run: its files' readers, the scalars and events read so far, and the metric events
 * assembled from them. A file that was replaced or truncated drops what it gave before; a file
 * deleted mid-run keeps what was read from it.
 */
import type { EndEvent, RunEvent, StartEvent } from '../diagnosis/events.js';
import { CsvReader } from '../readers/csv.js';
import { EventFileReader } from '../readers/event-file.js';
import { JsonlReader } from '../readers/jsonl.js';
import type { MetricsReader, ReaderUpdate } from '../readers/reader.js';
import { addPoint, appendSeries, emptySeries, mergeSeries, type ReadIssue, type ScalarSeries } from '../diagnosis/scalars.js';
import { assembleRun, type AssembledRun, type AssemblyState } from './assemble.js';
import type { RunFile, RunTarget } from './discover.js';
import type { TagMapping } from './tag-roles.js';

export interface SourceOptions {
  epsilon?: number;
  mapping?: TagMapping;
  /** Bytes per read of a file (default 8 MiB; the live watcher uses less, to keep each tick short). */
  maxReadBytes?: number;
}

interface FileState {
  spec: RunFile;
  reader: MetricsReader;
  series: Map<string, ScalarSeries>;
  events: RunEvent[];
  missing: boolean;
}

export interface PollResult {
  /** Something new was read (or a file restarted or vanished). */
  changed: boolean;
  issues: ReadIssue[];
  /** A file holds more than was read (the byte budget ran out). */
  more: boolean;
}

function readerFor(spec: RunFile, maxRead: number | undefined): MetricsReader {
  if (spec.kind === 'tfevents') return new EventFileReader(spec.file, maxRead);
  if (spec.kind === 'jsonl') return new JsonlReader(spec.file, maxRead);
  return new CsvReader(spec.file, spec.metricName, maxRead);
}

export class RunSource {
  private readonly files = new Map<string, FileState>();
  /** The file the next poll reads first (round-robin across polls). */
  private turn = 0;
  /** Bumped when points read before may have changed (a file restarted, vanished, came back or was added). */
  private generation = 0;
  /** Lets a live assembly extend the previous one while the run only grew. */
  private readonly cache: { key: string; state?: AssemblyState } = { key: '' };

  constructor(public target: RunTarget, private readonly options: SourceOptions = {}) {
    for (const spec of target.files) this.addFile(spec);
  }

  /** Takes in files discovered after the run was first seen (a new writer, a rotated event file). */
  update(target: RunTarget): void {
    this.target = target;
    for (const spec of target.files) {
      if (this.files.has(spec.file)) continue;
      this.addFile(spec);
      this.generation += 1;
    }
  }

  /** Whether every file of the run is gone. */
  get gone(): boolean {
    return [...this.files.values()].every((f) => f.missing);
  }

  /**
   * Reads what the files added, in bounded reads charged to `budget.bytes`, which the other runs of
   * a watch share, so a live editor never stalls on huge files: the rest comes on the next poll.
   * Files take turns: each gets one read per pass, and the next poll starts at the file this one
   * could not reach, so a big first file never starves the others (Keras' `validation/` writer, a
   * rotated or resumed run's new file). A read that finds nothing new costs nothing. With `final`,
   * incomplete last records are reported instead of awaited.
   */
  poll(final = false, budget: { bytes: number } = { bytes: Number.POSITIVE_INFINITY }): PollResult {
    const result: PollResult = { changed: false, issues: [], more: false };
    const states = [...this.files.values()];
    if (states.length === 0) return result;
    const first = this.turn % states.length;
    let pass = [...states.slice(first), ...states.slice(0, first)];
    while (pass.length > 0) {
      const again: FileState[] = [];
      for (let i = 0; i < pass.length; i++) {
        if (budget.bytes <= 0) {
          // The first file not reached goes first next time.
          this.turn = states.indexOf(pass[i]!);
          result.more = true;
          return result;
        }
        const state = pass[i]!;
        const update = this.readOnce(state, final, result);
        budget.bytes -= update.bytes;
        if (update.more && !update.missing) again.push(state);
      }
      pass = again;
    }
    this.turn = (first + 1) % states.length;
    return result;
  }

  /** One bounded read of one file into its series and events. */
  private readOnce(state: FileState, final: boolean, result: PollResult): ReaderUpdate {
    // Points go straight into per-tag columns: no object per point on the hot path.
    const fresh = new Map<string, ScalarSeries>();
    const prefix = state.spec.prefix;
    const update = state.reader.poll(final, (tag, step, value, wallTime) => addPoint(fresh, prefix + tag, step, value, wallTime));
    for (const issue of update.issues) result.issues.push(issue);
    if (update.missing) {
      if (!state.missing) result.changed = true;
      state.missing = true;
      return update;
    }
    if (state.missing) result.changed = true;
    state.missing = false;
    if (update.restarted) {
      state.series.clear();
      state.events = [];
      result.changed = true;
      this.generation += 1;
    }
    if (update.sunk > 0 || update.events.length > 0) result.changed = true;
    mergeSeries(state.series, fresh);
    for (const event of update.events) state.events.push(event);
    return update;
  }

  /**
   * The run as metric events: a trainer run's own events, else the events assembled from its
   * scalars. `live` (the default) holds back a last epoch whose values have not all arrived.
   */
  assemble(live = true): AssembledRun {
    const events = [...this.files.values()].flatMap((f) => f.events);
    // A file the bundled trainer wrote (it has epoch events) is already in the format.
    if (events.some((e) => e.type === 'epoch')) {
      const start = events.find((e): e is StartEvent => e.type === 'start');
      const own = events.map((e) => (e.type === 'start' ? { ...e, runId: this.target.runId } : e));
      return { events: own, roles: {}, metric: start?.metric ?? 'error' };
    }
    // Files in name order (event files are named by their start time): a resumed run's new file
    // comes after the old one, and for a step logged in both, its later value wins.
    const series = new Map<string, ScalarSeries>();
    const ordered = [...this.files.values()].sort((a, b) => (a.spec.file < b.spec.file ? -1 : a.spec.file > b.spec.file ? 1 : 0));
    for (const f of ordered) {
      for (const [key, s] of f.series) {
        const into = series.get(key);
        if (!into) {
          series.set(key, s);
        } else {
          // A tag in two files (a resumed run): joined into a new series, the files' own stay as read.
          const joined = emptySeries(key, into.length + s.length);
          appendSeries(joined, into);
          appendSeries(joined, s);
          series.set(key, joined);
        }
      }
    }
    const sources = new Set(this.target.files.map((f) => f.kind));
    const helper = events.some((e) => e.type === 'start');
    const source = helper ? 'the Python helper' : sources.has('tfevents') ? 'TensorBoard event files' : sources.has('csv') ? 'CSV metrics' : 'JSONL';
    return assembleRun(series, {
      runId: this.target.runId,
      name: this.target.name,
      source: helper ? 'pytorch' : sources.has('tfevents') ? 'tensorboard' : sources.has('csv') ? 'csv' : 'jsonl',
      sourceWords: source,
      events,
      live,
      // Only a live watch assembles again and again; a one-off read has nothing to extend.
      ...(live ? { cache: this.cacheFor(ordered.map((f) => f.spec.file)) } : {}),
      ...(this.options.epsilon !== undefined ? { epsilon: this.options.epsilon } : {}),
      ...(this.options.mapping ? { mapping: this.options.mapping } : {}),
    });
  }

  /** Whether the writer said it finished (the helper's or the trainer's end event). */
  get ended(): boolean {
    return [...this.files.values()].some((f) => f.events.some((e): e is EndEvent => e.type === 'end'));
  }

  /** The assembly cache, keyed by what would invalidate it. */
  private cacheFor(files: string[]): { key: string; state?: AssemblyState } {
    this.cache.key = `${this.generation}\n${files.join('\n')}`;
    return this.cache;
  }

  private addFile(spec: RunFile): void {
    this.files.set(spec.file, { spec, reader: readerFor(spec, this.options.maxReadBytes), series: new Map(), events: [], missing: false });
  }
}
