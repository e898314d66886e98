/** Epoch rows to chart points. Pure, so the host-side tests cover it too. */
import type { EpochRow } from './protocol.js';

export interface Point {
  x: number;
  y: number;
}

/** A value a chart can draw: non-finite (a diverged loss) and, on a log scale, non-positive values become gaps. */
export function plottable(value: number | undefined, log = false): number {
  if (value === undefined || !Number.isFinite(value) || (log && value <= 0)) return Number.NaN;
  return value;
}

/** A value as a tooltip shows it: every significant digit a float32 log holds (6), no locale rounding. */
export function exactValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e7) return String(Number(value.toPrecision(6)));
  return value.toExponential(5).replace(/\.?0+e/, 'e');
}

/** Accessors of the curves the panel draws, by dataset key. */
export const CURVES = {
  trainLoss: (r: EpochRow) => r.trainLoss,
  valLoss: (r: EpochRow) => r.valLoss,
  trainError: (r: EpochRow) => r.trainError,
  valError: (r: EpochRow) => r.valError,
  lr: (r: EpochRow) => r.lr,
  samplesPerSec: (r: EpochRow) => r.samplesPerSec,
} as const;

/** Points of one curve; rows without the value (no validation set) give no point rather than a gap. `log`: for a log axis. */
export function curvePoints(rows: readonly EpochRow[], pick: (r: EpochRow) => number | undefined, log = false): Point[] {
  const points: Point[] = [];
  for (const r of rows) {
    const v = pick(r);
    if (v !== undefined) points.push({ x: r.epoch, y: plottable(v, log) });
  }
  return points;
}

/** Points of one layer's gradient norm, for a log axis. */
export function gradPoints(rows: readonly EpochRow[], layer: string): Point[] {
  const points: Point[] = [];
  for (const r of rows) {
    const v = r.gradNorms[layer];
    if (v !== undefined) points.push({ x: r.epoch, y: plottable(v, true) });
  }
  return points;
}
