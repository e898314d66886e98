/** "▶ Run with Monitor" above a training script's entry point (see `entryPointLines`). */
import * as vscode from 'vscode';
import { entryPointLines } from '../analyzers/server/runtime/entry-points.js';

class MonitorCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return entryPointLines(document.getText()).map((line) => new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
      title: '▶ Run with Monitor', tooltip: 'Fitcheck: run this script unchanged and watch its loss, gradients and units live', command: 'fitcheck.runWithMonitor', arguments: [document.uri],
    }));
  }
}

/** Registers the lens for Python files on disk. */
export function registerMonitorCodeLens(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'python' }, new MonitorCodeLens()));
}
