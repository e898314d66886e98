/**
 * What the Runs view shows for a stored run: status, regime, best validation value and start time,
 * read from its events alone. Pure (no vscode, no node) so it is tested without an editor.
 */
import { REGIME_TITLES, formatError } from '../metrics/diagnosis/describe.js';
import type { Regime, RunEvent } from '../metrics/diagnosis/events.js';
import type { PanelStatus } from '../webviews/panel/protocol.js';

export interface RunSummary {
  runId: string;
  name: string;
  status: PanelStatus;
  /** The final diagnosis's regime, else the last epoch's label. */
  regime?: Regime;
  /** The lowest validation error (the run's metric) and its epoch. */
  bestVal?: { epoch: number; error: number };
  /** ISO 8601 start time; absent when the source has no real time (a log without wall times reads as 1970). */
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
      if (realTime(e.time) !== undefined) summary.startTime = e.time;
      else delete summary.startTime;
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

/**
 * Milliseconds since 1970 of an ISO time that is a real clock reading, else undefined: unparseable,
 * or before 2000 (a TensorBoard log whose events carry no wall time starts at 0, which is 1970).
 */
export function realTime(iso: string | undefined): number | undefined {
  if (typeof iso !== 'string') return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms >= Date.UTC(2000, 0, 1) ? ms : undefined;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago"; older than a month, or in the future, the local date. */
export function formatAgo(ms: number, now: number): string {
  const seconds = (now - ms) / 1000;
  if (seconds < -60 || seconds >= 30 * 86400) return formatLocal(ms).slice(0, 10);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-01-25 16:22:33 UTC+01:00": the exact time in the local time zone, with its offset. */
export function formatLocal(ms: number): string {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

/** The tree item's words: label, description (start time relative to `now`) and tooltip lines (exact local start time). */
export function describeRun(summary: RunSummary, now = Date.now()): { label: string; description: string; tooltip: string } {
  const start = realTime(summary.startTime);
  const parts: string[] = [];
  if (summary.regime) parts.push(REGIME_TITLES[summary.regime]);
  if (summary.bestVal) parts.push(`best val ${formatError(summary.bestVal.error)} @${summary.bestVal.epoch}`);
  if (start !== undefined) parts.push(formatAgo(start, now));
  const tooltip = [
    `${summary.name} (${summary.runId})`,
    `Status: ${summary.status}, ${summary.epochs}/${summary.plannedEpochs || '?'} epochs`,
    ...(summary.regime ? [`Regime: ${REGIME_TITLES[summary.regime]}`] : []),
    ...(summary.bestVal ? [`Best validation error: ${formatError(summary.bestVal.error)} at epoch ${summary.bestVal.epoch}`] : []),
    ...(start !== undefined ? [`Started: ${formatLocal(start)}`] : []),
  ].join('\n');
  return { label: summary.name, description: parts.join(' · '), tooltip };
}
