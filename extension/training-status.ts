/** The status-bar item "Fitcheck: epoch n/N · regime" for the newest running run; a click opens its panel. */
import * as vscode from 'vscode';
import { diagnosisTitle } from '../metrics/diagnosis/describe.js';
import type { TrainingController } from './training.js';

/** Shows the progress of the newest running run, hidden when nothing trains. */
export function registerTrainingStatus(context: vscode.ExtensionContext, controller: TrainingController): void {
  const item = vscode.window.createStatusBarItem('fitcheck.training', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Fitcheck Training';
  context.subscriptions.push(item);
  const update = () => {
    const run = controller.running().at(-1);
    if (!run) {
      item.hide();
      return;
    }
    const h = run.series.header;
    const regime = h.diagnosis ? ` · ${diagnosisTitle(h.diagnosis)}` : '';
    item.text = `$(sync~spin) Fitcheck: epoch ${h.epoch}/${h.epochs || '?'}${regime}`;
    item.tooltip = `${h.name} (${h.backend || 'starting'}): click to open the training panel`;
    item.command = { title: 'Open Run', command: 'fitcheck.openRun', arguments: [run.runId] };
    item.show();
  };
  // Epoch events can come hundreds a second; the status bar needs no more than a few updates.
  let timer: ReturnType<typeof setTimeout> | undefined;
  context.subscriptions.push(controller.onDidUpdate((u) => {
    if (u.event.type === 'end' || u.event.type === 'start') {
      update();
      return;
    }
    timer ??= setTimeout(() => { timer = undefined; update(); }, 200);
  }), { dispose: () => clearTimeout(timer) });
}
