/**
 * How far a measured error could move from sampling alone. An error measured on N examples is an
 * estimate: a validation error of 0.15 on 40 examples is compatible with anything from 0.07 to
 * 0.29. The regimes compare intervals, not bare numbers, so noise is never read as bias or variance.
 */
import type { ErrorMetric, SplitMetrics } from './events.js';

/** z for a two-sided 95% interval: the level at which a regime is called. */
export const Z_DECIDE = 1.96;

/** z at which one epoch's numbers are so clear that the regime needs no confirming epochs. */
export const Z_CLEAR = 3.5;

/** A point estimate with the standard error of its noise (0 when it is exact, NaN when unknown). */
export interface Estimate {
  value: number;
  stdErr: number;
  /** How the noise was estimated, for the evidence line. */
  basis: 'binomial' | 'examples' | 'jitter' | 'none';
  /** Examples behind the value, when known. */
  n?: number;
}

/**
 * The Wilson score interval of a proportion p measured on n trials: unlike p ± z·√(p(1−p)/n) it
 * stays inside [0, 1] and does not collapse to a point at p = 0 (a validation error of 0 on
 * 20 examples still allows about 0.16).
 */
export function wilson(p: number, n: number, z = Z_DECIDE): { low: number; high: number } {
  if (!(n > 0) || !Number.isFinite(p)) return { low: 0, high: 1 };
  const q = Math.min(1, Math.max(0, p));
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (q + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((q * (1 - q)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The interval of an estimate at z: Wilson for a binomial rate, value ± z·stdErr otherwise. */
export function intervalOf(e: Estimate, z = Z_DECIDE): { low: number; high: number } {
  if (e.basis === 'binomial' && e.n !== undefined) return wilson(e.value, e.n, z);
  if (!Number.isFinite(e.stdErr)) return { low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY };
  return { low: e.value - z * e.stdErr, high: e.value + z * e.stdErr };
}

/**
 * The noise of a series from its own wiggle: second differences remove a straight-line trend, and
 * for white noise of standard deviation σ they have standard deviation σ·√6. The median absolute
 * value (÷ 0.6745) keeps a single spike from inflating it. NaN with fewer than 4 finite values.
 */
export function jitterStdErr(values: readonly number[], window = 10): number {
  const recent: number[] = [];
  for (let i = values.length - 1; i >= 0 && recent.length < window; i--) {
    const v = values[i]!;
    if (Number.isFinite(v)) recent.push(v);
  }
  if (recent.length < 4) return Number.NaN;
  const d2: number[] = [];
  for (let i = 2; i < recent.length; i++) d2.push(Math.abs(recent[i]! - 2 * recent[i - 1]! + recent[i - 2]!));
  d2.sort((a, b) => a - b);
  const mid = d2.length >> 1;
  const med = d2.length % 2 ? d2[mid]! : (d2[mid - 1]! + d2[mid]!) / 2;
  return med / 0.6745 / Math.sqrt(6);
}

/**
 * The estimate of one split's error: the binomial interval of a rate over n examples, the
 * trainer's standard error from the examples' spread, or (for a log that says neither) the
 * series' own jitter. `history` is the error series up to this epoch, `fallbackN` the split's
 * size from the start event.
 */
export function estimateError(split: SplitMetrics, metric: ErrorMetric, history: readonly number[], fallbackN?: number): Estimate {
  const value = split.error;
  const n = split.n ?? fallbackN;
  if (split.errorStdErr !== undefined && Number.isFinite(split.errorStdErr)) {
    return { value, stdErr: split.errorStdErr, basis: metric === 'error' && n !== undefined ? 'binomial' : 'examples', ...(n !== undefined ? { n } : {}) };
  }
  if (metric === 'error' && n !== undefined && n > 0) {
    return { value, stdErr: Math.sqrt(Math.max(value * (1 - value), 0) / n), basis: 'binomial', n };
  }
  const jitter = jitterStdErr(history);
  return Number.isFinite(jitter) ? { value, stdErr: jitter, basis: 'jitter' } : { value, stdErr: Number.NaN, basis: 'none' };
}

/** Relative tolerance of every comparison with ε, so 0.09999999999999998 counts as 0.1. */
export const COMPARE_TOLERANCE = 1e-9;

/** Where an estimate stands against a limit at z: clearly above, clearly at or below, or within its noise. */
export function sideOf(e: Estimate, limit: number, z = Z_DECIDE): 'above' | 'below' | 'unclear' {
  if (Number.isNaN(e.value)) return 'above';
  const tol = COMPARE_TOLERANCE * Math.max(1, Math.abs(limit));
  const { low, high } = intervalOf(e, z);
  if (low > limit + tol) return 'above';
  if (high <= limit + tol) return 'below';
  return 'unclear';
}

/** The difference of two independent estimates, their noise added in quadrature. */
export function difference(a: Estimate, b: Estimate): Estimate {
  const stdErr = Math.sqrt(a.stdErr ** 2 + b.stdErr ** 2);
  const basis = a.basis === 'none' || b.basis === 'none' ? 'none' : a.basis === 'jitter' || b.basis === 'jitter' ? 'jitter' : 'examples';
  return { value: a.value - b.value, stdErr, basis };
}

/**
 * The generalization gap, validation − training error. The training error is the model's own
 * error on the very examples it trained on: exact for the question "does it do worse on new data?",
 * so only the validation set's sampling noise counts. A training error read off a logged curve
 * carries that curve's jitter, which does count.
 */
export function gapOf(val: Estimate, train: Estimate): Estimate {
  if (train.basis === 'binomial' || train.basis === 'examples') return { value: val.value - train.value, stdErr: val.stdErr, basis: val.basis === 'binomial' ? 'examples' : val.basis, ...(val.n !== undefined ? { n: val.n } : {}) };
  return difference(val, train);
}

/** The 95% half-width of an estimate (NaN when its noise is unknown), for "0.10 ± 0.12". */
export function margin(e: Estimate, z = Z_DECIDE): number {
  if (e.basis === 'binomial' && e.n !== undefined) {
    const { low, high } = wilson(e.value, e.n, z);
    return (high - low) / 2;
  }
  return z * e.stdErr;
}
