/**
 * What the Runs view shows for a stored run: status, regime, best validation value and start time,
 * read from its events alone. Pure (no vscode, no node) so it is tested without an editor.
 */
import { REGIME_TITLES, formatError } from '../metrics/describe.js';
import type { Regime, RunEvent } from '../metrics/events.js';
import type { PanelStatus } from '../webviews/panel/protocol.js';

export interface RunSummary {
  runId: string;
  name: string;
  status: PanelStatus;
  /** The final diagnosis's regime, else the last epoch's label. */
  regime?: Regime;
  /** The lowest validation error (the run's metric) and its epoch. */
  bestVal?: { epoch: number; error: number };
  /** ISO 8601 start time. */
  startTime?: string;
  epochs: number;
  plannedEpochs: number;
}

/** Summarizes one run's events; `running` says whether this window's trainer is still writing it. */
export function summarizeRun(runId: string, events: readonly RunEvent[], running = false): RunSummary {
  const summary: RunSummary = { runId, name: runId, status: 'unknown', epochs: 0, plannedEpochs: 0 };
  for (const e of events) {
    if (e.type === 'start') {
      summary.name = e.name ?? runId;
      summary.startTime = e.time;
      summary.plannedEpochs = e.epochs;
    } else if (e.type === 'epoch') {
      summary.epochs = e.epoch;
      if (e.regime) summary.regime = e.regime;
      const val = e.val?.error;
      if (val !== undefined && Number.isFinite(val) && (!summary.bestVal || val < summary.bestVal.error)) summary.bestVal = { epoch: e.epoch, error: val };
    } else if (e.type === 'end') {
      summary.status = e.status;
      if (e.diagnosis) {
        // The final diagnosis decides: a failed or undecided run shows no regime, whatever its epochs said.
        if (e.diagnosis.regime) summary.regime = e.diagnosis.regime;
        else delete summary.regime;
      }
    }
  }
  // Without an end event a run is either still going here, or its writer died without one.
  if (summary.status === 'unknown' && running) summary.status = 'running';
  return summary;
}

/** Codicon id per status (the tree item's icon). */
export const STATUS_ICONS: Readonly<Record<PanelStatus, string>> = {
  running: 'sync~spin',
  completed: 'pass',
  stopped: 'debug-stop',
  failed: 'error',
  unknown: 'question',
};

/** The tree item's words: label, description and tooltip lines. */
export function describeRun(summary: RunSummary): { label: string; description: string; tooltip: string } {
  const parts: string[] = [];
  if (summary.regime) parts.push(REGIME_TITLES[summary.regime]);
  if (summary.bestVal) parts.push(`best val ${formatError(summary.bestVal.error)} @${summary.bestVal.epoch}`);
  if (summary.startTime) parts.push(formatStart(summary.startTime));
  const tooltip = [
    `${summary.name} (${summary.runId})`,
    `Status: ${summary.status}, ${summary.epochs}/${summary.plannedEpochs || '?'} epochs`,
    ...(summary.regime ? [`Regime: ${REGIME_TITLES[summary.regime]}`] : []),
    ...(summary.bestVal ? [`Best validation error: ${formatError(summary.bestVal.error)} at epoch ${summary.bestVal.epoch}`] : []),
    ...(summary.startTime ? [`Started: ${summary.startTime}`] : []),
  ].join('\n');
  return { label: summary.name, description: parts.join(' · '), tooltip };
}

/** "2026-01-25 15:22" from an ISO time (UTC, as stored: the run id uses UTC too). */
export function formatStart(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}
