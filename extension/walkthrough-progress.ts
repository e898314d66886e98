/** Ticks the walkthrough's steps when what they teach has happened, not when a button was pressed. */
import * as vscode from 'vscode';
import type { RunEvent } from '../metrics/diagnosis/events.js';
import { isFitcheckFinding, trainingStepOf, WALKTHROUGH_KEYS, watchStepOf, type WalkthroughStep } from './walkthrough-steps.js';

/** The run events the walkthrough listens to. */
export interface RunEventSources {
  onTrainingEvent: vscode.Event<{ event: RunEvent }>;
  onWatchEvent: vscode.Event<{ event: RunEvent }>;
}

/** Sets each step's context key once; VS Code keeps a completed step ticked from then on. */
export function trackWalkthroughProgress(context: vscode.ExtensionContext, runs: RunEventSources): void {
  const reached = new Set<WalkthroughStep>();
  const listeners: vscode.Disposable[] = [];
  const reach = (step: WalkthroughStep | undefined) => {
    if (!step || reached.has(step)) return;
    reached.add(step);
    void vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[step], true);
    // Every step reached: nothing more to listen for.
    if (reached.size === Object.keys(WALKTHROUGH_KEYS).length) for (const l of listeners.splice(0)) l.dispose();
  };
  listeners.push(
    vscode.languages.onDidChangeDiagnostics((change) => {
      if (reached.has('linted')) return;
      if (change.uris.some((uri) => vscode.languages.getDiagnostics(uri).some((d) => isFitcheckFinding(d.source)))) reach('linted');
    }),
    runs.onTrainingEvent(({ event }) => reach(trainingStepOf(event))),
    runs.onWatchEvent(({ event }) => reach(watchStepOf(event))),
  );
  context.subscriptions.push({ dispose: () => { for (const l of listeners.splice(0)) l.dispose(); } });
}
