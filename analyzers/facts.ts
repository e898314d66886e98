/**
 * The training IR: what every front-end (Python, tfjs, run specs) extracts from source.
 * Rules read these facts, never syntax trees, so one rule serves every framework.
 */
import type { TextEdit } from './core/findings.js';
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
  /**
   * Functional dropout whose on/off does not follow `model.eval()`: `default-on` when `training=` is
   * left out (F.dropout defaults to True), `on`/`off` when it is a literal. Unset: it follows the mode.
   */
  fixedMode?: 'default-on' | 'on' | 'off';
  /** The edit that makes a `default-on` dropout follow the module's mode (`, training=self.training`), inside a method. */
  modeEdit?: TextEdit;
  /** A convolution that filters each channel group on its own (`groups=` other than 1, depthwise): one half of a factorised convolution. */
  grouped?: boolean;
  /** Whether a linear/conv layer has a bias; undefined when not stated. */
  bias?: boolean;
  /** Indices of the layers whose output feeds this one (empty: the model input). */
  inputs: number[];
  /** Trainable parameters, when the sizes are literal. */
  params?: number;
  /** A constant kernel initializer given on the layer (Keras `kernel_initializer='zeros'`). */
  constantInit?: { kind: string; span: Span };
  /** Edits that take this layer out of the model (set for output activations). */
  removal?: TextEdit[];
  /** The written name of the activation, where renaming it alone is a safe fix (`nn.Sigmoid`, `'tanh'`). */
  nameToken?: { span: Span; style: 'class' | 'function' | 'string' };
  span: Span;
}

/** `p.require_grad = False`: the written attribute, and the edit that spells it `requires_grad`. */
export interface MisspeltRequiresGradFact {
  span: Span;
  written: string;
  fix: TextEdit;
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
  /** Unpickled whole by `torch.load`: its layers are unknown, and may include dropout or batch norm. */
  loaded?: boolean;
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
  /** An activation applied to the loss input outside any model (`F.softmax(model(x), 1)`, `torch.sigmoid(x @ W)`). */
  inputActivation?: LayerFact;
  /** The name in `nn.BCELoss(` / `F.binary_cross_entropy(`, when written as an attribute (safe to rename). */
  nameToken?: Span;
}

export interface OptimizerFact {
  id: string;
  api: string;
  framework: Framework;
  family: string;
  lr?: number;
  lrSpan?: Span;
  weightDecay?: number;
  weightDecaySpan?: Span;
  momentum?: number;
  /** Keras `clipnorm`/`clipvalue`/`global_clipnorm` given. */
  clipping: boolean;
  /** The class name in `optim.Adam(`, when written as an attribute (safe to rename). */
  nameToken?: Span;
  span: Span;
}

export type LoopEventKind =
  | 'zero_grad' | 'backward' | 'step' | 'scheduler_step' | 'forward' | 'loss' | 'train_mode' | 'eval_mode'
  | 'optimizer_created' | 'model_created'
  /** Parameters changed by hand from their gradients: `p -= lr * p.grad`, `p.data.add_(p.grad, alpha=-lr)`. */
  | 'manual_update';

/** A call inside a training loop, in execution order (helper calls inlined). */
export interface LoopEvent {
  kind: LoopEventKind;
  span: Span;
  /** Model or optimizer id when resolved. */
  target?: string;
  /** The call ran with autograd disabled (`torch.no_grad()` and the like). */
  noGrad?: boolean;
  /** The receiver as written (`optimizer` in `optimizer.step()`, `model` in `model.eval()`). */
  receiver?: string;
  /** For a step: the optimizer as written when it is not the receiver (`optimizer` in `scaler.step(optimizer)`). */
  optimizer?: string;
  /** Where a new statement would go before this call's statement, and the edit deleting that statement. */
  statement?: { line: number; indent: string; endLine: number };
  /** A backward into a distributed autograd context (`dist_autograd.backward(ctx, [loss])`), whose gradients start empty. */
  freshGradients?: boolean;
}

/** A loop whose body (following helper functions) calls `backward()`. */
export interface TrainingLoopFact {
  /** The `for`/`while` header line. */
  span: Span;
  events: LoopEvent[];
  /** False for a loop nested inside another training loop (e.g. the batch loop of an epoch loop). */
  outermost: boolean;
  /** `for epoch in range(100)`: the literal count and where it is written. */
  epochs?: { value: number; span: Span };
  /** The body breaks out early or saves checkpoints (early stopping / best-model logic). */
  stopsEarly: boolean;
  /** DataLoaders this loop iterates over (ids of {@link DataLoaderFact}). */
  loaders: string[];
  /** The first statement of the body: where `model.train()` would go. */
  bodyStart?: { line: number; indent: string };
  /** Inside a `test_*` function or a unit-test class: a gradient check, not a training run. */
  inTest?: boolean;
  /** Timed by the code around it (`perf_counter`, `cuda.synchronize`) or in a benchmark function: it measures speed. */
  timed?: boolean;
  /** The class whose method holds the loop (a trainer with several training methods). */
  owner?: string;
}

/** A model forward pass seen where the model is being evaluated. */
export interface EvalForwardFact {
  span: Span;
  modelId: string;
  /** The mode the model is known to be in at this call. */
  mode: 'train' | 'eval';
  /** The model as written at the call, and the edit that puts `<model>.eval()` before the evaluation. */
  evalFix?: TextEdit;
}

/** A loop that evaluates a model (validation/test) and never calls backward(). */
export interface EvalLoopFact {
  span: Span;
  noGrad: boolean;
  /** Edits that wrap the loop in `with torch.no_grad():`. */
  wrapFix?: TextEdit[];
}

/** A loss tensor accumulated without `.item()`/`.detach()`. */
export interface TensorAccumulationFact {
  span: Span;
  variable: string;
  /** Where the variable is written in the statement (to make it `.item()`). */
  variableSpan: Span;
}

export interface DataLoaderFact {
  id: string;
  span: Span;
  /** The variable it is assigned to ('' when none). */
  name: string;
  shuffle?: boolean;
  /** A `sampler=` or `batch_sampler=` is given (it decides the order). */
  sampler: boolean;
  batchSize?: number;
  batchSizeSpan?: Span;
  /** Iterated by a training loop. */
  usedForTraining: boolean;
  /** The edit that makes it `shuffle=True`. */
  shuffleFix?: TextEdit;
}

/** A Keras `model.fit(...)` call. */
export interface FitFact {
  span: Span;
  modelId?: string;
  epochs?: { value: number; span: Span };
  batchSize?: { value: number; span: Span };
  validation: boolean;
  /** Qualified names (or last names) of the callbacks passed. */
  callbacks: string[];
  /** Inside a `try` whose handler reports an error: code showing a mistake, not a training run. */
  demonstration?: boolean;
}

/** A Keras `model.compile(...)` call. */
export interface CompileFact {
  span: Span;
  modelId?: string;
  /** The optimizer, when built with a constructor; undefined for strings like 'adam'. */
  optimizerId?: string;
}

/** A torchvision `transforms.Compose([...])` pipeline. */
export interface TransformFact {
  span: Span;
  role: 'train' | 'eval' | 'unknown';
  toTensor: boolean;
  normalize: boolean;
  /** Random augmentations in the pipeline. */
  randomOps: { api: string; span: Span }[];
}

/** A weight set to a constant (`nn.init.zeros_(m.weight)`, `w.data.fill_(0)`). */
export interface ConstantInitFact {
  span: Span;
  kind: string;
}

/** TensorFlow.js: a tensor created in a loop (or a repeated callback) and never disposed (FC601). */
export interface TensorLeakFact {
  span: Span;
  /** The call that creates the tensor, as written (`tf.browser.fromPixels`, `model.predict`). */
  api: string;
  /** How many tensors the statement leaks per iteration (a chain `a.div(255).expandDims()` leaks its intermediates). */
  count: number;
  /** `unreferenced`: the tensor is never stored, so nothing can dispose it; `not-disposed`: its variable is never disposed. */
  reason: 'unreferenced' | 'not-disposed';
  /** The variable holding it, for `not-disposed`. */
  variable?: string;
  /** The loop or repeated callback (requestAnimationFrame, setInterval, forEach, fit callbacks) it runs in. */
  loop: Span;
  /** Edits wrapping that loop body in `tf.tidy(() => { ... })`, where that keeps the behaviour. */
  tidyFix?: TextEdit[];
}

/** TensorFlow.js: a synchronous tensor read (`dataSync`, `arraySync`) in every training step (FC602). */
export interface SyncReadFact {
  span: Span;
  /** `dataSync`, `arraySync` or `bufferSync`. */
  method: string;
  /** The training loop (or per-batch callback) the read runs in. */
  loop: Span;
  /** Replaces the read by its awaited asynchronous form, where the code runs in an async function. */
  asyncFix?: { edit: TextEdit; replacement: string };
}

/** TensorFlow.js: a `model.fit`/`fitDataset` promise that nothing awaits or handles (FC603). */
export interface UnawaitedFitFact {
  span: Span;
  /** `fit` or `fitDataset`. */
  method: string;
  /** Inside a loop: the next iteration starts another fit while this one still runs. */
  inLoop: boolean;
  /** Inserts `await ` before the call, where the call runs in an async function. */
  awaitFix?: TextEdit;
}

/**
 * What kind of learning the file does. Held-out data and its rules belong to supervised learning;
 * reinforcement learning (an environment) and adversarial training (a generator against a
 * discriminator) have no validation set in that sense.
 */
export type Paradigm = 'supervised' | 'reinforcement' | 'adversarial';

/** Everything one front-end learned about one file. */
export interface TrainingFacts {
  frameworks: Framework[];
  paradigm: Paradigm;
  models: ModelFact[];
  losses: LossFact[];
  optimizers: OptimizerFact[];
  trainingLoops: TrainingLoopFact[];
  evalForwards: EvalForwardFact[];
  evalLoops: EvalLoopFact[];
  tensorAccumulations: TensorAccumulationFact[];
  dataLoaders: DataLoaderFact[];
  fits: FitFact[];
  compiles: CompileFact[];
  /** `model.evaluate(...)` calls (Keras held-out evaluation). */
  evaluateCalls: Span[];
  /** Calls of evaluation functions defined elsewhere with a model argument (`evaluate(model, val_loader)`). */
  externalEvaluations: Span[];
  /** Some model is run under no_grad, in eval mode or in an evaluation function: held-out evaluation exists. */
  evaluationSeen: boolean;
  transforms: TransformFact[];
  constantInits: ConstantInitFact[];
  /** `clip_grad_norm_`/`clip_grad_value_` calls. */
  gradientClipping: Span[];
  /** `torch.load(...)` calls without `weights_only=True` (`explicit`: written `weights_only=False`), with the edit adding it. */
  unsafeLoads: { span: Span; explicit: boolean; fix?: TextEdit }[];
  /** Assignments to a misspelt `requires_grad` (`p.require_grad = False`), with the edit renaming it. */
  misspeltRequiresGrad: MisspeltRequiresGradFact[];
  /** Regularisation seen anywhere in the file besides model layers. */
  regularization: { kernelRegularizer: boolean };
  /** Run specs only: the held-out set the bias/variance verdict will be judged on, and the target ε. */
  heldOut?: HeldOutFact[];
  /** TensorFlow.js only (absent elsewhere): tensors leaked per loop iteration. */
  tensorLeaks?: TensorLeakFact[];
  /** TensorFlow.js only: synchronous reads in training steps. */
  syncReads?: SyncReadFact[];
  /** TensorFlow.js only: `fit()` promises nobody awaits. */
  unawaitedFits?: UnawaitedFitFact[];
}

/** The held-out set of an experiment and the ε its errors will be compared with. */
export interface HeldOutFact {
  /** Validation examples (0: none). */
  examples: number;
  epsilon: number;
  task: 'regression' | 'classification';
  /** The lowest error the data's own noise allows, when the data source knows it. */
  noiseFloor?: number;
  /** Where the validation set is set up (`validationSamples` or `validationFraction`, else the data). */
  span: Span;
  epsilonSpan: Span;
}

/** An empty fact set, for files with nothing to analyse. */
export function emptyFacts(): TrainingFacts {
  return {
    frameworks: [], paradigm: 'supervised', models: [], losses: [], optimizers: [], trainingLoops: [],
    evalForwards: [], evalLoops: [], tensorAccumulations: [], dataLoaders: [],
    fits: [], compiles: [], evaluateCalls: [], externalEvaluations: [], evaluationSeen: false, transforms: [], constantInits: [],
    gradientClipping: [], unsafeLoads: [], misspeltRequiresGrad: [], regularization: { kernelRegularizer: false },
  };
}
