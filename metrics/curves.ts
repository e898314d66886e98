/** Loss-curve checks: plateau, oscillation, divergence, overfitting onset. Arrays are per epoch, oldest first. */
import type { Detection } from './gradients.js';
import type { Thresholds } from './thresholds.js';

const round = (x: number) => Number(x.toPrecision(4));

/** The best training loss improved by less than `plateauMinImprovement` over the last `plateauWindow` epochs, with the error above ε. */
export function detectPlateau(trainLoss: readonly number[], trainError: number, epsilon: number, t: Thresholds): Detection | null {
  const n = trainLoss.length;
  if (n <= t.plateauWindow || !(trainError > epsilon)) return null;
  const before = minOf(trainLoss.slice(0, n - t.plateauWindow));
  const recent = minOf(trainLoss.slice(n - t.plateauWindow));
  if (!Number.isFinite(before) || !Number.isFinite(recent) || before <= 0) return null;
  const improvement = (before - recent) / before;
  if (improvement >= t.plateauMinImprovement) return null;
  return {
    kind: 'plateau',
    severity: 'warning',
    message: `Plateau: the training loss improved ${(Math.max(0, improvement) * 100).toFixed(2)}% in the last ${t.plateauWindow} epochs while the training error ${round(trainError)} is still above ε = ${epsilon}.`,
    evidence: { window: t.plateauWindow, bestBefore: before, bestRecent: recent, improvement, trainError, epsilon },
  };
}

/**
 * The training loss zig-zags without getting anywhere: most recent changes flip sign, the typical
 * (median) change is large relative to the loss, the second half of the window is not clearly
 * lower than the first (a loss that bounces while falling is ordinary SGD noise), and the training
 * error is still above ε.
 */
export function detectOscillation(trainLoss: readonly number[], trainError: number, epsilon: number, t: Thresholds): Detection | null {
  const window = Math.max(3, t.oscillationWindow);
  // Bouncing at the noise floor of a run that already meets ε is harmless; report it while it costs something.
  if (trainLoss.length < window + 1 || !(trainError > epsilon)) return null;
  const values = trainLoss.slice(-(window + 1));
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
export function detectDivergence(trainLoss: readonly number[], t: Thresholds): Detection | null {
  const k = Math.max(1, t.divergenceEpochs);
  if (trainLoss.length <= k) return null;
  const earlier = trainLoss.slice(0, trainLoss.length - k).filter(Number.isFinite);
  const best = minOf(earlier);
  const first = earlier[0];
  const recent = trainLoss.slice(-k);
  // "× its best" means nothing for a loss that can be negative (reinforcement learning objectives).
  if (first === undefined || !Number.isFinite(best) || best <= 0) return null;
  const limit = Math.max(t.divergenceFactor * best, first);
  if (!recent.every((v) => Number.isFinite(v) && v > limit)) return null;
  const current = recent[recent.length - 1]!;
  return {
    kind: 'divergence',
    severity: 'error',
    message: `Divergence: the training loss rose to ${round(current)}, ${(current / best).toFixed(1)}× its best (${round(best)}) and above where it started (${round(first)}), for ${k} epochs.`,
    evidence: { bestLoss: best, firstLoss: first, currentLoss: current, factor: current / best, factorThreshold: t.divergenceFactor },
  };
}

/**
 * Overfitting onset (Prechelt's generalization loss): the validation loss has stayed more than
 * `overfitGeneralizationLoss` above its best for `overfitPatience` epochs while the training loss fell.
 */
export function detectOverfittingOnset(epochs: readonly number[], trainLoss: readonly number[], valLoss: readonly number[], t: Thresholds): Detection | null {
  const n = valLoss.length;
  const patience = Math.max(1, t.overfitPatience);
  if (n <= patience) return null;
  let best = -1;
  for (let i = 0; i < n; i++) if (Number.isFinite(valLoss[i]!) && (best < 0 || valLoss[i]! < valLoss[best]!)) best = i;
  if (best < 0 || n - 1 - best < patience) return null;
  const bestVal = valLoss[best]!;
  const recent = valLoss.slice(-patience);
  if (!recent.every((v) => v > bestVal * (1 + t.overfitGeneralizationLoss))) return null;
  const trainNow = trainLoss[n - 1]!;
  const trainAtBest = trainLoss[best]!;
  // Overfitting means training still improves: the training loss is below where it was at the best
  // epoch and near its lowest so far (a loss that bounced back up is an overshoot, not overfitting).
  const trainBest = minOf(trainLoss.filter(Number.isFinite));
  if (!(trainNow < trainAtBest) || trainNow > trainBest * 1.01) return null;
  const valNow = valLoss[n - 1]!;
  const generalizationLoss = valNow / bestVal - 1;
  return {
    kind: 'overfitting-onset',
    severity: 'warning',
    message: `Overfitting since epoch ${epochs[best]! + 1}: the validation loss is ${(generalizationLoss * 100).toFixed(0)}% above its best (${round(bestVal)} at epoch ${epochs[best]}) while the training loss kept falling (${round(trainAtBest)} → ${round(trainNow)}).`,
    evidence: { bestEpoch: epochs[best]!, bestValLoss: bestVal, valLoss: valNow, generalizationLoss: round(generalizationLoss), trainLossAtBest: trainAtBest, trainLoss: trainNow },
    bestEpoch: epochs[best]!,
  };
}

/** The smallest value (Infinity for none): a loop, since spreading a long run's values overflows the call stack. */
export function minOf(values: readonly number[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const v of values) if (v < min) min = v;
  return min;
}
