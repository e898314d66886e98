/**
 * Starts and stops training runs from the editor: the bundled trainer runs in its own process
 * (trainer/run.ts), events land in `.fitcheck/runs/` of the spec's workspace folder, and every
 * event updates the run's series for the panel, the status bar and the Runs view.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent } from '../metrics/diagnosis/events.js';
import { runsDir } from '../metrics/store/run-store.js';
import type { RunHandle } from '../trainer/run.js';
import type { EpochRow } from '../webviews/panel/protocol.js';
import { writeOrigin } from './run-locate.js';
import { RunSeries } from './run-series.js';

/** A run this window started and is following. */
export interface LiveRun {
  readonly runId: string;
  readonly handle: RunHandle;
  readonly series: RunSeries;
  readonly folder: vscode.WorkspaceFolder;
  readonly specUri: vscode.Uri;
}

/** What listeners hear for each event: the run, the event and the row it added. */
export interface RunUpdate {
  run: LiveRun;
  event: RunEvent;
  row: EpochRow | undefined;
}

/** Owns the runs started in this window. */
export class TrainingController implements vscode.Disposable {
  private readonly live = new Map<string, LiveRun>();
  private readonly changed = new vscode.EventEmitter<RunUpdate>();
  /** Fires for every event of every live run (after the series has taken it). */
  readonly onDidUpdate = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly output: vscode.LogOutputChannel) {}

  /** The live run with this id, while its trainer is running (and until the window closes). */
  get(runId: string): LiveRun | undefined {
    return this.live.get(runId);
  }

  /** Runs whose trainer has not ended yet. */
  running(): LiveRun[] {
    return [...this.live.values()].filter((r) => r.series.header.status === 'running');
  }

  /** Validates the spec at `specUri` and starts training it; undefined when it did not start (the user was told why). */
  async start(specUri: vscode.Uri): Promise<LiveRun | undefined> {
    // Training reads workspace data and runs a long process: only where the user trusts the folder.
    if (!vscode.workspace.isTrusted) {
      const choice = await vscode.window.showWarningMessage(
        'Fitcheck: training is disabled in an untrusted workspace, because it reads the workspace\'s data and writes run files. Trust the workspace to train.',
        'Manage Workspace Trust',
      );
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    const folder = vscode.workspace.getWorkspaceFolder(specUri) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file' || specUri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Fitcheck: training needs a run spec inside a workspace folder on disk (runs are stored in its .fitcheck/runs).');
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(specUri);
    // The trainer's side (the spec validator, the data readers, the process runner) loads on the first
    // run, not with the extension: most sessions never train.
    const { validateSpec, DataError, checkDataFitsSpec, loadDataset, startRun } = await import('./training-deps.js');
    const { spec, errors } = validateSpec(document.getText());
    const shown = vscode.workspace.asRelativePath(specUri);
    if (!spec) {
      const first = errors[0];
      const where = first ? `${first.line + 1}:${first.column + 1}: ${first.message}` : '';
      void vscode.window.showErrorMessage(`Fitcheck: ${shown} is not a valid run spec (${errors.length} error${errors.length === 1 ? '' : 's'}). ${where}`);
      return undefined;
    }
    spec.name ??= path.basename(specUri.fsPath).replace(/\.fitrun\.json$|\.json$/i, '');
    const baseDir = path.dirname(specUri.fsPath);
    const dataRoots = [folder.uri.fsPath, ...allowedDataFolders()];
    // A bad CSV is a spec problem the user fixes in the editor, not a failed run in the store.
    try {
      const misfit = checkDataFitsSpec(spec, loadDataset(spec, baseDir, { dataRoots }));
      if (misfit) throw new DataError(misfit);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      void vscode.window.showErrorMessage(`Fitcheck: ${shown}: data: ${error.message}`);
      return undefined;
    }

    let handle: RunHandle;
    try {
      handle = startRun(spec, {
        runsDir: runsDir(folder.uri.fsPath),
        baseDir,
        dataRoots,
        childPath: path.join(this.context.extensionPath, 'dist', 'trainer-child.mjs'),
      });
    } catch (error) {
      // The run folder could not be made (a full disk, no permission): say so, start nothing.
      void vscode.window.showErrorMessage(`Fitcheck: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const run: LiveRun = { runId: handle.runId, handle, series: new RunSeries(handle.runId, spec.name), folder, specUri };
    // Running from the moment the process is forked, so Stop works before the first event.
    run.series.header.status = 'running';
    this.live.set(run.runId, run);
    this.output.info(`Training ${shown} as run ${run.runId}`);
    let originWritten = false;
    handle.on('event', (event) => {
      const row = run.series.add(event);
      if (!originWritten && event.type === 'start') {
        originWritten = true;
        // The trainer has created the run folder by its first event; remember the spec for "re-run".
        try { writeOrigin(handle.dir, { specPath: specUri.fsPath }); } catch (error) { this.output.warn(`Could not record the run's spec path: ${String(error)}`); }
      }
      this.changed.fire({ run, event, row });
      if (event.type === 'end') this.announceEnd(run);
    });
    void this.updateContext();
    return run;
  }

  /** Asks a run's trainer to stop after its current batch. */
  stop(runId: string): boolean {
    const run = this.live.get(runId);
    if (!run || run.series.header.status !== 'running') return false;
    run.handle.stop();
    return true;
  }

  dispose(): void {
    // Closing the window must not leave trainers behind.
    for (const run of this.running()) run.handle.stop();
    this.changed.dispose();
  }

  private announceEnd(run: LiveRun): void {
    void this.updateContext();
    const h = run.series.header;
    const diagnosis = h.diagnosis ? ` ${h.diagnosis.summary}.` : '';
    const text = h.status === 'completed'
      ? `Fitcheck: ${h.name} finished after ${h.epoch} epochs.${diagnosis}`
      : h.status === 'stopped'
        ? `Fitcheck: ${h.name} stopped after ${h.epoch} epochs.${diagnosis}`
        : `Fitcheck: ${h.name} failed after ${h.epoch} epochs: ${h.reason ?? 'unknown error'}`;
    this.output.info(`Run ${run.runId} ended: ${h.status}${h.reason ? ` (${h.reason})` : ''}`);
    const show = h.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    void show(text, 'Open Panel').then((choice) => {
      if (choice) void vscode.commands.executeCommand('fitcheck.openRun', run.runId);
    });
  }

  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'fitcheck.training', this.running().length > 0);
  }
}

/**
 * Extra folders the user allows data files in (`fitcheck.training.allowedDataFolders`). Only the
 * user's own settings count: a workspace must not widen where its specs may read from.
 */
function allowedDataFolders(): string[] {
  const value = vscode.workspace.getConfiguration('fitcheck').inspect<unknown>('training.allowedDataFolders')?.globalValue;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && path.isAbsolute(v)) : [];
}
