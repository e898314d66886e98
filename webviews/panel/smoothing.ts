/**
 * TensorBoard's scalar smoothing: a debiased exponential moving average. Pure, so the host-side
 * tests check it against known values.
 */
import type { Point } from './points.js';

/** The slider's range: 0 is off; 1 would freeze the average at its first value, so it stops short. */
export const MAX_SMOOTHING = 0.99;

/**
 * Smooths `values` like TensorBoard (`last = last * w + (1 - w) * v`, divided by `1 - w^n` where n
 * counts the finite values so far, so early points are not pulled towards 0). Non-finite values
 * (a diverged loss) pass through unchanged and do not enter the average; a constant series is
 * returned as is (TensorBoard does the same, avoiding rounding noise). `weight` is clamped to [0, 0.999].
 */
export function debiasedEma(values: readonly number[], weight: number): number[] {
  const w = Number.isFinite(weight) ? Math.min(0.999, Math.max(0, weight)) : 0;
  if (w === 0 || values.every((v) => Object.is(v, values[0]))) return [...values];
  let last = 0;
  let count = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    count++;
    return last / (1 - w ** count);
  });
}

/** Smooths the y values of chart points, keeping their x (gaps stay gaps). */
export function smoothPoints(points: readonly Point[], weight: number): Point[] {
  const ys = debiasedEma(points.map((p) => p.y), weight);
  return points.map((p, i) => ({ x: p.x, y: ys[i]! }));
}

/**
 * `debiasedEma` one value at a time, for curves that grow: the same average and debiasing, without
 * re-smoothing the whole curve on every batch (the constant-series shortcut aside, which only
 * avoids rounding noise).
 */
export class DebiasedEma {
  private readonly w: number;
  private last = 0;
  private count = 0;

  constructor(weight: number) {
    this.w = Number.isFinite(weight) ? Math.min(0.999, Math.max(0, weight)) : 0;
  }

  next(v: number): number {
    if (this.w === 0 || !Number.isFinite(v)) return v;
    this.last = this.last * this.w + (1 - this.w) * v;
    this.count++;
    return this.last / (1 - this.w ** this.count);
  }
}
