/**
 * *Fitcheck: Compare Runs*: the quick pick's items and the series the panel overlays. Pure (no
 * vscode, no node) so it is tested without an editor.
 */
import type { ComparedRun, EpochRow } from '../webviews/panel/protocol.js';

/** At most this many runs are overlaid (more lines than colours stop being readable). */
export const MAX_COMPARED = 8;

/** The overlay of one run: its validation loss per epoch. */
export function comparedRun(runId: string, name: string, rows: readonly EpochRow[]): ComparedRun {
  const valLoss: ComparedRun['valLoss'] = [];
  for (const r of rows) if (r.valLoss !== undefined) valLoss.push({ epoch: r.epoch, loss: r.valLoss });
  return { runId, name, valLoss };
}

export interface ComparePickItem {
  label: string;
  description: string;
  runId: string;
  picked: boolean;
}

/** Every run but the panel's own, newest first (run ids start with the start time), those compared now ticked. */
export function comparePickItems(runs: readonly { runId: string; name?: string }[], current: string, compared: readonly string[]): ComparePickItem[] {
  const seen = new Set<string>();
  const items: ComparePickItem[] = [];
  for (const r of [...runs].sort((a, b) => b.runId.localeCompare(a.runId))) {
    if (r.runId === current || seen.has(r.runId)) continue;
    seen.add(r.runId);
    items.push({ label: r.name ?? r.runId, description: r.runId, runId: r.runId, picked: compared.includes(r.runId) });
  }
  return items;
}
