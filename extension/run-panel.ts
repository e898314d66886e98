/**
 * One run's webview: its page, the snapshot and batched increments it is sent, and the messages it
 * sends back (validated before use). Loaded when the first run panel opens (extension/lazy/run-panel.ts).
 */
import * as vscode from 'vscode';
import type { RunEvent } from '../metrics/diagnosis/events.js';
import { parseWebviewMessage, type ComparedRun, type EpochRow, type HostMessage } from '../webviews/panel/protocol.js';
import { Batcher } from './batcher.js';
import { exportCsv, exportPng } from './panel-export.js';
import { makeNonce, panelHtml } from './panel-html.js';
import type { RunSeries } from './run-series.js';
import { rowAtStep } from './run-step.js';
import type { TrainingController } from './training.js';
import type { WatchController } from './watching.js';

/** The webview of one run (the preview panel's run can change: see retarget). */
export class RunPanel implements vscode.Disposable {
  readonly disposables: vscode.Disposable[] = [];
  private readonly batcher: Batcher<EpochRow>;
  /** The runs overlaid by *Compare Runs*, re-sent after every snapshot. */
  compared: ComparedRun[] = [];
  /** A logged step to highlight once the webview has the run and a row reaches it (*Open Run at Step*). */
  private wantedStep: number | undefined;
  /** Whether the webview took a snapshot: messages before that are lost. */
  private snapshotSent = false;

  constructor(readonly panel: vscode.WebviewPanel, public runId: string, private series: RunSeries, context: vscode.ExtensionContext, controller: TrainingController, watches: WatchController, onDispose: () => void) {
    const media = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
    panel.title = `Run: ${series.header.name}`;
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      nonce: makeNonce(),
      title: panel.title,
    });
    this.batcher = new Batcher((rows) => this.post({ type: 'append', rows, header: this.series.header }));
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        // Anything else came from a compromised or buggy webview: ignore it rather than act on it.
        if (!message) return;
        if (message.type === 'ready') this.sendSnapshot();
        else if (message.runId !== this.runId) return;
        else if (message.type === 'stop') controller.stop(this.runId);
        else if (message.type === 'exportCsv') void exportCsv(this.runId, this.series);
        else if (message.type === 'exportPng') void exportPng(this.runId, message.dataUrl);
        else void vscode.commands.executeCommand('fitcheck.rerunRun', this.runId);
      }),
      controller.onDidUpdate((u) => this.onUpdate(u)),
      watches.onDidUpdate((u) => this.onUpdate(u)),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  /** An event of a run (trained here or watched): the panel of that run takes its row. */
  private onUpdate(u: { run: { runId: string; series: RunSeries }; event: RunEvent; row: EpochRow | undefined }): void {
    if (u.run.runId !== this.runId) return;
    if (u.run.series !== this.series) {
      // A new series (a re-run, or a watched run whose files changed): redraw from it.
      this.series = u.run.series;
      this.sendSnapshot();
      return;
    }
    if (u.row) this.batcher.push(u.row);
    else this.batcher.touch();
    if (u.row && this.wantedStep !== undefined) this.postStep();
    // The end must show at once, not up to 100 ms later (and after the notification).
    if (u.event.type === 'end') this.batcher.flushNow();
  }

  /** Sends the whole series (the webview loaded or reloaded); pending increments are part of it. */
  sendSnapshot(): void {
    this.batcher.dispose();
    this.post({ type: 'reset', snapshot: this.series.snapshot() });
    if (this.compared.length > 0) this.post({ type: 'compare', runs: this.compared });
    this.snapshotSent = true;
    this.postStep();
  }

  /** Highlights the point of a logged step, now or as soon as the run's rows reach it. */
  showStep(step: number): void {
    this.wantedStep = step;
    this.postStep();
  }

  private postStep(): void {
    if (this.wantedStep === undefined || !this.snapshotSent) return;
    const epoch = rowAtStep(this.series.rows, this.wantedStep);
    if (epoch === undefined) return;
    this.wantedStep = undefined;
    // Rows still in the batcher come after it: the charts draw the band when their point arrives.
    this.post({ type: 'highlight', range: { from: epoch, to: epoch } });
  }

  /** Shows another run in this panel (the preview panel taking the next run clicked in the Runs view). */
  retarget(runId: string, series: RunSeries): void {
    this.runId = runId;
    this.series = series;
    this.compared = [];
    this.panel.title = `Run: ${series.header.name}`;
    // The webview drops the old run's overlays, zoom and highlight when the run id changes.
    this.sendSnapshot();
  }

  /** Overlays other runs' validation loss (an empty list clears the overlay). */
  compare(runs: ComparedRun[]): void {
    this.compared = runs;
    this.post({ type: 'compare', runs });
  }

  dispose(): void {
    this.batcher.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }
}
