/**
 * Every number the diagnosis compares against, with its default and where it comes from
 * (docs/metrics-format.md explains each). Run specs override them under `diagnosis.thresholds`.
 */
export interface Thresholds {
  /** z of the interval a comparison with ε must clear (1.96: 95%); within it the call is "not yet decided". */
  z: number;
  /** z at which one epoch's call is so clear it settles an undecided label without confirming epochs. */
  clearZ: number;
  /** Epochs a new call must hold before the label changes (1 = no delay). */
  confirmEpochs: number;
  /** Both bias and variance: training error above ε and validation error above it by more than this × ε. */
  varianceGapFactor: number;
  /** Vanishing: first-layer / last-layer gradient norm below this ... */
  vanishingRatio: number;
  /** ... and the first layer's gradient norm below this. */
  vanishingFirstNorm: number;
  /** Exploding: first-layer / last-layer gradient norm above this. */
  explodingRatio: number;
  /** Exploding: a training loss at or above this. */
  explodingLoss: number;
  /** Epochs a gradient condition must hold before it is reported. */
  gradientEpochs: number;
  /** Divergence: training loss above this × its best so far ... */
  divergenceFactor: number;
  /** ... for this many consecutive epochs. */
  divergenceEpochs: number;
  /** Plateau: the best training loss improved by less than this fraction ... */
  plateauMinImprovement: number;
  /** ... over this many epochs (while training error is above ε). */
  plateauWindow: number;
  /** Oscillation: over this many epochs ... */
  oscillationWindow: number;
  /** ... at least this fraction of epoch-to-epoch changes of the training loss flip sign ... */
  oscillationFlipFraction: number;
  /** ... with a median change of at least this fraction of the loss ... */
  oscillationAmplitude: number;
  /** ... while the second half of the window is less than this fraction below the first. */
  oscillationMaxProgress: number;
  /** Overfitting onset: validation loss above its best by this fraction (Prechelt's generalization loss) ... */
  overfitGeneralizationLoss: number;
  /** ... for this many consecutive epochs, while the training loss keeps falling. */
  overfitPatience: number;
  /** Dying ReLU: fraction of a ReLU layer's units that never activate. */
  deadReluFraction: number;
  /** Epochs the dead fraction must hold before it is reported. */
  deadReluEpochs: number;
  /** Dense layers a model needs before first/last gradient ratios are judged (the seed: unstable gradients come from depth). */
  minDepth: number;
  /** Epochs an insight must stay clear before the same kind is reported again. */
  rearmEpochs: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  z: 1.96,
  clearZ: 3.5,
  confirmEpochs: 3,
  varianceGapFactor: 1,
  vanishingRatio: 1e-3,
  vanishingFirstNorm: 1e-3,
  explodingRatio: 70,
  explodingLoss: 1e5,
  gradientEpochs: 2,
  divergenceFactor: 2,
  divergenceEpochs: 2,
  plateauMinImprovement: 0.01,
  plateauWindow: 10,
  oscillationWindow: 8,
  oscillationFlipFraction: 0.6,
  oscillationAmplitude: 0.25,
  oscillationMaxProgress: 0.1,
  overfitGeneralizationLoss: 0.05,
  overfitPatience: 5,
  deadReluFraction: 0.5,
  deadReluEpochs: 2,
  minDepth: 3,
  rearmEpochs: 10,
});

/** The defaults with the given overrides (unknown or non-numeric keys are ignored). */
export function resolveThresholds(overrides: Partial<Record<keyof Thresholds, unknown>> = {}): Thresholds {
  const out: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as (keyof Thresholds)[]) {
    const value = overrides[key];
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
  }
  return out;
}
