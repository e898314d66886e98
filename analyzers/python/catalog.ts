/**
 * What Fitcheck knows about PyTorch and Keras APIs, keyed by qualified name.
 * Data only: the front-end looks names up here after resolving imports.
 */
import { ownEntry } from '../core/own-entry.js';
import type { Activation, LayerKind, LossFamily, LossInput } from '../facts.js';

export interface LayerSpec {
  kind: LayerKind;
  activation?: Activation;
  norm?: 'batch' | 'other';
  /** Dropout probability argument: position and keyword, and the default. */
  rate?: { index: number; keyword: string; default: number };
  /** Functional dropout's `training` argument: position, keyword and default (F.dropout defaults to on). */
  training?: { index: number; keyword: string; default: boolean };
  /** Keras layers that take a fused `activation=` keyword. */
  fusedActivation?: boolean;
  /** Keras `Activation('relu')`: the activation is the first argument. */
  activationFromArg?: boolean;
  /** A depthwise convolution: grouped by construction. */
  depthwise?: boolean;
}

const TORCH_ACTIVATIONS: Record<string, Activation> = {
  Sigmoid: 'sigmoid', Tanh: 'tanh', ReLU: 'relu', ReLU6: 'relu', LeakyReLU: 'leaky_relu', PReLU: 'leaky_relu',
  RReLU: 'leaky_relu', ELU: 'elu', CELU: 'elu', SELU: 'selu', GELU: 'gelu', SiLU: 'silu', Mish: 'silu',
  Softplus: 'softplus', Softsign: 'other', Hardtanh: 'other', Hardsigmoid: 'hard_sigmoid', Hardswish: 'silu',
  Tanhshrink: 'other', LogSigmoid: 'other', Softmax: 'softmax', LogSoftmax: 'log_softmax', Softmin: 'other',
  Softmax2d: 'softmax', Threshold: 'relu', GLU: 'other',
};

const TORCH_LAYERS: Record<string, LayerSpec> = {
  Linear: { kind: 'linear' }, LazyLinear: { kind: 'linear' }, Bilinear: { kind: 'linear' },
  Conv1d: { kind: 'conv' }, Conv2d: { kind: 'conv' }, Conv3d: { kind: 'conv' },
  LazyConv1d: { kind: 'conv' }, LazyConv2d: { kind: 'conv' }, LazyConv3d: { kind: 'conv' },
  ConvTranspose1d: { kind: 'conv' }, ConvTranspose2d: { kind: 'conv' }, ConvTranspose3d: { kind: 'conv' },
  RNN: { kind: 'recurrent' }, LSTM: { kind: 'recurrent' }, GRU: { kind: 'recurrent' },
  RNNCell: { kind: 'recurrent' }, LSTMCell: { kind: 'recurrent' }, GRUCell: { kind: 'recurrent' },
  Embedding: { kind: 'embedding' }, EmbeddingBag: { kind: 'embedding' },
  BatchNorm1d: { kind: 'norm', norm: 'batch' }, BatchNorm2d: { kind: 'norm', norm: 'batch' },
  BatchNorm3d: { kind: 'norm', norm: 'batch' }, SyncBatchNorm: { kind: 'norm', norm: 'batch' },
  LazyBatchNorm1d: { kind: 'norm', norm: 'batch' }, LazyBatchNorm2d: { kind: 'norm', norm: 'batch' },
  LayerNorm: { kind: 'norm', norm: 'other' }, GroupNorm: { kind: 'norm', norm: 'other' },
  InstanceNorm1d: { kind: 'norm', norm: 'other' }, InstanceNorm2d: { kind: 'norm', norm: 'other' },
  InstanceNorm3d: { kind: 'norm', norm: 'other' }, LocalResponseNorm: { kind: 'norm', norm: 'other' },
  RMSNorm: { kind: 'norm', norm: 'other' },
  Dropout: { kind: 'dropout', rate: { index: 0, keyword: 'p', default: 0.5 } },
  Dropout1d: { kind: 'dropout', rate: { index: 0, keyword: 'p', default: 0.5 } },
  Dropout2d: { kind: 'dropout', rate: { index: 0, keyword: 'p', default: 0.5 } },
  Dropout3d: { kind: 'dropout', rate: { index: 0, keyword: 'p', default: 0.5 } },
  AlphaDropout: { kind: 'dropout', rate: { index: 0, keyword: 'p', default: 0.5 } },
  FeatureAlphaDropout: { kind: 'dropout', rate: { index: 0, keyword: 'p', default: 0.5 } },
  Flatten: { kind: 'reshape' }, Unflatten: { kind: 'reshape' }, Identity: { kind: 'reshape' },
  MultiheadAttention: { kind: 'attention' }, Transformer: { kind: 'attention' },
  TransformerEncoder: { kind: 'attention' }, TransformerDecoder: { kind: 'attention' },
  TransformerEncoderLayer: { kind: 'attention' }, TransformerDecoderLayer: { kind: 'attention' },
};
for (const [name, activation] of Object.entries(TORCH_ACTIVATIONS)) TORCH_LAYERS[name] = { kind: 'activation', activation };
for (const dims of ['1d', '2d', '3d']) {
  for (const pool of ['MaxPool', 'AvgPool', 'AdaptiveAvgPool', 'AdaptiveMaxPool', 'LPPool', 'FractionalMaxPool']) {
    TORCH_LAYERS[`${pool}${dims}`] = { kind: 'pool' };
  }
}

/** Functional ops: `torch.nn.functional.*` and `torch.*`. */
const TORCH_FUNCTIONAL: Record<string, LayerSpec> = {};
const FUNCTIONAL_ACTIVATIONS: Record<string, Activation> = {
  sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', relu6: 'relu', leaky_relu: 'leaky_relu', elu: 'elu',
  selu: 'selu', celu: 'elu', gelu: 'gelu', silu: 'silu', mish: 'silu', softplus: 'softplus',
  softmax: 'softmax', log_softmax: 'log_softmax', hardtanh: 'other', hardsigmoid: 'hard_sigmoid',
  hardswish: 'silu', logsigmoid: 'other', softsign: 'other', glu: 'other', softmin: 'other',
};
for (const [name, activation] of Object.entries(FUNCTIONAL_ACTIVATIONS)) {
  TORCH_FUNCTIONAL[`torch.nn.functional.${name}`] = { kind: 'activation', activation };
}
for (const name of ['sigmoid', 'tanh', 'relu', 'softmax', 'log_softmax', 'selu', 'celu']) {
  TORCH_FUNCTIONAL[`torch.${name}`] = { kind: 'activation', activation: FUNCTIONAL_ACTIVATIONS[name]! };
}
TORCH_FUNCTIONAL['torch.special.expit'] = { kind: 'activation', activation: 'sigmoid' };
// `training` defaults to True for the plain dropouts (on even after model.eval()), to False for the alpha ones.
for (const name of ['dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout']) {
  const training = { index: 2, keyword: 'training', default: !name.includes('alpha') };
  TORCH_FUNCTIONAL[`torch.nn.functional.${name}`] = { kind: 'dropout', rate: { index: 1, keyword: 'p', default: 0.5 }, training };
}
TORCH_FUNCTIONAL['torch.dropout'] = { kind: 'dropout', rate: { index: 1, keyword: 'p', default: 0.5 } };
for (const name of ['max_pool1d', 'max_pool2d', 'max_pool3d', 'avg_pool1d', 'avg_pool2d', 'avg_pool3d',
  'adaptive_avg_pool1d', 'adaptive_avg_pool2d', 'adaptive_max_pool2d', 'adaptive_avg_pool3d']) {
  TORCH_FUNCTIONAL[`torch.nn.functional.${name}`] = { kind: 'pool' };
}
TORCH_FUNCTIONAL['torch.nn.functional.linear'] = { kind: 'linear' };
TORCH_FUNCTIONAL['torch.nn.functional.conv2d'] = { kind: 'conv' };
TORCH_FUNCTIONAL['torch.nn.functional.batch_norm'] = { kind: 'norm', norm: 'batch' };
TORCH_FUNCTIONAL['torch.nn.functional.layer_norm'] = { kind: 'norm', norm: 'other' };
for (const name of ['flatten', 'reshape', 'squeeze', 'unsqueeze', 'transpose', 'permute']) {
  TORCH_FUNCTIONAL[`torch.${name}`] = { kind: 'reshape' };
}
for (const name of ['cat', 'stack', 'add', 'mul', 'matmul', 'bmm', 'einsum']) TORCH_FUNCTIONAL[`torch.${name}`] = { kind: 'merge' };

/** Methods called on tensors inside `forward` (`x.softmax(dim=1)`, `x.view(...)`). */
export const TENSOR_METHODS: Record<string, LayerSpec> = {
  sigmoid: { kind: 'activation', activation: 'sigmoid' }, tanh: { kind: 'activation', activation: 'tanh' },
  relu: { kind: 'activation', activation: 'relu' }, softmax: { kind: 'activation', activation: 'softmax' },
  log_softmax: { kind: 'activation', activation: 'log_softmax' },
  view: { kind: 'reshape' }, reshape: { kind: 'reshape' }, flatten: { kind: 'reshape' }, squeeze: { kind: 'reshape' },
  unsqueeze: { kind: 'reshape' }, permute: { kind: 'reshape' }, transpose: { kind: 'reshape' },
  contiguous: { kind: 'reshape' }, view_as: { kind: 'reshape' }, float: { kind: 'reshape' }, to: { kind: 'reshape' },
  mean: { kind: 'pool' }, sum: { kind: 'pool' }, max: { kind: 'pool' },
};

const KERAS_ACTIVATION_NAMES: Record<string, Activation> = {
  sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', relu6: 'relu', leaky_relu: 'leaky_relu', elu: 'elu',
  selu: 'selu', gelu: 'gelu', swish: 'silu', silu: 'silu', softplus: 'softplus', softmax: 'softmax',
  log_softmax: 'log_softmax', linear: 'linear', hard_sigmoid: 'hard_sigmoid', softsign: 'other',
  exponential: 'other', mish: 'silu',
};

/** A Keras activation given as a string or as a reference like `keras.activations.relu` / `tf.nn.relu`. */
export function kerasActivation(nameOrQualified: string): Activation {
  const last = nameOrQualified.split('.').pop() ?? nameOrQualified;
  return ownEntry(KERAS_ACTIVATION_NAMES, last.toLowerCase()) ?? 'other';
}

const KERAS_LAYERS: Record<string, LayerSpec> = {
  Dense: { kind: 'linear', fusedActivation: true }, EinsumDense: { kind: 'linear', fusedActivation: true },
  Conv1D: { kind: 'conv', fusedActivation: true }, Conv2D: { kind: 'conv', fusedActivation: true },
  Conv3D: { kind: 'conv', fusedActivation: true }, Conv2DTranspose: { kind: 'conv', fusedActivation: true },
  Conv1DTranspose: { kind: 'conv', fusedActivation: true }, Conv3DTranspose: { kind: 'conv', fusedActivation: true },
  SeparableConv2D: { kind: 'conv', fusedActivation: true }, DepthwiseConv2D: { kind: 'conv', fusedActivation: true, depthwise: true },
  SimpleRNN: { kind: 'recurrent' }, LSTM: { kind: 'recurrent' }, GRU: { kind: 'recurrent' },
  Bidirectional: { kind: 'recurrent' }, Embedding: { kind: 'embedding' },
  BatchNormalization: { kind: 'norm', norm: 'batch' }, LayerNormalization: { kind: 'norm', norm: 'other' },
  GroupNormalization: { kind: 'norm', norm: 'other' }, UnitNormalization: { kind: 'norm', norm: 'other' },
  Normalization: { kind: 'norm', norm: 'other' }, Rescaling: { kind: 'reshape' },
  Dropout: { kind: 'dropout', rate: { index: 0, keyword: 'rate', default: NaN } },
  SpatialDropout1D: { kind: 'dropout', rate: { index: 0, keyword: 'rate', default: NaN } },
  SpatialDropout2D: { kind: 'dropout', rate: { index: 0, keyword: 'rate', default: NaN } },
  SpatialDropout3D: { kind: 'dropout', rate: { index: 0, keyword: 'rate', default: NaN } },
  AlphaDropout: { kind: 'dropout', rate: { index: 0, keyword: 'rate', default: NaN } },
  GaussianDropout: { kind: 'dropout', rate: { index: 0, keyword: 'rate', default: NaN } },
  Activation: { kind: 'activation', activationFromArg: true },
  ReLU: { kind: 'activation', activation: 'relu' }, LeakyReLU: { kind: 'activation', activation: 'leaky_relu' },
  PReLU: { kind: 'activation', activation: 'leaky_relu' }, ELU: { kind: 'activation', activation: 'elu' },
  Softmax: { kind: 'activation', activation: 'softmax' },
  Flatten: { kind: 'reshape' }, Reshape: { kind: 'reshape' }, Permute: { kind: 'reshape' },
  RepeatVector: { kind: 'reshape' }, InputLayer: { kind: 'reshape' },
  MultiHeadAttention: { kind: 'attention' }, Attention: { kind: 'attention' },
  Add: { kind: 'merge' }, Concatenate: { kind: 'merge' }, Multiply: { kind: 'merge' }, Average: { kind: 'merge' },
};
for (const dims of ['1D', '2D', '3D']) {
  for (const pool of ['MaxPooling', 'AveragePooling', 'GlobalAveragePooling', 'GlobalMaxPooling', 'MaxPool', 'AvgPool', 'GlobalAvgPool', 'GlobalMaxPool']) {
    KERAS_LAYERS[`${pool}${dims}`] = { kind: 'pool' };
  }
}

/** A layer constructor (`torch.nn.Linear`, `keras.layers.Dense`). */
export function layerSpec(qualified: string): LayerSpec | undefined {
  if (qualified.startsWith('torch.nn.')) return ownEntry(TORCH_LAYERS, qualified.slice('torch.nn.'.length));
  if (qualified.startsWith('keras.layers.')) return ownEntry(KERAS_LAYERS, qualified.slice('keras.layers.'.length));
  return undefined;
}

/** A functional op (`torch.nn.functional.softmax`, `torch.sigmoid`). */
export function functionalSpec(qualified: string): LayerSpec | undefined {
  return ownEntry(TORCH_FUNCTIONAL, qualified);
}

export interface LossSpec {
  family: LossFamily;
  expects: LossInput;
  /** Keras losses switch expectations with `from_logits`. */
  fromLogitsKeyword?: boolean;
}

const TORCH_LOSSES: Record<string, LossSpec> = {
  'torch.nn.CrossEntropyLoss': { family: 'cross-entropy', expects: 'logits' },
  'torch.nn.functional.cross_entropy': { family: 'cross-entropy', expects: 'logits' },
  'torch.nn.BCELoss': { family: 'binary-cross-entropy', expects: 'probabilities' },
  'torch.nn.functional.binary_cross_entropy': { family: 'binary-cross-entropy', expects: 'probabilities' },
  'torch.nn.BCEWithLogitsLoss': { family: 'binary-cross-entropy', expects: 'logits' },
  'torch.nn.functional.binary_cross_entropy_with_logits': { family: 'binary-cross-entropy', expects: 'logits' },
  'torch.nn.NLLLoss': { family: 'nll', expects: 'log-probabilities' },
  'torch.nn.functional.nll_loss': { family: 'nll', expects: 'log-probabilities' },
  'torch.nn.KLDivLoss': { family: 'other', expects: 'log-probabilities' },
  'torch.nn.MultiLabelSoftMarginLoss': { family: 'other', expects: 'logits' },
};
for (const name of ['MSELoss', 'L1Loss', 'SmoothL1Loss', 'HuberLoss']) {
  TORCH_LOSSES[`torch.nn.${name}`] = { family: 'regression', expects: 'values' };
}
for (const name of ['mse_loss', 'l1_loss', 'smooth_l1_loss', 'huber_loss']) {
  TORCH_LOSSES[`torch.nn.functional.${name}`] = { family: 'regression', expects: 'values' };
}
for (const name of ['CTCLoss', 'MarginRankingLoss', 'HingeEmbeddingLoss', 'CosineEmbeddingLoss', 'TripletMarginLoss', 'PoissonNLLLoss', 'GaussianNLLLoss', 'MultiMarginLoss', 'SoftMarginLoss']) {
  TORCH_LOSSES[`torch.nn.${name}`] = { family: 'other', expects: 'unknown' };
}

const KERAS_LOSS_NAMES: Record<string, LossSpec> = {
  categorical_crossentropy: { family: 'cross-entropy', expects: 'probabilities', fromLogitsKeyword: true },
  sparse_categorical_crossentropy: { family: 'cross-entropy', expects: 'probabilities', fromLogitsKeyword: true },
  binary_crossentropy: { family: 'binary-cross-entropy', expects: 'probabilities', fromLogitsKeyword: true },
  binary_focal_crossentropy: { family: 'binary-cross-entropy', expects: 'probabilities', fromLogitsKeyword: true },
  categoricalcrossentropy: { family: 'cross-entropy', expects: 'probabilities', fromLogitsKeyword: true },
  sparsecategoricalcrossentropy: { family: 'cross-entropy', expects: 'probabilities', fromLogitsKeyword: true },
  binarycrossentropy: { family: 'binary-cross-entropy', expects: 'probabilities', fromLogitsKeyword: true },
  binaryfocalcrossentropy: { family: 'binary-cross-entropy', expects: 'probabilities', fromLogitsKeyword: true },
  mse: { family: 'regression', expects: 'values' }, mae: { family: 'regression', expects: 'values' },
  mean_squared_error: { family: 'regression', expects: 'values' },
  mean_absolute_error: { family: 'regression', expects: 'values' },
  meansquarederror: { family: 'regression', expects: 'values' },
  meanabsoluteerror: { family: 'regression', expects: 'values' },
  huber: { family: 'regression', expects: 'values' }, log_cosh: { family: 'regression', expects: 'values' },
  kl_divergence: { family: 'other', expects: 'probabilities' }, hinge: { family: 'other', expects: 'unknown' },
};

/** A PyTorch loss class or function. */
export function torchLossSpec(qualified: string): LossSpec | undefined {
  return ownEntry(TORCH_LOSSES, qualified);
}

/** A Keras loss given as `'sparse_categorical_crossentropy'` or `keras.losses.SparseCategoricalCrossentropy`. */
export function kerasLossSpec(nameOrQualified: string): LossSpec | undefined {
  if (nameOrQualified.includes('.') && !nameOrQualified.startsWith('keras.losses.') && !nameOrQualified.startsWith('keras.metrics.')) {
    return undefined;
  }
  const last = (nameOrQualified.split('.').pop() ?? '').toLowerCase();
  return ownEntry(KERAS_LOSS_NAMES, last);
}

export interface OptimizerSpec {
  family: string;
}

const OPTIMIZER_FAMILIES: Record<string, string> = {
  SGD: 'sgd', Adam: 'adam', AdamW: 'adamw', Adamax: 'adam', NAdam: 'adam', Nadam: 'adam', RAdam: 'adam',
  Adagrad: 'adagrad', Adadelta: 'adadelta', RMSprop: 'rmsprop', SparseAdam: 'adam', LBFGS: 'lbfgs',
  ASGD: 'sgd', Rprop: 'rprop', Lion: 'lion', Ftrl: 'ftrl', Adafactor: 'adafactor',
};

/** `torch.optim.Adam`, `keras.optimizers.Adam` → its family. */
export function optimizerSpec(qualified: string): OptimizerSpec | undefined {
  const match = /^(?:torch\.optim|keras\.optimizers(?:\.legacy)?)\.([A-Za-z]+)$/.exec(qualified);
  const family = match ? ownEntry(OPTIMIZER_FAMILIES, match[1]!) : undefined;
  return family ? { family } : undefined;
}

/** `torch.optim.lr_scheduler.*` and Keras schedules. */
export function isScheduler(qualified: string): boolean {
  return qualified.startsWith('torch.optim.lr_scheduler.') || qualified.startsWith('keras.optimizers.schedules.');
}

export const TORCH_SEQUENTIAL = 'torch.nn.Sequential';
export const TORCH_MODULE_LIST = 'torch.nn.ModuleList';
export const DATALOADER = 'torch.utils.data.DataLoader';

/** Base classes that make a class a trainable model. */
export function isModuleBase(qualified: string): boolean {
  return qualified === 'torch.nn.Module' || qualified === 'pytorch_lightning.LightningModule' ||
    qualified === 'lightning.LightningModule' || qualified === 'lightning.pytorch.LightningModule' ||
    qualified === 'keras.Model' || qualified === 'keras.models.Model';
}

export function isKerasSequential(qualified: string): boolean {
  return qualified === 'keras.Sequential' || qualified === 'keras.models.Sequential';
}

export function isKerasFunctionalModel(qualified: string): boolean {
  return qualified === 'keras.Model' || qualified === 'keras.models.Model';
}

export function isKerasInput(qualified: string): boolean {
  return qualified === 'keras.Input' || qualified === 'keras.layers.Input';
}

/** Every name above, for resolving `from torch.nn import *`. */
export function isKnownName(qualified: string): boolean {
  return layerSpec(qualified) !== undefined || functionalSpec(qualified) !== undefined ||
    torchLossSpec(qualified) !== undefined || optimizerSpec(qualified) !== undefined ||
    qualified === TORCH_SEQUENTIAL || qualified === TORCH_MODULE_LIST || qualified === DATALOADER ||
    isModuleBase(qualified) || isKerasSequential(qualified) || isKerasInput(qualified) ||
    (qualified.startsWith('keras.losses.') && kerasLossSpec(qualified) !== undefined);
}

/** Callee names worth resolving as losses, optimizers or data loaders (a cheap filter before import resolution). */
export function isObjectiveName(name: string): boolean {
  // Runs for every call of a file: sets, not lookups of a missing key through an object's prototypes.
  return OBJECTIVE_NAMES.has(name) || KERAS_LOSS_KEYS.has(name.toLowerCase());
}

const OBJECTIVE_NAMES = new Set([
  ...Object.keys(TORCH_LOSSES).map((q) => q.slice(q.lastIndexOf('.') + 1)), ...Object.keys(OPTIMIZER_FAMILIES), 'DataLoader',
]);
const KERAS_LOSS_KEYS = new Set(Object.keys(KERAS_LOSS_NAMES));
