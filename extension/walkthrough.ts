/**
 * Commands behind the "Get started with Fitcheck" walkthrough (package.json `contributes.walkthroughs`):
 * open a sample script to lint, and put the bias/variance demo spec into the workspace.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { LINT_SAMPLE, TRAINING_SAMPLE, TRAINING_SAMPLE_COPY, sampleSpecForWorkspace } from './walkthrough-samples.js';

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
      // This repository's copy when it is open; else the bundled one as an unsaved Python file (linted like any other).
      const own = inWorkspace(LINT_SAMPLE);
      const document = own
        ? await vscode.workspace.openTextDocument(own)
        : await vscode.workspace.openTextDocument({ language: 'python', content: fs.readFileSync(path.join(context.extensionPath, LINT_SAMPLE), 'utf8') });
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
