/** "▶ Train" above the first line of every run spec (`*.fitrun.json`). */
import * as vscode from 'vscode';

class TrainCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: '▶ Train', tooltip: 'Fitcheck: train this run spec', command: 'fitcheck.startTraining', arguments: [document.uri] })];
  }
}

/** Registers the lens for run specs on disk. */
export function registerTrainCodeLens(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.fitrun.json' }, new TrainCodeLens()));
}
