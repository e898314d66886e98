/** VS Code entry point: starts the language server, registers commands, logs activation time. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { createClient, notifyRunRecords } from './client.js';
import { registerLintWorkspace } from './lint-workspace.js';
import { registerMonitorCodeLens } from './monitor-codelens.js';
import { noticeRunRecords } from './run-records-notice.js';
import { registerRunWithMonitor } from './run-with-monitor.js';
import { registerTraining } from './training-commands.js';
import { registerWalkthrough } from './walkthrough.js';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Fitcheck', { log: true });
  context.subscriptions.push(output);

  client = createClient(context, output);
  registerLintWorkspace(context, () => client);
  const training = registerTraining(context, output);
  context.subscriptions.push(noticeRunRecords(training.onDidUpdateWatchedRun, () => notifyRunRecords(client)));
  registerWalkthrough(context);
  registerRunWithMonitor(context, output);
  registerMonitorCodeLens(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('fitcheck.showOutput', () => output.show(true)),
    // The same code action a save runs with editor.codeActionsOnSave: only the safe fixes.
    vscode.commands.registerCommand('fitcheck.fixAll', () =>
      vscode.commands.executeCommand('editor.action.codeAction', { kind: 'source.fixAll.fitcheck', apply: 'first' })),
    vscode.commands.registerCommand('fitcheck.restartServer', async () => {
      output.info('Restarting the Fitcheck language server');
      await client?.restart();
    }),
  );
  // Activation ends here; the server starts in the background so the editor never waits for it.
  output.info(`Fitcheck activated in ${(performance.now() - started).toFixed(1)} ms`);
  client.start().then(
    () => output.info(`Language server ready ${(performance.now() - started).toFixed(0)} ms after activation`),
    (error: unknown) => {
      output.error(`The Fitcheck language server failed to start: ${String(error)}`);
      void vscode.window.showErrorMessage('Fitcheck: the language server failed to start. See the Fitcheck output for details.', 'Show Output')
        .then((choice) => { if (choice) output.show(true); });
    },
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
