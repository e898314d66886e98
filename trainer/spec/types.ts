/** A run spec (`*.fitrun.json`) after validation, with every default filled in (schemas/fitrun.schema.json). */
import type { InsightKind, Regime, VerdictState } from '../../metrics/diagnosis/events.js';
import type { Thresholds } from '../../metrics/diagnosis/thresholds.js';

export type ActivationName = 'relu' | 'leaky-relu' | 'elu' | 'selu' | 'sigmoid' | 'tanh' | 'linear' | 'softmax';
export type InitializerName =
  | 'glorot-uniform' | 'glorot-normal' | 'he-uniform' | 'he-normal' | 'lecun-uniform' | 'lecun-normal'
  | 'random-normal' | 'zeros' | 'ones';

interface CommonData {
  validationFraction: number;
  /** `ordered`: the last `validationFraction` of the rows validate (time order), not a random draw. */
  split?: 'random' | 'ordered';
  /** Defaults to `training.seed`. */
  seed?: number;
  normalize: boolean;
}

export interface HoursVsScoreData extends CommonData {
  kind: 'hours-vs-score';
  samples: number;
  /** A separate validation set of this many examples from the same generator (then `samples` all train). */
  validationSamples?: number;
  noise: number;
  polynomialDegree: number;
}

export interface TwoMoonsData extends CommonData {
  kind: 'two-moons';
  samples: number;
  /** A separate validation set of this many examples from the same generator (then `samples` all train). */
  validationSamples?: number;
  noise: number;
  classRatio?: number[];
  /** Fraction of labels flipped to another class (0 = none). */
  labelNoise?: number;
}

export interface SpiralData extends CommonData {
  kind: 'spiral';
  samples: number;
  /** A separate validation set of this many examples from the same generator (then `samples` all train). */
  validationSamples?: number;
  classes: number;
  noise: number;
  classRatio?: number[];
  /** Fraction of labels flipped to another class (0 = none). */
  labelNoise?: number;
}

export interface CsvData extends CommonData {
  kind: 'csv';
  path: string;
  target: string | number;
  features?: (string | number)[];
  header: boolean;
  delimiter: string;
  onBadRow: 'error' | 'skip';
  polynomialDegree: number;
}

export type DataSpec = HoursVsScoreData | TwoMoonsData | SpiralData | CsvData;

export interface DenseLayerSpec {
  type: 'dense';
  units: number;
  activation: ActivationName;
  alpha: number;
  useBias: boolean;
  kernelInitializer: InitializerName;
  initStddev: number;
  l1: number;
  l2: number;
}

export interface DropoutLayerSpec {
  type: 'dropout';
  rate: number;
}

export interface BatchNormLayerSpec {
  type: 'batch-norm';
  momentum: number;
  epsilon: number;
}

export interface ActivationLayerSpec {
  type: 'activation';
  activation: ActivationName;
  alpha: number;
}

export type LayerSpec = DenseLayerSpec | DropoutLayerSpec | BatchNormLayerSpec | ActivationLayerSpec;

export type LossName = 'mse' | 'mae' | 'binary-crossentropy' | 'categorical-crossentropy';

export interface LossSpec {
  type: LossName;
  fromLogits: boolean;
  classWeights?: number[] | 'balanced';
}

export type ScheduleSpec =
  | { type: 'step'; stepSize: number; gamma: number }
  | { type: 'exponential'; gamma: number }
  | { type: 'cosine'; minLearningRate: number; warmupEpochs: number }
  | { type: 'warmup'; warmupEpochs: number }
  | { type: 'reduce-on-plateau'; factor: number; patience: number; minDelta: number; minLearningRate: number };

interface CommonOptimizer {
  learningRate: number;
  weightDecay: number;
  schedule?: ScheduleSpec;
}

export type OptimizerSpec =
  | (CommonOptimizer & { type: 'sgd'; momentum: number; nesterov: boolean })
  | (CommonOptimizer & { type: 'adagrad'; epsilon: number })
  | (CommonOptimizer & { type: 'rmsprop'; rho: number; momentum: number; epsilon: number })
  | (CommonOptimizer & { type: 'adam'; beta1: number; beta2: number; epsilon: number });

export type Monitor = 'val_loss' | 'val_error' | 'loss' | 'error';

export interface TrainingSpec {
  epochs: number;
  batchSize: number | 'full';
  shuffle: boolean;
  seed: number;
  earlyStopping?: { monitor: Monitor; patience: number; minDelta: number; restoreBest: boolean };
  gradientClip?: { norm?: number; value?: number };
  logEveryBatches: number;
}

export interface DiagnosisSpec {
  epsilon: number;
  metric: 'auto' | 'normalized-mse' | 'error' | 'balanced-error';
  thresholds?: Partial<Thresholds>;
}

export interface ExpectSpec {
  regime?: Regime;
  state?: VerdictState;
  insights?: InsightKind[];
  absentInsights?: InsightKind[];
}

export interface RunSpec {
  $schema?: string;
  name?: string;
  description?: string;
  data: DataSpec;
  model: { layers: LayerSpec[] };
  loss: LossSpec;
  optimizer: OptimizerSpec;
  training: TrainingSpec;
  diagnosis: DiagnosisSpec;
  expect?: ExpectSpec;
}

/** The task a spec trains for, decided by its loss. */
export function taskOf(spec: Pick<RunSpec, 'loss' | 'data'>): 'regression' | 'classification' {
  return spec.loss.type === 'mse' || spec.loss.type === 'mae' ? 'regression' : 'classification';
}
