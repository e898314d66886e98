/**
 * The training IR: what every front-end (Python, tfjs, run specs) extracts from source.
 * Rules read these facts, never syntax trees, so one rule serves every framework.
 */
import type { Span } from './core/span.js';

export type Framework = 'pytorch' | 'keras' | 'tfjs' | 'runspec';

export type Activation =
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'elu' | 'selu' | 'gelu' | 'silu'
  | 'softmax' | 'log_softmax' | 'softplus' | 'hard_sigmoid' | 'linear' | 'other';

/** Layers that pass their input through unchanged in shape-free terms (for chain analysis). */
export type LayerKind =
  | 'linear' | 'conv' | 'recurrent' | 'embedding' | 'norm' | 'dropout' | 'activation'
  | 'pool' | 'reshape' | 'attention' | 'merge' | 'unknown';

/** One operation of a model, in data-flow order. */
export interface LayerFact {
  kind: LayerKind;
  /** The API as the user would recognise it, e.g. `nn.Linear`, `F.softmax`, `Dense`. */
  api: string;
  activation?: Activation;
  /** `batch` norms behave differently in train and eval mode; the others do not. */
  norm?: 'batch' | 'other';
  /** Dropout probability (fraction of units dropped), when known. */
  rate?: number;
  /** Where the rate is written, for messages and fixes. */
  rateSpan?: Span;
  /** Whether a linear/conv layer has a bias; undefined when not stated. */
  bias?: boolean;
  /** Indices of the layers whose output feeds this one (empty: the model input). */
  inputs: number[];
  span: Span;
}

/** A model definition: an `nn.Sequential`, an `nn.Module` subclass, a Keras model, a tfjs model. */
export interface ModelFact {
  id: string;
  name: string;
  framework: Framework;
  span: Span;
  layers: LayerFact[];
  /** Index of the layer that produces the model output; -1 when unknown. */
  output: number;
  /** False when parts of the model could not be resolved (then rules stay quiet about its output). */
  complete: boolean;
}

export type LossFamily = 'cross-entropy' | 'binary-cross-entropy' | 'nll' | 'regression' | 'other';

/** What a loss expects its input to be. */
export type LossInput = 'logits' | 'probabilities' | 'log-probabilities' | 'values' | 'unknown';

export interface LossFact {
  id: string;
  api: string;
  framework: Framework;
  family: LossFamily;
  expects: LossInput;
  span: Span;
  /** Models whose output was seen flowing into this loss. */
  modelIds: string[];
  /** True when the loss was also seen applied to something that is not a model's raw output. */
  unlinkedInput: boolean;
}

export interface OptimizerFact {
  id: string;
  api: string;
  family: string;
  lr?: number;
  weightDecay?: number;
  momentum?: number;
  span: Span;
}

export type LoopEventKind =
  | 'zero_grad' | 'backward' | 'step' | 'scheduler_step' | 'forward' | 'loss' | 'train_mode' | 'eval_mode';

/** A call inside a training loop, in execution order (helper calls inlined). */
export interface LoopEvent {
  kind: LoopEventKind;
  span: Span;
  /** Model or optimizer id when resolved. */
  target?: string;
}

/** A loop whose body (following helper functions) calls `backward()`. */
export interface TrainingLoopFact {
  /** The `for`/`while` header line. */
  span: Span;
  events: LoopEvent[];
  /** False for a loop nested inside another training loop (e.g. the batch loop of an epoch loop). */
  outermost: boolean;
}

/** A model forward pass seen where the model is being evaluated. */
export interface EvalForwardFact {
  span: Span;
  modelId: string;
  /** The mode the model is known to be in at this call. */
  mode: 'train' | 'eval';
}

/** A loop that evaluates a model (validation/test) and never calls backward(). */
export interface EvalLoopFact {
  span: Span;
  noGrad: boolean;
}

/** A loss tensor accumulated without `.item()`/`.detach()`. */
export interface TensorAccumulationFact {
  span: Span;
  variable: string;
}

export interface DataLoaderFact {
  span: Span;
  name: string;
  shuffle?: boolean;
  batchSize?: number;
}

/** Everything one front-end learned about one file. */
export interface TrainingFacts {
  frameworks: Framework[];
  models: ModelFact[];
  losses: LossFact[];
  optimizers: OptimizerFact[];
  trainingLoops: TrainingLoopFact[];
  evalForwards: EvalForwardFact[];
  evalLoops: EvalLoopFact[];
  tensorAccumulations: TensorAccumulationFact[];
  dataLoaders: DataLoaderFact[];
}

/** An empty fact set, for files with nothing to analyse. */
export function emptyFacts(): TrainingFacts {
  return {
    frameworks: [], models: [], losses: [], optimizers: [], trainingLoops: [],
    evalForwards: [], evalLoops: [], tensorAccumulations: [], dataLoaders: [],
  };
}
