/**
 * A run's series as CSV for *Export CSV*: one row per epoch with the losses, errors, learning rate
 * and each layer's gradient norm. Pure: no vscode, no node.
 */
import type { EpochRow } from '../webviews/panel/protocol.js';

/** Quotes a field when it holds a separator, quote or line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A number as written in the CSV: empty when not measured, `NaN`/`Infinity` kept as such. */
function csvNumber(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** The CSV text (header line, then one line per epoch, `\n` line ends). */
export function seriesCsv(rows: readonly EpochRow[], layers: readonly string[]): string {
  const header = ['epoch', 'train_loss', 'val_loss', 'train_error', 'val_error', 'lr', ...layers.map((l) => `grad_norm_${l}`)];
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) {
    const cells = [r.epoch, r.trainLoss, r.valLoss, r.trainError, r.valError, r.lr, ...layers.map((l) => r.gradNorms[l])];
    lines.push(cells.map(csvNumber).join(','));
  }
  return `${lines.join('\n')}\n`;
}
