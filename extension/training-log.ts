/**
 * The "Fitcheck Training" output channel: one line per epoch, insight and end of every run started
 * in this window (format: training-log-format.ts; highlighting: the `fitcheck-training-log` language).
 */
import * as vscode from 'vscode';
import { RunLogFormatter } from './training-log-format.js';
import type { TrainingController } from './training.js';

export const TRAINING_LOG_LANGUAGE = 'fitcheck-training-log';

/** Creates the channel and writes every live run's events to it. */
export function registerTrainingLog(context: vscode.ExtensionContext, controller: TrainingController): vscode.OutputChannel {
  const channel = vscode.window.createOutputChannel('Fitcheck Training', TRAINING_LOG_LANGUAGE);
  const formatters = new Map<string, RunLogFormatter>();
  context.subscriptions.push(
    channel,
    controller.onDidUpdate(({ run, event }) => {
      let formatter = formatters.get(run.runId);
      if (!formatter) formatters.set(run.runId, (formatter = new RunLogFormatter(run.series.header.name)));
      const line = formatter.line(event);
      if (line !== undefined) channel.appendLine(line);
      if (event.type === 'end') formatters.delete(run.runId);
    }),
  );
  return channel;
}
