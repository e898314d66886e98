/** Gradient-flow checks over per-layer statistics: vanishing, exploding, non-finite, dying ReLU. */
import type { InsightKind, LayerStats, Severity } from './events.js';
import type { Thresholds } from './thresholds.js';

/** What a detector found, before it becomes an insight event. */
export interface Detection {
  kind: InsightKind;
  severity: Severity;
  message: string;
  evidence: Record<string, number | string | null>;
  bestEpoch?: number;
}

/** First and last weight layer's gradient norms and their ratio; null with fewer than two such layers. */
export function gradientRatio(layers: readonly LayerStats[], minDepth = 2): { first: LayerStats; last: LayerStats; ratio: number } | null {
  // Dense layers carry the signal the seed's chain rule is about; norm layers only rescale it.
  const dense = layers.filter((l) => l.kind === 'dense');
  const chain = dense.length >= 2 ? dense : layers;
  if (chain.length < Math.max(2, minDepth)) return null;
  const first = chain[0]!;
  const last = chain[chain.length - 1]!;
  return { first, last, ratio: first.gradNorm / last.gradNorm };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : String(x));

/** Vanishing gradients in each of the last `gradientEpochs` epochs (oldest first). */
export function detectVanishing(history: readonly (readonly LayerStats[])[], t: Thresholds): Detection | null {
  const recent = history.slice(-Math.max(1, t.gradientEpochs));
  if (recent.length < Math.max(1, t.gradientEpochs)) return null;
  const ratios = recent.map((layers) => gradientRatio(layers, t.minDepth));
  if (!ratios.every((r) => r !== null && r.ratio < t.vanishingRatio && r.first.gradNorm < t.vanishingFirstNorm)) return null;
  const { first, last, ratio } = ratios[ratios.length - 1]!;
  return {
    kind: 'vanishing-gradients',
    severity: 'warning',
    message: `Vanishing gradients: the first layer (${first.name}) gets ${fmt(ratio)} of the last layer's (${last.name}) gradient norm (${fmt(first.gradNorm)} vs ${fmt(last.gradNorm)}); the early layers barely learn.`,
    evidence: { firstLayer: first.name, lastLayer: last.name, firstGradNorm: first.gradNorm, lastGradNorm: last.gradNorm, ratio, ratioThreshold: t.vanishingRatio, firstNormThreshold: t.vanishingFirstNorm },
  };
}

/** Exploding gradients: a large first/last ratio for `gradientEpochs` epochs, a non-finite norm, or a huge loss. */
export function detectExploding(history: readonly (readonly LayerStats[])[], trainLoss: number, t: Thresholds): Detection | null {
  const latest = history[history.length - 1] ?? [];
  const infinite = latest.find((l) => !Number.isFinite(l.gradNorm));
  if (infinite) {
    return {
      kind: 'exploding-gradients',
      severity: 'error',
      message: `Exploding gradients: the gradient norm of ${infinite.name} is ${infinite.gradNorm}.`,
      evidence: { layer: infinite.name, gradNorm: infinite.gradNorm },
    };
  }
  if (trainLoss >= t.explodingLoss) {
    return {
      kind: 'exploding-gradients',
      severity: 'error',
      message: `Exploding gradients: the training loss reached ${fmt(trainLoss)} (≥ ${fmt(t.explodingLoss)}).`,
      evidence: { trainLoss, lossThreshold: t.explodingLoss },
    };
  }
  const recent = history.slice(-Math.max(1, t.gradientEpochs));
  if (recent.length < Math.max(1, t.gradientEpochs)) return null;
  const ratios = recent.map((layers) => gradientRatio(layers, t.minDepth));
  if (!ratios.every((r) => r !== null && r.ratio > t.explodingRatio)) return null;
  const { first, last, ratio } = ratios[ratios.length - 1]!;
  return {
    kind: 'exploding-gradients',
    severity: 'warning',
    message: `Exploding gradients: the first layer (${first.name}) gets ${ratio.toFixed(0)}× the last layer's (${last.name}) gradient norm (${fmt(first.gradNorm)} vs ${fmt(last.gradNorm)}).`,
    evidence: { firstLayer: first.name, lastLayer: last.name, firstGradNorm: first.gradNorm, lastGradNorm: last.gradNorm, ratio, ratioThreshold: t.explodingRatio },
  };
}

/** NaN or infinite values in the losses or the gradient norms of one epoch. */
export function detectNonFinite(losses: Record<string, number | undefined>, layers: readonly LayerStats[]): Detection | null {
  const bad: string[] = [];
  for (const [name, value] of Object.entries(losses)) if (value !== undefined && !Number.isFinite(value)) bad.push(`${name} = ${value}`);
  for (const layer of layers) if (!Number.isFinite(layer.gradNorm)) bad.push(`${layer.name} gradient norm = ${layer.gradNorm}`);
  if (bad.length === 0) return null;
  return {
    kind: 'non-finite',
    severity: 'error',
    message: `Non-finite values: ${bad.join(', ')}.`,
    evidence: { values: bad.join('; ') },
  };
}

/** ReLU layers where at least `deadReluFraction` of the units never activate, for `deadReluEpochs` epochs. */
export function detectDyingRelu(history: readonly (readonly LayerStats[])[], t: Thresholds): Detection | null {
  const recent = history.slice(-Math.max(1, t.deadReluEpochs));
  if (recent.length < Math.max(1, t.deadReluEpochs)) return null;
  const latest = recent[recent.length - 1]!;
  const dead = latest.filter((layer) => layer.deadFraction !== undefined && layer.deadFraction >= t.deadReluFraction
    && recent.every((epoch) => (epoch.find((l) => l.name === layer.name)?.deadFraction ?? 0) >= t.deadReluFraction));
  if (dead.length === 0) return null;
  const worst = dead.reduce((a, b) => ((b.deadFraction ?? 0) > (a.deadFraction ?? 0) ? b : a));
  return {
    kind: 'dying-relu',
    severity: 'warning',
    message: `Dying ReLU: ${Math.round((worst.deadFraction ?? 0) * 100)}% of the units of ${worst.name} output 0 for every training example, so they get no gradient.`,
    evidence: { layer: worst.name, deadFraction: worst.deadFraction ?? null, layers: dead.map((l) => l.name).join(', '), threshold: t.deadReluFraction },
  };
}
