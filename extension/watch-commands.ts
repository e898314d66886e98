/**
 * The commands for users' own runs: *Watch Run…* (a folder or file, from the palette, the explorer
 * or the Runs view), *Stop Watching*, *Add Python Logger to Workspace*, and the one-time offer to
 * watch the TensorBoard logs or Fitcheck JSONL found in the workspace.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { OPEN_RUN_AT_STEP_COMMAND } from '../analyzers/server/protocol.js';
import { isRunId } from '../webviews/panel/protocol.js';
import type { RunPanels } from './panel.js';
import { RunItem } from './runs-tree.js';
import type { WatchController } from './watching.js';
import { watchRootFor } from '../metrics/watch/discover.js';

const OFFERED_KEY = 'fitcheck.watchOffered';
const LOGS_GLOB = '{**/events.out.tfevents.*,**/*.fitcheck.jsonl}';
const LOGS_EXCLUDE = '{**/node_modules/**,**/.git/**,**/.fitcheck/**,**/site-packages/**}';
export const LOGGER_FILE = 'fitcheck_logger.py';


/** Registers the watch commands and makes the one-time offer. */
export function registerWatchCommands(context: vscode.ExtensionContext, watches: WatchController, panels: RunPanels): void {
  const startWatching = (target: string) => {
    const count = watches.watch(target);
    const shown = vscode.workspace.asRelativePath(target);
    const owner = watches.coveredBy(target) ?? path.resolve(target);
    const runs = watches.runsFor(target);
    if (count === 1 && runs[0]) {
      panels.open(runs[0].runId);
      return;
    }
    if (count === 0) {
      // Nothing yet, or a big log still being read: open the first run as soon as it is there.
      context.subscriptions.push(watches.onceRunAppears(owner, (run) => panels.open(run.runId)));
    }
    const text = count === 0
      ? `Fitcheck: watching ${shown}. Its run opens as soon as there is one (TensorBoard event files, *.fitcheck.jsonl, CSV metrics with a step column).`
      : `Fitcheck: watching ${shown}: ${count} runs, listed in the Runs view.`;
    void vscode.window.showInformationMessage(text, 'Show Runs').then((choice) => {
      if (choice) void vscode.commands.executeCommand('fitcheck.runs.focus');
    });
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('fitcheck.watchRun', async (arg?: unknown) => {
      let target = arg instanceof vscode.Uri && arg.scheme === 'file' ? arg.fsPath : undefined;
      if (!target) {
        const picked = await vscode.window.showOpenDialog({
          canSelectFiles: true, canSelectFolders: true, canSelectMany: false, openLabel: 'Watch',
          title: 'Watch a run: a TensorBoard log folder, a *.fitcheck.jsonl file, or a CSV/TSV metrics file',
          ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
        });
        if (!picked?.[0]) return;
        if (picked[0].scheme !== 'file') {
          void vscode.window.showErrorMessage('Fitcheck: only runs on this machine\'s disk can be watched.');
          return;
        }
        target = picked[0].fsPath;
      }
      const stat = fs.statSync(target, { throwIfNoEntry: false });
      if (!stat) {
        void vscode.window.showErrorMessage(`Fitcheck: ${target} does not exist.`);
        return;
      }
      // A FIFO or device would block a read: only files and folders are watched.
      if (!stat.isFile() && !stat.isDirectory()) {
        void vscode.window.showErrorMessage(`Fitcheck: ${target} is not a regular file or folder; only files and folders can be watched.`);
        return;
      }
      startWatching(target);
    }),
    vscode.commands.registerCommand('fitcheck.stopWatching', async (arg?: unknown) => {
      const runId = arg instanceof RunItem ? arg.runId : isRunId(arg) ? arg : undefined;
      let watchPath = runId ? watches.get(runId)?.watchPath : undefined;
      if (!watchPath) {
        const paths = watches.paths();
        if (paths.length === 0) {
          void vscode.window.showInformationMessage('Fitcheck: nothing is being watched.');
          return;
        }
        watchPath = paths.length === 1 ? paths[0] : (await vscode.window.showQuickPick(paths, { placeHolder: 'Stop watching' }));
      }
      if (!watchPath) return;
      for (const run of watches.list()) if (run.watchPath === watchPath) panels.close(run.runId);
      watches.unwatch(watchPath);
    }),
    vscode.commands.registerCommand(OPEN_RUN_AT_STEP_COMMAND, (runFile: unknown, step: unknown) => {
      if (typeof runFile !== 'string' || typeof step !== 'number' || !Number.isFinite(step)) return;
      if (!fs.statSync(runFile, { throwIfNoEntry: false })?.isFile()) {
        void vscode.window.showErrorMessage(`Fitcheck: the run ${runFile} is gone; run the script again to measure it anew.`);
        return;
      }
      // The run file itself, unless a watch (the monitored session's) already follows it.
      watches.watch(runFile);
      const openAt = (runId: string) => { panels.openAtStep(runId, step); };
      const run = watches.runsFor(runFile)[0];
      if (run) openAt(run.runId);
      else context.subscriptions.push(watches.onceRunAppears(watches.coveredBy(runFile) ?? path.resolve(runFile), (r) => openAt(r.runId)));
    }),
    vscode.commands.registerCommand('fitcheck.addPythonLogger', () => addPythonLogger(context)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('fitcheck.watch.epsilon') || e.affectsConfiguration('fitcheck.watch.tagMapping')) watches.reload();
    }),
  );
  void offerToWatch(context, startWatching);
}

/** Copies the dependency-free Python helper into a workspace folder and opens it. */
async function addPythonLogger(context: vscode.ExtensionContext): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('Fitcheck: open a folder first; the logger is added to it.');
    return;
  }
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: `Folder to add ${LOGGER_FILE} to` });
  if (!folder) return;
  const destination = path.join(folder.uri.fsPath, LOGGER_FILE);
  if (fs.existsSync(destination)) {
    const choice = await vscode.window.showWarningMessage(`${LOGGER_FILE} already exists in ${folder.name}. Replace it with this version of Fitcheck's?`, { modal: true }, 'Replace');
    if (choice !== 'Replace') return;
  }
  try {
    await fs.promises.copyFile(path.join(context.extensionPath, 'python', LOGGER_FILE), destination);
  } catch (error) {
    void vscode.window.showErrorMessage(`Fitcheck: could not write ${destination}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(destination), { preview: false });
  void vscode.window.showInformationMessage(
    `Fitcheck: added ${LOGGER_FILE}. In your training script: \`log = FitcheckLogger("runs")\`, \`log.watch(model)\`, then \`log.log(epoch, **{"train/loss": ..., "val/loss": ...})\` each epoch; then *Watch Run…* the runs folder.`,
  );
}

/** Once per workspace: when it holds TensorBoard logs or Fitcheck JSONL, offers to watch them. */
async function offerToWatch(context: vscode.ExtensionContext, startWatching: (target: string) => void): Promise<void> {
  if (context.workspaceState.get<boolean>(OFFERED_KEY)) return;
  // Watching reads the workspace's files as they grow: offer it only once the user trusts the folder.
  if (!vscode.workspace.isTrusted) {
    const granted = vscode.workspace.onDidGrantWorkspaceTrust(() => {
      granted.dispose();
      void offerToWatch(context, startWatching);
    });
    context.subscriptions.push(granted);
    return;
  }
  if (!vscode.workspace.getConfiguration('fitcheck.watch').get<boolean>('offerToWatch', true)) return;
  const found = await vscode.workspace.findFiles(LOGS_GLOB, LOGS_EXCLUDE, 1);
  const file = found[0];
  if (!file || file.scheme !== 'file') return;
  const folder = vscode.workspace.getWorkspaceFolder(file);
  if (!folder) return;
  const target = watchRootFor(file.fsPath, folder.uri.fsPath);
  await context.workspaceState.update(OFFERED_KEY, true);
  const choice = await vscode.window.showInformationMessage(
    `Fitcheck found training logs in ${vscode.workspace.asRelativePath(target)}. Watch them to see each run's curves and bias/variance diagnosis live?`,
    'Watch', 'Not Now', 'Never',
  );
  if (choice === 'Watch') startWatching(target);
  else if (choice === 'Never') await vscode.workspace.getConfiguration('fitcheck.watch').update('offerToWatch', false, vscode.ConfigurationTarget.Global);
}
