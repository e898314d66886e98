/**
 * Loss-curve checks: plateau, oscillation, divergence, overfitting onset. A `CurveHistory` keeps
 * running minima as epochs arrive, so each check costs O(window) per epoch however long the run;
 * the array forms build one for a whole curve.
 */
import type { Detection } from './gradients.js';
import type { Thresholds } from './thresholds.js';
import { jitterStdErr, Z_DECIDE } from './uncertainty.js';

const round = (x: number) => Number(x.toPrecision(4));

/** One run's loss curves with running summaries; push one epoch at a time. */
export class CurveHistory {
  readonly epochs: number[] = [];
  readonly trainLoss: number[] = [];
  readonly valLoss: number[] = [];
  readonly valError: number[] = [];
  /** prefixMin[i]: the lowest finite training loss in epochs 0..i (Infinity when none). */
  private readonly prefixMin: number[] = [];
  private firstFinite: number | undefined;
  /** Index of the lowest finite validation loss so far (-1 when none). */
  bestVal = -1;
  /** Whether every epoch so far had a validation loss. */
  allValidated = true;

  /** Adds an epoch's numbers (NaN where a split is missing). */
  push(epoch: number, trainLoss: number, valLoss: number, valError: number): void {
    const i = this.trainLoss.length;
    this.epochs.push(epoch);
    this.trainLoss.push(trainLoss);
    this.valLoss.push(valLoss);
    this.valError.push(valError);
    const before = i > 0 ? this.prefixMin[i - 1]! : Number.POSITIVE_INFINITY;
    this.prefixMin.push(Number.isFinite(trainLoss) && trainLoss < before ? trainLoss : before);
    if (this.firstFinite === undefined && Number.isFinite(trainLoss)) this.firstFinite = trainLoss;
    if (Number.isNaN(valLoss) && !Number.isFinite(valError)) this.allValidated = false;
    if (Number.isFinite(valLoss) && (this.bestVal < 0 || valLoss < this.valLoss[this.bestVal]!)) this.bestVal = i;
  }

  get length(): number {
    return this.trainLoss.length;
  }

  /** The lowest finite training loss among the first `count` epochs. */
  minTrainLoss(count = this.length): number {
    return count > 0 ? this.prefixMin[Math.min(count, this.length) - 1]! : Number.POSITIVE_INFINITY;
  }

  /** The first finite training loss. */
  get firstTrainLoss(): number | undefined {
    return this.firstFinite;
  }

  /** A history of whole curves (the array forms of the checks). */
  static of(trainLoss: readonly number[], valLoss: readonly number[] = [], epochs?: readonly number[], valError: readonly number[] = []): CurveHistory {
    const h = new CurveHistory();
    trainLoss.forEach((v, i) => h.push(epochs?.[i] ?? i + 1, v, valLoss[i] ?? Number.NaN, valError[i] ?? Number.NaN));
    return h;
  }
}

/**
 * The best training loss improved by less than `plateauMinImprovement` over the last
 * `plateauWindow` epochs. With `epsilon` the error must still be above it (stalling at ε is
 * convergence); without it (a bare loss) the plateau is worth knowing but not a problem: info.
 */
export function plateauAt(h: CurveHistory, trainError: number | null, epsilon: number | null, t: Thresholds): Detection | null {
  const n = h.length;
  if (n <= t.plateauWindow) return null;
  if (epsilon !== null && !(trainError !== null && trainError > epsilon)) return null;
  const before = h.minTrainLoss(n - t.plateauWindow);
  let recent = Number.POSITIVE_INFINITY;
  for (let i = n - t.plateauWindow; i < n; i++) if (h.trainLoss[i]! < recent) recent = h.trainLoss[i]!;
  if (!Number.isFinite(before) || !Number.isFinite(recent) || before <= 0) return null;
  const improvement = (before - recent) / before;
  if (improvement >= t.plateauMinImprovement) return null;
  const pct = (Math.max(0, improvement) * 100).toFixed(2);
  return epsilon === null
    ? {
      kind: 'plateau',
      severity: 'info',
      message: `Plateau: the training loss improved ${pct}% in the last ${t.plateauWindow} epochs; without an error metric or ε it cannot say whether that is convergence or a stall.`,
      evidence: { window: t.plateauWindow, bestBefore: before, bestRecent: recent, improvement },
    }
    : {
      kind: 'plateau',
      severity: 'warning',
      message: `Plateau: the training loss improved ${pct}% in the last ${t.plateauWindow} epochs while the training error ${round(trainError!)} is still above ε = ${epsilon}.`,
      evidence: { window: t.plateauWindow, bestBefore: before, bestRecent: recent, improvement, trainError, epsilon },
    };
}

/** `plateauAt` over a whole training-loss curve. */
export function detectPlateau(trainLoss: readonly number[], trainError: number, epsilon: number, t: Thresholds): Detection | null {
  return plateauAt(CurveHistory.of(trainLoss), trainError, epsilon, t);
}

/**
 * The training loss zig-zags without getting anywhere: most recent changes flip sign, the typical
 * (median) change is large relative to the loss, the second half of the window is not clearly
 * lower than the first (a loss that bounces while falling is ordinary SGD noise), and — when
 * there is an ε — the training error is still above it.
 */
export function oscillationAt(h: CurveHistory, trainError: number | null, epsilon: number | null, t: Thresholds): Detection | null {
  const window = Math.max(3, t.oscillationWindow);
  // Bouncing at the noise floor of a run that already meets ε is harmless; report it while it costs something.
  if (h.length < window + 1) return null;
  if (epsilon !== null && !(trainError !== null && trainError > epsilon)) return null;
  const values = h.trainLoss.slice(-(window + 1));
  if (!values.every(Number.isFinite)) return null;
  const deltas = values.slice(1).map((v, i) => v - values[i]!);
  let flips = 0;
  for (let i = 1; i < deltas.length; i++) if (Math.sign(deltas[i]!) * Math.sign(deltas[i - 1]!) < 0) flips++;
  const flipFraction = flips / (deltas.length - 1);
  const amplitude = median(deltas.map(Math.abs)) / (median(values.map(Math.abs)) || 1);
  const half = Math.floor(values.length / 2);
  const early = mean(values.slice(0, half));
  const progress = early > 0 ? (early - mean(values.slice(values.length - half))) / early : 0;
  if (flipFraction < t.oscillationFlipFraction || amplitude < t.oscillationAmplitude || progress >= t.oscillationMaxProgress) return null;
  return {
    kind: 'oscillation',
    severity: 'warning',
    message: `Oscillation: the training loss went up and down in ${flips} of the last ${deltas.length - 1} epoch pairs, typically by ${(amplitude * 100).toFixed(0)}% of its size, without getting lower; the steps overshoot.`,
    evidence: { window, flipFraction: round(flipFraction), amplitude: round(amplitude), progress: round(progress), trainError, epsilon },
  };
}

/** `oscillationAt` over a whole training-loss curve. */
export function detectOscillation(trainLoss: readonly number[], trainError: number, epsilon: number, t: Thresholds): Detection | null {
  return oscillationAt(CurveHistory.of(trainLoss), trainError, epsilon, t);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

/**
 * The training loss stayed above both `divergenceFactor` × its best and its first value for
 * `divergenceEpochs` epochs: it is growing, not merely bouncing (momentum overshoots stay below the start).
 */
export function divergenceAt(h: CurveHistory, t: Thresholds): Detection | null {
  const k = Math.max(1, t.divergenceEpochs);
  const n = h.length;
  if (n <= k) return null;
  const best = h.minTrainLoss(n - k);
  const first = h.firstTrainLoss;
  // "× its best" means nothing for a loss that can be negative (reinforcement learning objectives).
  if (first === undefined || !Number.isFinite(best) || best <= 0) return null;
  const limit = Math.max(t.divergenceFactor * best, first);
  for (let i = n - k; i < n; i++) if (!(Number.isFinite(h.trainLoss[i]!) && h.trainLoss[i]! > limit)) return null;
  const current = h.trainLoss[n - 1]!;
  return {
    kind: 'divergence',
    severity: 'error',
    message: `Divergence: the training loss rose to ${round(current)}, ${(current / best).toFixed(1)}× its best (${round(best)}) and above where it started (${round(first)}), for ${k} epochs.`,
    evidence: { bestLoss: best, firstLoss: first, currentLoss: current, factor: current / best, factorThreshold: t.divergenceFactor },
  };
}

/** `divergenceAt` over a whole training-loss curve. */
export function detectDivergence(trainLoss: readonly number[], t: Thresholds): Detection | null {
  return divergenceAt(CurveHistory.of(trainLoss), t);
}

/**
 * Overfitting onset (Prechelt's generalization loss): the validation loss has stayed more than
 * `overfitGeneralizationLoss` above its best for `overfitPatience` epochs while the training loss
 * fell, and the rise is larger than the validation loss's own epoch-to-epoch noise. A validation
 * error that has not risen from the best epoch and is within ε (`epsilon`, when the run has one)
 * vetoes it: a loss creeping up from 1.0e-4 to 1.2e-4 while every validation example stays right is
 * not overfitting worth a stop.
 * `trainNearEpsilon` is false while the training error is still clearly above ε: a model that
 * cannot fit its training data is not yet overfitting it.
 */
export function overfittingAt(h: CurveHistory, t: Thresholds, trainNearEpsilon = true, epsilon: number | null = null): Detection | null {
  const n = h.length;
  const patience = Math.max(1, t.overfitPatience);
  if (!trainNearEpsilon || n <= patience || !h.allValidated) return null;
  const best = h.bestVal;
  if (best < 0 || n - 1 - best < patience) return null;
  const bestVal = h.valLoss[best]!;
  for (let i = n - patience; i < n; i++) if (!(h.valLoss[i]! > bestVal * (1 + t.overfitGeneralizationLoss))) return null;
  const valNow = h.valLoss[n - 1]!;
  const noise = jitterStdErr(h.valLoss);
  if (Number.isFinite(noise) && valNow - bestVal <= Z_DECIDE * noise) return null;
  const errNow = h.valError[n - 1]!;
  const errAtBest = h.valError[best]!;
  if (epsilon !== null && Number.isFinite(errNow) && Number.isFinite(errAtBest) && !(errNow > errAtBest) && errNow <= epsilon) return null;
  const trainNow = h.trainLoss[n - 1]!;
  const trainAtBest = h.trainLoss[best]!;
  // Overfitting means training still improves: the training loss is below where it was at the best
  // epoch and near its lowest so far (a loss that bounced back up is an overshoot, not overfitting).
  const trainBest = h.minTrainLoss();
  if (!(trainNow < trainAtBest) || trainNow > trainBest * 1.01) return null;
  const generalizationLoss = valNow / bestVal - 1;
  const bestEpoch = h.epochs[best]!;
  return {
    kind: 'overfitting-onset',
    severity: 'warning',
    message: `Overfitting: the validation loss is ${(generalizationLoss * 100).toFixed(0)}% above its lowest (${round(bestVal)} at epoch ${bestEpoch}) while the training loss kept falling (${round(trainAtBest)} → ${round(trainNow)}).`,
    evidence: { bestEpoch, bestValLoss: bestVal, valLoss: valNow, generalizationLoss: round(generalizationLoss), trainLossAtBest: trainAtBest, trainLoss: trainNow, ...(Number.isFinite(noise) ? { valLossNoise: round(noise) } : {}) },
    bestEpoch,
  };
}

/** `overfittingAt` over whole curves. */
export function detectOverfittingOnset(epochs: readonly number[], trainLoss: readonly number[], valLoss: readonly number[], t: Thresholds, valError: readonly number[] = []): Detection | null {
  return overfittingAt(CurveHistory.of(trainLoss, valLoss, epochs, valError), t);
}

/** The smallest value (Infinity for none): a loop, since spreading a long run's values overflows the call stack. */
export function minOf(values: readonly number[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const v of values) if (v < min) min = v;
  return min;
}
