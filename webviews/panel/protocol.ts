/**
 * Messages between the extension host and the run panel's webview. Pure (no DOM, no node, no
 * vscode): the host validates what the webview sends with `parseWebviewMessage`, and both sides
 * share the shapes.
 */
import type { Axis, Diagnosis, ErrorMetric, Regime, Severity } from '../../metrics/diagnosis/events.js';

/** One epoch as the panel draws it; non-finite numbers survive (postMessage uses structured clone). */
export interface EpochRow {
  epoch: number;
  trainLoss: number;
  trainError: number;
  valLoss?: number;
  valError?: number;
  regime?: Regime;
  /** Learning rate of the epoch, when the trainer reports it. */
  lr?: number;
  /** Training examples per second in the epoch's batch loop, when reported. */
  samplesPerSec?: number;
  /** Gradient L2 norm per layer name. */
  gradNorms: Record<string, number>;
  /** The step another tool logged this point at (a watched log); on a step axis the charts label it so. */
  step?: number;
}

/** An insight as the header lists it. */
export interface InsightSummary {
  kind: string;
  epoch: number;
  severity: Severity;
  message: string;
  evidence: Record<string, number | string | null>;
  remedies: string[];
  /** For an overfitting onset: the best epoch before it. */
  bestEpoch?: number;
}

export type PanelStatus = 'running' | 'completed' | 'stopped' | 'failed' | 'unknown';

/** Everything above the charts. */
export interface PanelHeader {
  runId: string;
  name: string;
  status: PanelStatus;
  backend: string;
  epoch: number;
  epochs: number;
  epsilon: number;
  metric: ErrorMetric;
  layers: string[];
  diagnosis: Diagnosis | null;
  insights: InsightSummary[];
  /** Why the run ended early or failed. */
  reason?: string;
  /** For a run another program writes (*Watch Run…*): the folder or file it is read from. */
  watched?: string;
  /** `step` for a run that logged steps without epochs: the charts' axis, ticks and tooltips speak of steps. Absent: epochs. */
  axis?: Axis;
}

/** The panel's whole series: what the host sends when the webview (re)loads. */
export interface PanelSnapshot {
  header: PanelHeader;
  rows: EpochRow[];
}

/** Another run's validation loss, overlaid on the loss chart as a dashed line (*Compare Runs*). */
export interface ComparedRun {
  runId: string;
  name: string;
  /** Epoch and validation loss, epochs without validation left out. */
  valLoss: { epoch: number; loss: number }[];
}

export type HostMessage =
  | { type: 'reset'; snapshot: PanelSnapshot }
  | { type: 'append'; rows: EpochRow[]; header: PanelHeader }
  /** Replaces the overlaid runs (an empty list clears them). */
  | { type: 'compare'; runs: ComparedRun[] }
  /** Highlights points (epoch indices) on every chart: the run opened at a step of its runtime evidence. */
  | { type: 'highlight'; range: { from: number; to: number } };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'stop'; runId: string }
  | { type: 'rerun'; runId: string }
  | { type: 'exportCsv'; runId: string }
  | { type: 'exportPng'; runId: string; dataUrl: string };

/** The largest PNG data URL the host accepts (the charts at a high device pixel ratio fit well inside). */
export const MAX_PNG_DATA_URL = 32 * 1024 * 1024;
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

/** A `canvas.toDataURL('image/png')` result: the PNG prefix, then base64 only, bounded. */
export function isPngDataUrl(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_PNG_DATA_URL && PNG_DATA_URL.test(value);
}

/** The chart controls a panel restores after a reload (follow-latest always starts on). */
export interface PanelViewState {
  smoothing: number;
  logLoss: boolean;
}

/**
 * What the webview keeps in `setState`, so a reloaded window can find the run again: the run id and
 * the view settings only. The series is not kept there (VS Code serializes the state whole on every
 * save): the host re-sends a snapshot whenever the webview (re)loads and says `ready`.
 */
export interface PanelState {
  runId: string;
  view?: PanelViewState;
}

/** Run ids are file names under `.fitcheck/runs`: no separators, no dot-dot, bounded length. */
export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 120 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) && !value.includes('..');
}

/** Checks a message from the webview (untrusted input); undefined when it is not one we accept. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  const keys = Object.keys(message);
  if (message.type === 'ready' && keys.length === 1) return { type: 'ready' };
  if ((message.type === 'stop' || message.type === 'rerun') && keys.length === 2 && isRunId(message.runId)) {
    return { type: message.type, runId: message.runId };
  }
  if (message.type === 'exportCsv' && keys.length === 2 && isRunId(message.runId)) return { type: 'exportCsv', runId: message.runId };
  if (message.type === 'exportPng' && keys.length === 3 && isRunId(message.runId) && isPngDataUrl(message.dataUrl)) {
    return { type: 'exportPng', runId: message.runId, dataUrl: message.dataUrl };
  }
  return undefined;
}

/** Checks the state VS Code hands back to the panel serializer after a reload. */
export function parsePanelState(value: unknown): PanelState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const runId = (value as { runId?: unknown }).runId;
  return isRunId(runId) ? { runId } : undefined;
}

/** The view settings of a saved state (the webview's own, but possibly from an older version); undefined when absent or malformed. */
export function parseViewState(value: unknown): PanelViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { smoothing, logLoss } = value as { smoothing?: unknown; logLoss?: unknown };
  if (typeof smoothing !== 'number' || !Number.isFinite(smoothing) || smoothing < 0 || smoothing > 1 || typeof logLoss !== 'boolean') return undefined;
  return { smoothing, logLoss };
}
