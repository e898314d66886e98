/**
 * Commands behind the "Get started with Fitcheck" walkthrough (package.json `contributes.walkthroughs`):
 * open a sample script to lint, and put the bias/variance demo spec into the workspace.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { LINT_SAMPLE, LINT_SAMPLE_COPY, TRAINING_SAMPLE, TRAINING_SAMPLE_COPY, sampleSpecForWorkspace } from './walkthrough-samples.js';

/** The file at `relative` in a workspace folder on disk, if one has it. */
function inWorkspace(relative: string): vscode.Uri | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const file = path.join(folder.uri.fsPath, relative);
    if (fs.existsSync(file)) return vscode.Uri.file(file);
  }
  return undefined;
}

export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('fitcheck.openLintSample', async () => {
      // A real file, never an untitled buffer: the workspace's copy (written on first use), or, with no
      // folder open, the sample shipped inside the extension.
      let sample = inWorkspace(LINT_SAMPLE_COPY);
      const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
      if (!sample && folder) {
        const target = path.join(folder.uri.fsPath, LINT_SAMPLE_COPY);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.copyFile(path.join(context.extensionPath, LINT_SAMPLE), target, fs.constants.COPYFILE_EXCL)
          .catch((error: NodeJS.ErrnoException) => { if (error.code !== 'EEXIST') throw error; });
        sample = vscode.Uri.file(target);
      }
      const document = await vscode.workspace.openTextDocument(sample ?? vscode.Uri.file(path.join(context.extensionPath, LINT_SAMPLE)));
      await vscode.window.showTextDocument(document);
    }),
    vscode.commands.registerCommand('fitcheck.openTrainingSample', async () => {
      let spec = inWorkspace(TRAINING_SAMPLE) ?? inWorkspace(TRAINING_SAMPLE_COPY);
      if (!spec) {
        // Runs are stored in .fitcheck/runs of a workspace folder, so the demo needs one on disk.
        const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
        if (!folder) {
          const choice = await vscode.window.showInformationMessage('Fitcheck: open a folder first; the demo run spec and its runs are written into it.', 'Open Folder');
          if (choice) await vscode.commands.executeCommand('workbench.action.files.openFolder');
          return;
        }
        const target = path.join(folder.uri.fsPath, TRAINING_SAMPLE_COPY);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        const text = sampleSpecForWorkspace(fs.readFileSync(path.join(context.extensionPath, TRAINING_SAMPLE), 'utf8'));
        await fs.promises.writeFile(target, text, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => { if (error.code !== 'EEXIST') throw error; });
        spec = vscode.Uri.file(target);
      }
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(spec));
    }),
  );
}
