/**
 * When a walkthrough step has happened, in data: the context keys its `completionEvents` wait for
 * and what sets each. No `vscode` here, so the rules are unit-tested on their own.
 */
import type { RunEvent } from '../metrics/diagnosis/events.js';

/** Context keys set to true once the step's lesson has been seen in this profile. */
export const WALKTHROUGH_KEYS = {
  /** Fitcheck put a finding on a file. */
  linted: 'fitcheck.walkthrough.linted',
  /** A run started in the editor ran to its end. */
  trained: 'fitcheck.walkthrough.trained',
  /** A watched run of the user's own delivered an epoch. */
  watched: 'fitcheck.walkthrough.watched',
} as const;

export type WalkthroughStep = keyof typeof WALKTHROUGH_KEYS;

/** Whether a diagnostic comes from Fitcheck's analysis (its rules, or a monitored run's evidence). */
export function isFitcheckFinding(source: string | undefined): boolean {
  return source === 'fitcheck' || source?.startsWith('fitcheck-') === true;
}

/** The step a training run's event completes: a run that ended, not one merely started. */
export function trainingStepOf(event: RunEvent): WalkthroughStep | undefined {
  return event.type === 'end' && event.status === 'completed' ? 'trained' : undefined;
}

/** The step a watched run's event completes: its first epoch arrived. */
export function watchStepOf(event: RunEvent): WalkthroughStep | undefined {
  return event.type === 'epoch' ? 'watched' : undefined;
}
