/**
 * `fitcheck watch <path>`: follows users' own runs (TensorBoard event files, the Python helper's
 * JSONL, CSV/TSV metrics) and prints each epoch, its regime and every alert as they arrive; `--once`
 * prints the diagnosis of what is there and exits; `--json` prints events instead of words.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeEvent } from '../metrics/diagnosis/codec.js';
import { describeDiagnosis, formatError, REGIME_TITLES } from '../metrics/diagnosis/describe.js';
import type { EndEvent, EpochEvent, InsightEvent, RunEvent, StartEvent } from '../metrics/diagnosis/events.js';
import { analyzeEvents, latestPerKind, rankInsights } from '../metrics/diagnosis/insights.js';
import type { ReadIssue } from '../metrics/diagnosis/scalars.js';
import { discoverRuns, type RunTarget } from '../metrics/watch/discover.js';
import { RunSource } from '../metrics/watch/run-source.js';
import type { TagMapping } from '../metrics/watch/tag-roles.js';
import { RunWatcher } from '../metrics/watch/watcher.js';
import type { Output } from './lint-command.js';
import { displayPath, formatLoss } from './display.js';

export interface WatchOptions {
  once: boolean;
  json: boolean;
  color: boolean;
  epsilon?: number;
  mapping?: TagMapping;
  /** List every insight event instead of the latest of each kind, ranked and capped. */
  all?: boolean;
  /** Live mode ends when this aborts (Ctrl-C in the CLI, the end of a test). */
  signal?: AbortSignal;
  minPollMs?: number;
}

export const EXIT_OK = 0;
export const EXIT_NOTHING = 2;

/** What `--json` prints per run: the trainer's `end` event for what was read, named by run. */
export type RunSummaryEvent = Omit<EndEvent, 'status'> & { status: EndEvent['status'] | 'running'; runId: string; name: string; backend: string };

/** The `end` event for a run read so far: the writer's own status, or `running` when it wrote none. */
export function summaryEvent(target: RunTarget, events: readonly RunEvent[]): RunSummaryEvent {
  const start = events.find((e): e is StartEvent => e.type === 'start');
  const end = events.find((e): e is EndEvent => e.type === 'end');
  const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
  const analysis = analyzeEvents(events);
  const last = epochs[epochs.length - 1];
  const out: RunSummaryEvent = {
    type: 'end',
    status: end?.status ?? 'running',
    epochs: epochs.length,
    wallTime: end?.wallTime ?? last?.wallTime ?? 0,
    diagnosis: analysis.diagnosis,
    insights: [...new Set(analysis.insights.map((i) => i.kind))],
    runId: target.runId,
    name: target.name,
    backend: start?.backend ?? '',
  };
  const best = epochs.filter((e) => e.val && Number.isFinite(e.val.loss)).reduce<EpochEvent | undefined>((b, e) => (!b || e.val!.loss < b.val!.loss ? e : b), undefined);
  if (best) out.bestEpoch = best.epoch;
  if (end?.error) out.error = end.error;
  return out;
}

/** Watches `target`; resolves to the exit code (0, or 2 when there is nothing to read there). */
export async function runWatch(target: string, options: WatchOptions, out: Output): Promise<number> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    out.stderr(`fitcheck: ${target}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or folder' : `cannot be read (${code ?? String(error)})`}\n`);
    return EXIT_NOTHING;
  }
  // A FIFO or device would block a read, or never end: only files and folders are watched.
  if (!stat.isFile() && !stat.isDirectory()) {
    out.stderr(`fitcheck: ${target}: not a regular file or folder; only files and folders are read\n`);
    return EXIT_NOTHING;
  }
  const found = discoverRuns(target);
  for (const issue of found.issues) out.stderr(`fitcheck: ${issue}\n`);
  // Live, an empty folder is fine: the runs appear when training starts writing.
  if (found.runs.length === 0 && options.once) {
    if (found.issues.length === 0) out.stderr(`fitcheck: no runs under ${target} (looked for TensorBoard event files, *.fitcheck.jsonl, DVCLive folders and metrics CSV files)\n`);
    return EXIT_NOTHING;
  }
  const printIssues = (issues: readonly ReadIssue[]) => {
    for (const i of issues) out.stderr(`fitcheck: ${displayPath(i.file)}: ${i.message}\n`);
  };
  if (options.once) {
    found.runs.forEach((run, index) => {
      const source = new RunSource(run, { ...(options.epsilon !== undefined ? { epsilon: options.epsilon } : {}), ...(options.mapping ? { mapping: options.mapping } : {}) });
      printIssues(source.poll(true).issues);
      const { events } = source.assemble(false);
      if (options.json) out.stdout(encodeEvent(summaryEvent(run, events) as unknown as RunEvent));
      else out.stdout(`${index > 0 ? '\n' : ''}${describeRun(run, events, options.all === true)}`);
    });
    return EXIT_OK;
  }
  const printers = new Map<string, LivePrinter>();
  const watcher = new RunWatcher(target, {
    ...(options.epsilon !== undefined ? { epsilon: options.epsilon } : {}),
    ...(options.mapping ? { mapping: options.mapping } : {}),
    ...(options.minPollMs !== undefined ? { minPollMs: options.minPollMs } : {}),
    onIssues: printIssues,
    onUpdate: (u) => {
      let printer = printers.get(u.runId);
      if (!printer) {
        // Runs are named unless the watched path is the run itself: a folder of runs may start empty.
        printer = new LivePrinter(u.target, options, out, printers.size > 0 || found.runs.length > 1 || path.resolve(u.target.root) !== path.resolve(target));
        printers.set(u.runId, printer);
      }
      printer.update(u.events, u.appended, u.reset);
    },
  });
  if (!options.json) out.stdout(`Watching ${displayPath(target)} (Ctrl-C to stop)\n`);
  watcher.start();
  await new Promise<void>((resolve) => {
    if (!options.signal || options.signal.aborted) return resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  watcher.close();
  if (!options.json) {
    for (const run of watcher.runs) {
      const events = watcher.events(run.runId);
      if (events) out.stdout(`\n${describeRun(run, events, options.all === true)}`);
    }
  }
  return EXIT_OK;
}

/** Prints one run's new epochs and alerts as they arrive. */
class LivePrinter {
  private epochsShown = 0;
  private headerShown = false;

  constructor(private readonly target: RunTarget, private readonly options: WatchOptions, private readonly out: Output, private readonly named: boolean) {}

  update(events: readonly RunEvent[], appended: readonly RunEvent[], reset: boolean): void {
    if (this.options.json) {
      // A reset replaces what was printed for the run: the events that follow are all of it.
      if (reset) this.out.stdout(`${JSON.stringify({ type: 'reset', run: this.target.runId })}\n`);
      for (const e of appended) this.out.stdout(encodeEvent({ ...e, run: this.target.runId } as unknown as RunEvent));
      return;
    }
    const prefix = this.named ? `[${this.target.name}] ` : '';
    if (reset && this.epochsShown > 0) {
      // Earlier epochs changed (a file was replaced, a better-named tag or the first validation value
      // appeared): say so, and go on from the epochs the run has now.
      this.out.stdout(`${prefix}(re-read: the run's files changed)\n`);
      const count = events.filter((e) => e.type === 'epoch').length;
      if (count < this.epochsShown) this.epochsShown = count;
    }
    const shown = this.epochsShown;
    const start = events.find((x): x is StartEvent => x.type === 'start');
    for (const e of reset ? events : appended) {
      if (e.type === 'epoch' && e.epoch > shown) {
        // The run's header waits for its first epoch: by then the tags are known, so it is printed once, right.
        if (!this.headerShown) this.printHeader(events, prefix);
        this.out.stdout(`${prefix}${epochLine(e, start)}\n`);
        this.epochsShown = e.epoch;
      } else if (e.type === 'insight' && e.epoch > shown) {
        const tag = `[${e.kind}]`;
        this.out.stdout(`${prefix}  ${this.options.color ? `\u001b[33m${tag}\u001b[0m` : tag} epoch ${e.epoch}: ${e.message}\n`);
      } else if (e.type === 'end' && !reset) {
        this.out.stdout(`${prefix}the writer ended the run: ${e.status}${e.error ? ` (${e.error})` : ''}\n`);
      }
    }
  }

  private printHeader(events: readonly RunEvent[], prefix: string): void {
    this.headerShown = true;
    const start = events.find((e): e is StartEvent => e.type === 'start');
    if (!start) return;
    this.out.stdout(`${prefix}${start.name ?? start.runId}: ${start.backend}, ε = ${formatError(start.epsilon)}\n`);
    for (const note of start.notes ?? []) this.out.stdout(`${prefix}  note: ${note}\n`);
  }
}

/**
 * One point as a line: epoch (or step, for a run logged by step), losses, errors, regime. A run
 * that logged only a loss shows no "error": it would be the loss again under another name.
 */
export function epochLine(e: EpochEvent, start?: StartEvent): string {
  const bareLoss = start?.metric === 'loss';
  const head = start?.axis === 'step' ? `step ${e.step ?? e.epoch}` : `epoch ${e.epoch}${e.step !== undefined && e.step !== e.epoch ? ` (step ${e.step})` : ''}`;
  const error = (split: { error: number }, label: string) => (bareLoss ? '' : `  ${label} ${formatError(split.error)}`);
  const val = e.val ? `  val loss ${formatLoss(e.val.loss)}${error(e.val, 'val error')}` : '';
  const regime = e.regime ? `  ${REGIME_TITLES[e.regime].toLowerCase()}` : '';
  return `${head}  loss ${formatLoss(e.train.loss)}${error(e.train, 'error')}${val}${regime}`;
}

/** Insights shown by default: the latest of each kind, most important first. */
export const SHOWN_INSIGHTS = 5;

/**
 * A run's diagnosis in words: what was read, the diagnosis, the insights (the latest of each kind,
 * ranked, at most `SHOWN_INSIGHTS` unless `all`).
 */
export function describeRun(run: RunTarget, events: readonly RunEvent[], all = false): string {
  const start = events.find((e): e is StartEvent => e.type === 'start');
  const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
  const insights = events.filter((e): e is InsightEvent => e.type === 'insight');
  const end = events.find((e): e is EndEvent => e.type === 'end');
  const lines = [`${start?.name ?? run.name} (${displayPath(run.root)})`];
  for (const note of start?.notes ?? []) lines.push(`  ${note}`);
  if (epochs.length === 0) {
    lines.push('  No epochs yet: nothing was logged under a loss or accuracy tag (see fitcheck watch --help for --map).');
    return `${lines.join('\n')}\n`;
  }
  const last = epochs[epochs.length - 1]!;
  const unit = start?.axis === 'step' ? 'logged point' : 'epoch';
  lines.push(`  ${epochs.length} ${unit}${epochs.length === 1 ? '' : 's'}; last: ${epochLine(last, start)}`);
  if (end) lines.push(`  The writer ended the run: ${end.status}${end.error ? ` (${end.error})` : ''}.`);
  const diagnosis = analyzeEvents(events).diagnosis;
  if (diagnosis) lines.push('', ...describeDiagnosis(diagnosis).split('\n').map((l) => `  ${l}`));
  if (insights.length > 0) {
    const counts = new Map<string, number>();
    for (const i of insights) counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
    const listed = all ? insights : rankInsights(latestPerKind(insights));
    const shown = all ? listed : listed.slice(0, SHOWN_INSIGHTS);
    lines.push('', '  Insights:');
    for (const i of shown) {
      const times = !all && counts.get(i.kind)! > 1 ? ` (${counts.get(i.kind)} times)` : '';
      lines.push(`    [${i.kind}] epoch ${i.epoch}${times}: ${i.message}`);
    }
    const hidden = insights.length - shown.reduce((n, i) => n + (all ? 1 : counts.get(i.kind)!), 0);
    if (hidden > 0) lines.push(`    … and ${hidden} more (--all lists every one)`);
  }
  return `${lines.join('\n')}\n`;
}
