/**
 * The run panel: one webview per run, opened in the active editor group; a run clicked in the Runs
 * view takes over the preview panel (see panel-placement.ts). The host keeps the run's series (live from the trainer, or
 * re-read from events.jsonl); each panel's webview side is in run-panel.ts.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { parsePanelState, type ComparedRun } from '../webviews/panel/protocol.js';
import { MAX_COMPARED, comparePickItems, comparedRun } from './compare-runs.js';
import { runPanel } from './lazy/run-panel.js';
import { newPanelColumn, placeRun } from './panel-placement.js';
import { findRunDir, listAllRuns, readRun } from './run-locate.js';
import type { RunPanel } from './run-panel.js';
import { RunSeries } from './run-series.js';
import type { TrainingController } from './training.js';
import type { WatchController } from './watching.js';

export const PANEL_VIEW_TYPE = 'fitcheck.runPanel';
/** The Runs view's click: opens a run in the preview panel. Internal (not in the command palette). */
export const PREVIEW_RUN_COMMAND = 'fitcheck.previewRun';

/** Workspace folders on disk, where runs are looked up. */
export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** Opens, reveals and restores run panels. */
export class RunPanels implements vscode.Disposable {
  private readonly panels = new Map<string, RunPanel>();
  /** The panel the user looked at last (the one *Compare Runs* acts on). */
  private lastActive: string | undefined;
  /** The run in the preview panel: the next run clicked in the Runs view replaces it. */
  private preview: string | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly controller: TrainingController, private readonly watches: WatchController) {
    context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const parsed = parsePanelState(state);
        // A watched run's panel can come back before the deferred restore of the watches.
        this.watches.restore();
        let series = parsed ? this.loadSeries(parsed.runId) : undefined;
        // A watched run whose log is still being read (a big file): an empty panel now, its run when it arrives.
        if (parsed && !series && parsed.runId.startsWith('watch-') && this.watches.paths().length > 0) series = new RunSeries(parsed.runId);
        if (!parsed || !series) {
          // The run was deleted (or the state is not ours): nothing to restore.
          panel.dispose();
          return;
        }
        this.attach(panel, parsed.runId, series);
      },
    }), vscode.commands.registerCommand('fitcheck.compareRuns', () => this.compareRuns()),
    // The Runs view's single click: like a preview editor, it reuses the preview panel.
    vscode.commands.registerCommand(PREVIEW_RUN_COMMAND, (runId: unknown) => {
      if (typeof runId === 'string' && !this.open(runId, { preview: true })) void vscode.window.showErrorMessage(`Fitcheck: run ${runId} was not found in .fitcheck/runs or the watched runs.`);
    }),
    vscode.commands.registerCommand('fitcheck.keepRunOpen', () => this.keepPreview()),
    vscode.window.tabGroups.onDidChangeTabs(() => this.updateContext()));
  }

  /** *Fitcheck: Compare Runs*: overlays the picked runs' validation loss on the active run panel. */
  async compareRuns(): Promise<void> {
    const target = [...this.panels.values()].find((p) => p.panel.active) ?? (this.lastActive ? this.panels.get(this.lastActive) : undefined);
    if (!target) {
      void vscode.window.showInformationMessage('Fitcheck: open a run panel first, then compare other runs with it.');
      return;
    }
    const candidates = [...listAllRuns(workspaceRoots()), ...this.watches.list().map((r) => ({ runId: r.runId, name: r.series.header.name }))];
    const items = comparePickItems(candidates, target.runId, target.compared.map((r) => r.runId));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('Fitcheck: there are no other runs (in .fitcheck/runs or watched) to compare with.');
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder: `Runs to overlay on ${target.runId} (validation loss, dashed)` });
    if (!picked) return;
    const runs: ComparedRun[] = [];
    for (const item of picked.slice(0, MAX_COMPARED)) {
      const series = this.loadSeries(item.runId);
      if (series) runs.push(comparedRun(item.runId, series.header.name, series.rows));
    }
    if (picked.length > MAX_COMPARED) void vscode.window.showInformationMessage(`Fitcheck: only the first ${MAX_COMPARED} runs are overlaid.`);
    target.compare(runs);
    // Worked on: the preview panel becomes a kept one.
    if (target.runId === this.preview) this.keepPreview();
  }

  /**
   * Shows the panel of a run (live or stored); false when the run is not found. A run with a panel is
   * revealed; `preview` (a click in the Runs view) shows it in the preview panel, replacing the run
   * there unless the user kept it; otherwise a new panel opens in the active editor group.
   */
  open(runId: string, options: { preview?: boolean; fromRunsView?: boolean } = {}): boolean {
    const preview = options.preview === true;
    const request = { runId, preview, fromRunsView: preview || options.fromRunsView === true };
    const { placement, preview: next } = placeRun(request, { open: new Set(this.panels.keys()), preview: this.preview, previewPinned: this.isPinned(this.preview) });
    if (placement.action === 'reveal') {
      const existing = this.panels.get(runId)!;
      existing.panel.reveal(existing.panel.viewColumn, preview);
      this.preview = next;
      this.updateContext();
      return true;
    }
    const series = this.loadSeries(runId);
    if (!series) return false;
    const reused = placement.action === 'reuse' ? this.panels.get(placement.replaces) : undefined;
    if (reused) {
      this.panels.delete(reused.runId);
      reused.retarget(runId, series);
      this.panels.set(runId, reused);
      this.lastActive = runId;
      // Into the group the user is in (it is already there after the first click).
      reused.panel.reveal(vscode.ViewColumn.Active, preview);
    } else {
      // The active group, never a new column per click (three clicks used to open three columns); see newPanelColumn.
      const column = newPanelColumn(request, vscode.window.activeTextEditor !== undefined) === 'beside' ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, `Run: ${series.header.name}`, { viewColumn: column, preserveFocus: preview }, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
      });
      this.attach(panel, runId, series);
    }
    this.preview = next;
    this.updateContext();
    return true;
  }

  /** Opens a run's panel with the point of a logged step highlighted; false when the run is not found. */
  openAtStep(runId: string, step: number): boolean {
    if (!this.open(runId)) return false;
    this.panels.get(runId)?.showStep(step);
    return true;
  }

  /** *Keep Run Panel Open*: the preview panel stays when the next run is clicked. */
  keepPreview(): void {
    this.preview = undefined;
    this.updateContext();
  }

  /** Closes a run's panel (its run was deleted). */
  close(runId: string): void {
    this.panels.get(runId)?.panel.dispose();
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
  }

  private attach(panel: vscode.WebviewPanel, runId: string, series: RunSeries): void {
    // The panel's run can change (the preview panel): read it when the event comes.
    const { RunPanel: Panel } = runPanel();
    const opened: RunPanel = new Panel(panel, runId, series, this.context, this.controller, this.watches, () => {
      const current = opened.runId;
      if (this.panels.get(current) === opened) this.panels.delete(current);
      if (this.lastActive === current) this.lastActive = undefined;
      if (this.preview === current) this.preview = undefined;
      this.updateContext();
    });
    this.panels.set(runId, opened);
    this.lastActive = runId;
    opened.disposables.push(panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.lastActive = opened.runId;
      this.updateContext();
    }));
  }

  /** Whether the user pinned the tab of a run's panel (a pinned preview is kept). */
  private isPinned(runId: string | undefined): boolean {
    const panel = runId ? this.panels.get(runId)?.panel : undefined;
    if (!panel) return false;
    for (const group of vscode.window.tabGroups.all) {
      if (group.viewColumn !== panel.viewColumn) continue;
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(PANEL_VIEW_TYPE) && tab.label === panel.title) return tab.isPinned;
      }
    }
    return false;
  }

  /** `fitcheck.runPanelIsPreview`: the active panel is the preview one (shows *Keep Run Panel Open*). */
  private updateContext(): void {
    if (this.preview && this.isPinned(this.preview)) this.preview = undefined;
    const active = [...this.panels.values()].find((p) => p.panel.active);
    void vscode.commands.executeCommand('setContext', 'fitcheck.runPanelIsPreview', active !== undefined && active.runId === this.preview);
  }

  /** The live series when this window trains or watches the run, else the stored events. */
  private loadSeries(runId: string): RunSeries | undefined {
    const live = this.controller.get(runId) ?? this.watches.get(runId);
    if (live) return live.series;
    const dir = findRunDir(workspaceRoots(), runId);
    if (!dir) return undefined;
    return RunSeries.fromEvents(path.basename(dir), readRun(dir).events.events);
  }
}
