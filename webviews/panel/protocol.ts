/**
 * Messages between the extension host and the run panel's webview. Pure (no DOM, no node, no
 * vscode): the host validates what the webview sends with `parseWebviewMessage`, and both sides
 * share the shapes.
 */
import type { Diagnosis, ErrorMetric, Regime, Severity } from '../../metrics/events.js';

/** One epoch as the panel draws it; non-finite numbers survive (postMessage uses structured clone). */
export interface EpochRow {
  epoch: number;
  trainLoss: number;
  trainError: number;
  valLoss?: number;
  valError?: number;
  regime?: Regime;
  /** Gradient L2 norm per layer name. */
  gradNorms: Record<string, number>;
}

/** An insight as the header lists it. */
export interface InsightSummary {
  kind: string;
  epoch: number;
  severity: Severity;
  message: string;
  evidence: Record<string, number | string | null>;
  remedies: string[];
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
}

/** The panel's whole state: what the host sends first and what the webview keeps across hide/show. */
export interface PanelSnapshot {
  header: PanelHeader;
  rows: EpochRow[];
}

export type HostMessage =
  | { type: 'reset'; snapshot: PanelSnapshot }
  | { type: 'append'; rows: EpochRow[]; header: PanelHeader };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'stop'; runId: string }
  | { type: 'rerun'; runId: string };

/** What the webview keeps in `setState`, so a reloaded window can find the run again. */
export interface PanelState {
  runId: string;
  snapshot?: PanelSnapshot;
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
  return undefined;
}

/** Checks the state VS Code hands back to the panel serializer after a reload. */
export function parsePanelState(value: unknown): PanelState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const runId = (value as { runId?: unknown }).runId;
  return isRunId(runId) ? { runId } : undefined;
}
