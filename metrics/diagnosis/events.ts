/**
 * The metric event format (docs/metrics-format.md): one JSON object per line, each with a `type`.
 * Written by Fitcheck's trainer and read back by the CLI, the extension and the panel; the same
 * format is what users' own runs are written in.
 */

/** Name and version written in every `start` event; readers check them. */
export const METRICS_FORMAT = 'fitcheck-metrics';
export const METRICS_FORMAT_VERSION = 1;

/** The seed's bias/variance regimes against the target error ε. */
export type Regime = 'high-bias' | 'high-variance' | 'high-bias-and-variance' | 'good-fit';

export const INSIGHT_KINDS = [
  'vanishing-gradients', 'exploding-gradients', 'non-finite', 'divergence',
  'plateau', 'oscillation', 'overfitting-onset', 'dying-relu', 'class-imbalance', 'unreachable-epsilon',
] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];

export type RunStatus = 'completed' | 'stopped' | 'failed';

/** What the model predicts; decides which error the regimes compare with ε. */
export type Task = 'regression' | 'binary' | 'multiclass';

/**
 * The error compared with ε: `normalized-mse` is MSE divided by the training targets' variance
 * (1 − R²), `error` is 1 − accuracy, `balanced-error` is 1 − the mean per-class recall, and `loss`
 * is the loss itself (a run read from another tool that logged no accuracy).
 */
export type ErrorMetric = 'normalized-mse' | 'error' | 'balanced-error' | 'loss';

/** Loss and error of one split, measured at the end of an epoch with the model in inference mode. */
export interface SplitMetrics {
  loss: number;
  /** The error the diagnosis uses (see `StartEvent.metric`). */
  error: number;
  accuracy?: number;
  balancedError?: number;
  /** Examples the split was measured on; with it a rate error gets a binomial interval. */
  n?: number;
  /** Standard error of `error` from the examples' spread (how far it could move on another sample of the same size). */
  errorStdErr?: number;
  /** Standard error of `balancedError`. */
  balancedErrorStdErr?: number;
}

/** Per-layer numbers of one epoch (means over its batches unless noted). */
export interface LayerStats {
  name: string;
  /** `dense` layers are compared for vanishing/exploding gradients; other kinds are shown only. */
  kind: string;
  /** Index of the layer in the run spec's `model.layers`, when there is a spec. */
  index?: number;
  /** L2 norm of the layer's parameter gradients (before clipping). */
  gradNorm: number;
  /** L2 norm of the layer's parameters at the end of the epoch. */
  weightNorm: number;
  /** ‖update‖ / ‖weights‖ of one optimizer step. */
  updateRatio: number;
  /** For a ReLU layer: fraction of units that output 0 for every training example. */
  deadFraction?: number;
}

export interface DataSummary {
  train: number;
  validation: number;
  features: number;
  classes?: number;
  /** Training examples per class, for classification. */
  classCounts?: number[];
  /**
   * The lowest error the data's own noise allows (label noise, or the noise variance over the
   * targets' variance for regression), when the data set knows it.
   */
  noiseFloor?: number;
}

export interface StartEvent {
  type: 'start';
  format: typeof METRICS_FORMAT;
  version: number;
  runId: string;
  /** ISO 8601 time the run started. */
  time: string;
  name?: string;
  /** The run spec with its defaults filled in, when the run came from one. */
  spec?: unknown;
  /** `tensorflow` (tfjs-node), `wasm`, `cpu`, or the user's framework. */
  backend: string;
  versions: Record<string, string>;
  task: Task;
  metric: ErrorMetric;
  /** The target error ε. */
  epsilon: number;
  /** Planned epochs. */
  epochs: number;
  batchesPerEpoch?: number;
  data?: DataSummary;
  /** Names of the layers reported in `epoch.layers`. */
  layers?: string[];
  /** Notes worth showing (a backend fallback, skipped CSV rows). */
  notes?: string[];
  /** `reinforcement` for rewards, TD or policy objectives, which get no bias/variance verdict. */
  objective?: Objective;
  /** True when the user chose ε (needed before a bare loss is compared with it). */
  epsilonSet?: boolean;
  /** `step` when the run logged steps without epochs: words and axes speak of steps. */
  axis?: Axis;
}

export interface BatchEvent {
  type: 'batch';
  /** 1-based epoch. */
  epoch: number;
  /** 1-based batch within the epoch. */
  batch: number;
  /** 1-based optimizer step over the whole run. */
  step: number;
  loss: number;
  lr?: number;
  /** This batch's gradient L2 norm per layer, in the order of `start.layers`. */
  gradNorms?: number[];
  /** Seconds since the run started. */
  wallTime: number;
}

export interface EpochEvent {
  type: 'epoch';
  /** 1-based epoch. */
  epoch: number;
  /** The step the other tool logged this epoch's values at (runs read from TensorBoard, CSV or the Python helper). */
  step?: number;
  train: SplitMetrics;
  val?: SplitMetrics;
  /** Mean training loss over the epoch's batches (dropout active, penalties excluded). */
  runningLoss?: number;
  /** L1/L2 penalty added to the loss at the end of the epoch. */
  penalty?: number;
  lr?: number;
  layers?: LayerStats[];
  /** Training examples per second in the epoch's batch loop. */
  samplesPerSec?: number;
  /** Seconds since the run started. */
  wallTime: number;
  /** The regime at this epoch, as `metrics/insights` labels it (absent while undecided or without a verdict). */
  regime?: Regime;
}

export type Severity = 'info' | 'warning' | 'error';

/** What the run optimises: supervised training gets bias/variance verdicts, reinforcement learning does not. */
export type Objective = 'supervised' | 'reinforcement';

/** What one point of the run is: an epoch, or a logged step of a run without epochs. */
export type Axis = 'epoch' | 'step';

/**
 * How far a diagnosis got: `decided` names a regime; `undecided` when the numbers are within
 * their noise of ε; `no-verdict` when the run logged nothing an ε can be compared with;
 * `failed` when training broke (non-finite values, divergence, an error).
 */
export type VerdictState = 'decided' | 'undecided' | 'no-verdict' | 'failed';

export interface InsightEvent {
  type: 'insight';
  kind: InsightKind;
  /** The epoch the insight was detected at. */
  epoch: number;
  severity: Severity;
  message: string;
  /** The numbers behind the insight. */
  evidence: Record<string, number | string | null>;
  remedies: string[];
  /** For `overfitting-onset`: the epoch with the lowest validation loss. */
  bestEpoch?: number;
  /**
   * True when this event updates the open insight of the same kind (new numbers, same event)
   * rather than starting a new one: readers replace the earlier event of that kind.
   */
  update?: boolean;
  /** First epoch of the open insight this event describes. */
  since?: number;
}

export interface Diagnosis {
  state: VerdictState;
  /** The regime when `state` is `decided`, else null. */
  regime: Regime | null;
  /** A few words: "High variance", "Not yet decided", "No bias/variance verdict", "Training failed". */
  headline: string;
  /** One line of evidence in plain words: the numbers, their noise, or what is missing. */
  evidence: string;
  /** The epoch the diagnosis describes (the restored best epoch, or the last one). */
  epoch: number;
  /** The first epoch of the current regime (or state). */
  since: number;
  /** `step` when the run's points are logged steps rather than epochs. */
  axis?: Axis;
  /** On a step axis: the logged step of the described point (`epoch` is then its index). */
  step?: number;
  metric: ErrorMetric;
  epsilon: number;
  trainError: number;
  valError: number | null;
  /** Validation minus training error. */
  gap: number | null;
  /** Half-width of the 95% interval of the gap (sampling noise), when it could be estimated. */
  gapMargin?: number | null;
  /** For imbalanced classes judged by plain error: the balanced error of the validation (else training) split. */
  balancedError?: number;
  /** One sentence with the numbers. */
  summary: string;
  remedies: string[];
}

export interface EndEvent {
  type: 'end';
  status: RunStatus;
  /** Epochs completed. */
  epochs: number;
  wallTime: number;
  /** Why the run ended before its planned epochs (early stopping, a stop request, an error). */
  reason?: string;
  /** For a failed run: what went wrong. */
  error?: string;
  /** The best epoch by the early-stopping monitor (or validation loss). */
  bestEpoch?: number;
  /** True when the weights of `bestEpoch` were restored at the end. */
  restoredBest?: boolean;
  diagnosis: Diagnosis | null;
  /** Kinds of the insights raised during the run. */
  insights?: InsightKind[];
}

/**
 * Named numbers logged at a step, as the Python helper writes them (`log(step, **metrics)`); readers
 * map the names to losses, accuracies, learning rate and gradient norms (metrics/watch/tag-roles.ts).
 */
export interface ScalarsEvent {
  type: 'scalars';
  step: number;
  /** Seconds since the run started. */
  wallTime?: number;
  values: Record<string, number>;
}

export type RunEvent = StartEvent | BatchEvent | EpochEvent | InsightEvent | EndEvent | ScalarsEvent;
