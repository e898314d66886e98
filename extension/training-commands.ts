/**
 * The training commands: Start Training (spec file, editor title, explorer, CodeLens), Stop
 * Training, Open Run, and the Runs view's re-run / delete / refresh.
 */
import fs from 'node:fs';
import * as vscode from 'vscode';
import { isRunId } from '../webviews/panel/protocol.js';
import { registerTrainCodeLens } from './codelens.js';
import { RunPanels, workspaceRoots } from './panel.js';
import { findRunDir, listAllRuns, readOrigin } from './run-locate.js';
import { RunItem, registerRunsTree } from './runs-tree.js';
import { TrainingController } from './training.js';
import { registerTrainingLog } from './training-log.js';
import { registerTrainingStatus } from './training-status.js';
import { registerWatchCommands } from './watch-commands.js';
import { trackWalkthroughProgress } from './walkthrough-progress.js';
import { WatchController, type WatchUpdateEvent } from './watching.js';

const SPEC_GLOB = '**/*.fitrun.json';

/** A run id from a command argument: a string (CodeLens, status bar, panel) or a tree item. */
function runIdOf(arg: unknown): string | undefined {
  if (arg instanceof RunItem) return arg.runId;
  return isRunId(arg) ? arg : undefined;
}

/** The spec to train: the argument, the active editor's spec, or one picked from the workspace. */
async function pickSpec(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.path.endsWith('.fitrun.json')) return active;
  const specs = await vscode.workspace.findFiles(SPEC_GLOB, '**/node_modules/**', 200);
  if (specs.length === 0) {
    void vscode.window.showInformationMessage('Fitcheck: no run spec (*.fitrun.json) in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(specs.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { placeHolder: 'Run spec to train' });
  return picked?.uri;
}

/** A stored run picked from all workspace folders. */
async function pickRun(placeHolder: string): Promise<string | undefined> {
  const runs = listAllRuns(workspaceRoots());
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('Fitcheck: no runs yet in .fitcheck/runs.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(runs.map((r) => ({ label: r.runId })), { placeHolder });
  return picked?.label;
}

/** Wires the controller, panels, status bar, CodeLens, Runs view and commands into the extension. */
/** Registers training, watching and the run panels; returns the watched runs' update event. */
export function registerTraining(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): { onDidUpdateWatchedRun: vscode.Event<WatchUpdateEvent> } {
  const controller = new TrainingController(context, output);
  const watches = new WatchController(context, output);
  const panels = new RunPanels(context, controller, watches);
  context.subscriptions.push(controller, watches, panels);
  // After activation, so reading big logs never delays it; a panel restored earlier asks for it itself.
  setTimeout(() => watches.restore(), 0);
  registerWatchCommands(context, watches, panels);
  registerTrainingStatus(context, controller);
  const trainingLog = registerTrainingLog(context, controller);
  registerTrainCodeLens(context);
  trackWalkthroughProgress(context, { onTrainingEvent: controller.onDidUpdate, onWatchEvent: watches.onDidUpdate });
  const refreshRuns = registerRunsTree(context, controller, watches);

  const openRun = async (arg?: unknown) => {
    const runId = runIdOf(arg) ?? (await pickRun('Run to open'));
    // A tree item as the argument: the Runs view's own *Open Run* button or its context menu.
    if (runId && !panels.open(runId, { fromRunsView: arg instanceof RunItem })) void vscode.window.showErrorMessage(`Fitcheck: run ${runId} was not found in .fitcheck/runs or the watched runs.`);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('fitcheck.startTraining', async (arg?: unknown) => {
      const spec = await pickSpec(arg);
      if (!spec) return;
      const run = await controller.start(spec);
      if (run) {
        refreshRuns();
        panels.open(run.runId);
      }
    }),
    vscode.commands.registerCommand('fitcheck.stopTraining', async (arg?: unknown) => {
      const running = controller.running();
      let runId = runIdOf(arg);
      if (!runId && running.length === 1) runId = running[0]!.runId;
      if (!runId && running.length > 1) runId = (await vscode.window.showQuickPick(running.map((r) => ({ label: r.runId }))))?.label;
      if (!runId) {
        if (running.length === 0) void vscode.window.showInformationMessage('Fitcheck: no training run is running.');
        return;
      }
      controller.stop(runId);
    }),
    vscode.commands.registerCommand('fitcheck.openRun', openRun),
    vscode.commands.registerCommand('fitcheck.rerunRun', async (arg?: unknown) => {
      const runId = runIdOf(arg) ?? (await pickRun('Run to train again'));
      const dir = runId ? findRunDir(workspaceRoots(), runId) : undefined;
      if (!runId || !dir) return;
      const origin = readOrigin(dir);
      if (!origin || !fs.existsSync(origin.specPath)) {
        void vscode.window.showErrorMessage(`Fitcheck: the spec file of run ${runId} is not known or no longer exists; start it from its *.fitrun.json.`);
        return;
      }
      await vscode.commands.executeCommand('fitcheck.startTraining', vscode.Uri.file(origin.specPath));
    }),
    vscode.commands.registerCommand('fitcheck.deleteRun', async (arg?: unknown) => {
      const runId = runIdOf(arg) ?? (await pickRun('Run to delete'));
      const dir = runId ? findRunDir(workspaceRoots(), runId) : undefined;
      if (!runId || !dir) return;
      if (controller.get(runId)?.series.header.status === 'running') {
        void vscode.window.showWarningMessage('Fitcheck: stop the run before deleting it.');
        return;
      }
      const choice = await vscode.window.showWarningMessage(`Delete run ${runId}? Its folder .fitcheck/runs/${runId} is removed.`, { modal: true }, 'Delete');
      if (choice !== 'Delete') return;
      panels.close(runId);
      await fs.promises.rm(dir, { recursive: true, force: true });
      output.info(`Deleted run ${runId}`);
      refreshRuns();
    }),
    vscode.commands.registerCommand('fitcheck.refreshRuns', refreshRuns),
    vscode.commands.registerCommand('fitcheck.showTrainingLog', () => trainingLog.show(true)),
  );
  return { onDidUpdateWatchedRun: watches.onDidUpdate };
}
