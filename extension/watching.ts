/**
 * Watched runs: folders or files the user asked Fitcheck to follow (*Fitcheck: Watch Run…*). Each
 * is tailed by a RunWatcher in a worker thread (metrics/watch/worker-watcher.ts), and every run found there keeps a series for the panel
 * and the Runs view, as runs of the bundled trainer do. The watched paths are remembered per
 * workspace, so the watch (and an open panel) survives a window reload.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent } from '../metrics/diagnosis/events.js';
import type { ReadIssue } from '../metrics/diagnosis/scalars.js';
import type { RunTarget } from '../metrics/watch/discover.js';
import { checkMapping, type TagMapping } from '../metrics/watch/tag-roles.js';
import type { WatchUpdate } from '../metrics/watch/watcher.js';
import { WorkerRunWatcher } from '../metrics/watch/worker-watcher.js';
import { coveringPath, pathsInside, runsUnder } from '../metrics/watch/watch-paths.js';
import type { EpochRow } from '../webviews/panel/protocol.js';
import { RunSeries } from './run-series.js';

const STATE_KEY = 'fitcheck.watchedPaths';

/** A run found under a watched path. */
export interface WatchedRun {
  readonly runId: string;
  series: RunSeries;
  /** All its events now (the Runs view summarizes them). */
  events: readonly RunEvent[];
  target: RunTarget;
  /** The folder or file the user watches (the run may be one of several under it). */
  readonly watchPath: string;
}

export interface WatchUpdateEvent {
  run: WatchedRun;
  event: RunEvent;
  row: EpochRow | undefined;
}

/** Insight kinds worth a notification while a watched run is going. */
const ALERT_KINDS = new Set(['non-finite', 'divergence', 'exploding-gradients']);

/** The watch settings: ε and the custom tag mapping (bad entries reported, not fatal). */
function watchSettings(output: vscode.LogOutputChannel): { epsilon?: number; mapping: TagMapping } {
  const config = vscode.workspace.getConfiguration('fitcheck.watch');
  const epsilon = config.get<number | null>('epsilon');
  const { mapping, problems } = checkMapping(config.get('tagMapping'));
  for (const p of problems) output.warn(`fitcheck.watch.tagMapping: ${p}`);
  return { ...(typeof epsilon === 'number' && Number.isFinite(epsilon) && epsilon >= 0 ? { epsilon } : {}), mapping };
}

export class WatchController implements vscode.Disposable {
  private readonly watchers = new Map<string, WorkerRunWatcher>();
  private readonly runs = new Map<string, WatchedRun>();
  private readonly alerted = new Set<string>();
  private readonly changed = new vscode.EventEmitter<WatchUpdateEvent>();
  private readonly listChanged = new vscode.EventEmitter<void>();
  /** Fires for every event a watched run gains (after its series took it). */
  readonly onDidUpdate = this.changed.event;
  /** Fires when runs appear or a watch ends. */
  readonly onDidChangeRuns = this.listChanged.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly output: vscode.LogOutputChannel) {}

  /** The watched run with this id. */
  get(runId: string): WatchedRun | undefined {
    return this.runs.get(runId);
  }

  /** Every watched run, in the order found. */
  list(): WatchedRun[] {
    return [...this.runs.values()];
  }

  /** The paths being watched. */
  paths(): string[] {
    return [...this.watchers.keys()];
  }

  private restored = false;

  /** Watches again what this workspace watched before the window reloaded (once; later calls do nothing). */
  restore(): void {
    if (this.restored) return;
    this.restored = true;
    for (const p of this.context.workspaceState.get<string[]>(STATE_KEY, [])) this.watch(p, false);
  }

  /** The watched path that already covers `target` (itself or a folder above it). */
  coveredBy(target: string): string | undefined {
    return coveringPath(this.paths(), target);
  }

  /** Starts following a folder or file; returns how many runs it holds now. */
  watch(watchPath: string, remember = true): number {
    const resolved = path.resolve(watchPath);
    // One watcher per file: a path under a watched folder is already followed, and a folder above
    // watched paths takes them over (two watchers of one run would each append its epochs).
    if (this.coveredBy(resolved)) return this.runsFor(resolved).length;
    for (const inner of pathsInside(this.paths(), resolved)) this.unwatch(inner, false);
    const settings = watchSettings(this.output);
    // Read, parsed, assembled and analysed in a worker thread: the extension host only takes the updates.
    const watcher = new WorkerRunWatcher(resolved, {
      ...(settings.epsilon !== undefined ? { epsilon: settings.epsilon } : {}),
      mapping: settings.mapping,
      onUpdate: (u) => this.onUpdate(resolved, u),
      onIssues: (issues) => this.onIssues(issues),
      onRuns: (runs) => this.onRuns(resolved, runs),
    });
    this.watchers.set(resolved, watcher);
    this.output.info(`Watching ${resolved}`);
    watcher.start();
    if (remember) void this.persist();
    this.listChanged.fire();
    return this.runsFor(resolved).length;
  }

  /** The watched runs at or under `target` (a watched folder, a folder inside one, or a run's file). */
  runsFor(target: string): WatchedRun[] {
    return runsUnder(this.list().map((r) => ({ run: r, watchPath: r.watchPath, root: r.target.root })), this.paths(), target).map((x) => x.run);
  }

  /** Stops following the path a watched run came from (and every run under it). */
  unwatch(watchPath: string, remember = true): void {
    const watcher = this.watchers.get(watchPath);
    if (!watcher) return;
    watcher.close();
    this.watchers.delete(watchPath);
    for (const [runId, run] of this.runs) if (run.watchPath === watchPath) this.runs.delete(runId);
    this.output.info(`Stopped watching ${watchPath}`);
    if (remember) void this.persist();
    this.listChanged.fire();
  }

  /** Re-reads every watch with the current settings (ε or the tag mapping changed). */
  reload(): void {
    const paths = this.paths();
    for (const p of paths) {
      this.watchers.get(p)?.close();
      this.watchers.delete(p);
    }
    this.runs.clear();
    for (const p of paths) this.watch(p, false);
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.changed.dispose();
    this.listChanged.dispose();
  }

  private persist(): Thenable<void> {
    return this.context.workspaceState.update(STATE_KEY, this.paths());
  }

  /** Calls `listener` with the first run found under `watchPath` (a big log is read over several ticks). */
  onceRunAppears(watchPath: string, listener: (run: WatchedRun) => void): vscode.Disposable {
    const resolved = path.resolve(watchPath);
    const subscription = this.changed.event((u) => {
      if (u.run.watchPath !== resolved) return;
      subscription.dispose();
      listener(u.run);
    });
    return subscription;
  }

  private onUpdate(watchPath: string, u: WatchUpdate): void {
    let run = this.runs.get(u.runId);
    // The same run reached through another watch: the first one owns it.
    if (run && run.watchPath !== watchPath) return;
    if (!run || u.reset) {
      // A new run, or its earlier events changed: rebuild its series (the panel takes a fresh snapshot).
      // Analysed once, where the run was assembled: the regimes, insights and diagnosis come with the update.
      const analyzed = u.diagnosis !== undefined;
      const series = RunSeries.fromEvents(u.runId, u.events, true, analyzed);
      if (analyzed) series.setDiagnosis(u.diagnosis ?? null);
      series.header.watched = u.target.root;
      if (run) {
        run.series = series;
        run.events = u.events;
        run.target = u.target;
      } else {
        run = { runId: u.runId, series, events: u.events, target: u.target, watchPath };
        this.runs.set(u.runId, run);
        this.listChanged.fire();
      }
      const last = u.events[u.events.length - 1];
      if (last) this.changed.fire({ run, event: last, row: undefined });
      // No alerts for what was already there when the watch began: only for what happens while watching.
      return;
    }
    run.events = u.events;
    if (u.diagnosis !== undefined) run.series.setDiagnosis(u.diagnosis);
    for (const event of u.appended) {
      const row = run.series.add(event);
      this.changed.fire({ run, event, row });
      this.maybeAlert(run, event);
    }
  }

  /** The watch's runs now: a run folded into another (Keras' train/ joined by validation/) leaves the list. */
  private onRuns(watchPath: string, runs: readonly RunTarget[]): void {
    const ids = new Set(runs.map((r) => r.runId));
    for (const [runId, run] of this.runs) if (run.watchPath === watchPath && !ids.has(runId)) this.runs.delete(runId);
    this.listChanged.fire();
  }

  private onIssues(issues: readonly ReadIssue[]): void {
    for (const i of issues) this.output.warn(`${i.file}: ${i.message}`);
  }

  private maybeAlert(run: WatchedRun, event: RunEvent): void {
    if (event.type !== 'insight' || !ALERT_KINDS.has(event.kind)) return;
    const key = `${run.runId}:${event.kind}`;
    if (this.alerted.has(key)) return;
    this.alerted.add(key);
    void vscode.window.showWarningMessage(`Fitcheck: ${run.series.header.name}: ${event.message}`, 'Open Panel').then((choice) => {
      if (choice) void vscode.commands.executeCommand('fitcheck.openRun', run.runId);
    });
  }
}
