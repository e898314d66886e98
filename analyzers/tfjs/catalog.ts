/**
 * What Fitcheck knows about the TensorFlow.js API, keyed by the path below the `tf` namespace
 * (`layers.dense`, `train.adam`, `losses.softmaxCrossEntropy`). Data only.
 */
import { ownEntry } from '../core/own-entry.js';
import type { Activation, LayerKind, LossFamily, LossInput } from '../facts.js';

/** Modules whose import makes a file a TensorFlow.js file. */
export const TFJS_MODULES = new Set([
  '@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-core',
]);

/** Cheap text test run before any parsing: the file names one of {@link TFJS_MODULES} in a string. */
export const TFJS_HINT = /['"`]@tensorflow\/tfjs(?:-node(?:-gpu)?|-layers|-core)?['"`]/;

export interface LayerSpec {
  kind: LayerKind;
  activation?: Activation;
  norm?: 'batch' | 'other';
  /** Takes a fused `activation` option (dense, conv). */
  fusedActivation?: boolean;
  /** `tf.layers.activation({activation})`. */
  activationFromOption?: boolean;
  /** Has a `rate` option (dropout). */
  rate?: boolean;
  /** A depthwise convolution: grouped by construction. */
  depthwise?: boolean;
}

const LAYERS: Record<string, LayerSpec> = {
  dense: { kind: 'linear', fusedActivation: true },
  conv1d: { kind: 'conv', fusedActivation: true }, conv2d: { kind: 'conv', fusedActivation: true },
  conv3d: { kind: 'conv', fusedActivation: true }, conv2dTranspose: { kind: 'conv', fusedActivation: true },
  conv3dTranspose: { kind: 'conv', fusedActivation: true }, separableConv2d: { kind: 'conv', fusedActivation: true },
  depthwiseConv2d: { kind: 'conv', fusedActivation: true, depthwise: true }, locallyConnected2d: { kind: 'conv', fusedActivation: true },
  simpleRNN: { kind: 'recurrent' }, lstm: { kind: 'recurrent' }, gru: { kind: 'recurrent' }, rnn: { kind: 'recurrent' },
  bidirectional: { kind: 'recurrent' }, convLstm2d: { kind: 'recurrent' }, stackedRNNCells: { kind: 'recurrent' },
  embedding: { kind: 'embedding' },
  batchNormalization: { kind: 'norm', norm: 'batch' }, layerNormalization: { kind: 'norm', norm: 'other' },
  dropout: { kind: 'dropout', rate: true }, spatialDropout1d: { kind: 'dropout', rate: true },
  alphaDropout: { kind: 'dropout', rate: true }, gaussianDropout: { kind: 'dropout', rate: true },
  activation: { kind: 'activation', activationFromOption: true },
  reLU: { kind: 'activation', activation: 'relu' }, leakyReLU: { kind: 'activation', activation: 'leaky_relu' },
  prelu: { kind: 'activation', activation: 'leaky_relu' }, elu: { kind: 'activation', activation: 'elu' },
  thresholdedReLU: { kind: 'activation', activation: 'relu' }, softmax: { kind: 'activation', activation: 'softmax' },
  flatten: { kind: 'reshape' }, reshape: { kind: 'reshape' }, permute: { kind: 'reshape' }, repeatVector: { kind: 'reshape' },
  inputLayer: { kind: 'reshape' }, zeroPadding2d: { kind: 'reshape' }, cropping2D: { kind: 'reshape' },
  upSampling2d: { kind: 'reshape' }, masking: { kind: 'reshape' }, gaussianNoise: { kind: 'reshape' },
  rescaling: { kind: 'reshape' }, resizing: { kind: 'reshape' }, centerCrop: { kind: 'reshape' },
  add: { kind: 'merge' }, concatenate: { kind: 'merge' }, multiply: { kind: 'merge' }, average: { kind: 'merge' },
  maximum: { kind: 'merge' }, minimum: { kind: 'merge' }, dot: { kind: 'merge' },
};
for (const dims of ['1d', '2d', '3d']) {
  for (const pool of ['maxPooling', 'averagePooling', 'globalAveragePooling', 'globalMaxPooling', 'maxPool', 'avgPool', 'globalMaxPool', 'globalAvgPool']) {
    LAYERS[`${pool}${dims}`] = { kind: 'pool' };
  }
}

/** A layer factory under `tf.layers` (`layers.dense` → dense's spec). */
export function layerSpec(path: string): LayerSpec | undefined {
  return path.startsWith('layers.') ? ownEntry(LAYERS, path.slice('layers.'.length)) : undefined;
}

const ACTIVATIONS: Record<string, Activation> = {
  elu: 'elu', hardsigmoid: 'hard_sigmoid', linear: 'linear', relu: 'relu', relu6: 'relu', selu: 'selu',
  sigmoid: 'sigmoid', softmax: 'softmax', softplus: 'softplus', softsign: 'other', tanh: 'tanh', swish: 'silu',
  mish: 'silu', gelu: 'gelu', gelu_new: 'gelu', logsoftmax: 'log_softmax', log_softmax: 'log_softmax',
  leakyrelu: 'leaky_relu', leaky_relu: 'leaky_relu',
};

/** A tfjs activation identifier (`'relu'`, `'hardSigmoid'`). */
export function activationOf(name: string): Activation {
  return ownEntry(ACTIVATIONS, name.toLowerCase()) ?? 'other';
}

export interface LossSpec {
  family: LossFamily;
  expects: LossInput;
}

const CE_PROBS: LossSpec = { family: 'cross-entropy', expects: 'probabilities' };
const BCE_PROBS: LossSpec = { family: 'binary-cross-entropy', expects: 'probabilities' };
const REGRESSION: LossSpec = { family: 'regression', expects: 'values' };
const OTHER: LossSpec = { family: 'other', expects: 'unknown' };

/** Loss identifiers accepted by `model.compile({loss: '...'})`, lower-cased with `_` removed. */
const LOSS_NAMES: Record<string, LossSpec> = {
  categoricalcrossentropy: CE_PROBS, sparsecategoricalcrossentropy: CE_PROBS, binarycrossentropy: BCE_PROBS,
  meansquarederror: REGRESSION, meanabsoluteerror: REGRESSION, meanabsolutepercentageerror: REGRESSION,
  meansquaredlogarithmicerror: REGRESSION, logcosh: REGRESSION, mse: REGRESSION, mae: REGRESSION, mape: REGRESSION, msle: REGRESSION,
  huber: REGRESSION, kullbackleiblerdivergence: { family: 'other', expects: 'probabilities' },
  kld: { family: 'other', expects: 'probabilities' }, squaredhinge: OTHER, hinge: OTHER, categoricalhinge: OTHER,
  poisson: OTHER, cosineproximity: OTHER,
};

/** `tf.losses.*` and the `tf.metrics.*` functions that work as losses. */
const LOSS_FUNCTIONS: Record<string, LossSpec> = {
  'losses.softmaxCrossEntropy': { family: 'cross-entropy', expects: 'logits' },
  'losses.sigmoidCrossEntropy': { family: 'binary-cross-entropy', expects: 'logits' },
  'losses.logLoss': BCE_PROBS,
  'losses.meanSquaredError': REGRESSION, 'losses.absoluteDifference': REGRESSION, 'losses.huberLoss': REGRESSION,
  'losses.cosineDistance': OTHER, 'losses.hingeLoss': OTHER,
  'metrics.categoricalCrossentropy': CE_PROBS, 'metrics.binaryCrossentropy': BCE_PROBS,
  'metrics.meanSquaredError': REGRESSION, 'metrics.meanAbsoluteError': REGRESSION,
  'metrics.meanAbsolutePercentageError': REGRESSION, 'metrics.MSE': REGRESSION, 'metrics.mse': REGRESSION,
  'metrics.MAE': REGRESSION, 'metrics.mae': REGRESSION, 'metrics.MAPE': REGRESSION, 'metrics.mape': REGRESSION,
};

/** A loss given by name in `compile`. */
export function lossByName(name: string): LossSpec | undefined {
  return ownEntry(LOSS_NAMES, name.toLowerCase().replace(/_/g, ''));
}

/** A loss function (`losses.softmaxCrossEntropy`, `metrics.categoricalCrossentropy`). */
export function lossFunction(path: string): LossSpec | undefined {
  return ownEntry(LOSS_FUNCTIONS, path);
}

/** `tf.train.*` factories and the optimizer classes, with their family. */
const OPTIMIZERS: Record<string, string> = {
  'train.sgd': 'sgd', 'train.momentum': 'sgd', 'train.adam': 'adam', 'train.adamax': 'adam', 'train.rmsprop': 'rmsprop',
  'train.adagrad': 'adagrad', 'train.adadelta': 'adadelta',
  SGDOptimizer: 'sgd', MomentumOptimizer: 'sgd', AdamOptimizer: 'adam', AdamaxOptimizer: 'adam', RMSPropOptimizer: 'rmsprop',
  AdagradOptimizer: 'adagrad', AdadeltaOptimizer: 'adadelta',
};

export function optimizerFamily(path: string): string | undefined {
  return ownEntry(OPTIMIZERS, path);
}

/** Optimizer names accepted by `compile({optimizer: '...'})`. */
const OPTIMIZER_NAMES: Record<string, string> = {
  sgd: 'sgd', momentum: 'sgd', adam: 'adam', adamax: 'adam', rmsprop: 'rmsprop', adagrad: 'adagrad', adadelta: 'adadelta',
};

export function optimizerByName(name: string): string | undefined {
  return ownEntry(OPTIMIZER_NAMES, name.toLowerCase());
}

/** Top-level `tf.*` functions that return new tensors (each must be disposed, or created inside `tf.tidy`). */
const TENSOR_FUNCTIONS = new Set([
  'tensor', 'tensor1d', 'tensor2d', 'tensor3d', 'tensor4d', 'tensor5d', 'tensor6d', 'scalar', 'zeros', 'ones', 'zerosLike',
  'onesLike', 'fill', 'eye', 'linspace', 'range', 'randomNormal', 'randomUniform', 'randomUniformInt', 'randomGamma',
  'randomStandardNormal', 'truncatedNormal', 'multinomial', 'oneHot', 'clone', 'cast', 'reshape', 'expandDims', 'squeeze',
  'stack', 'unstack', 'concat', 'concat1d', 'concat2d', 'concat3d', 'concat4d', 'split', 'tile', 'pad', 'slice', 'slice1d',
  'slice2d', 'slice3d', 'slice4d', 'gather', 'gatherND', 'reverse', 'transpose', 'add', 'sub', 'mul', 'div', 'divNoNan',
  'floorDiv', 'mod', 'pow', 'square', 'squaredDifference', 'sqrt', 'rsqrt', 'exp', 'expm1', 'log', 'log1p', 'abs', 'neg',
  'sign', 'floor', 'ceil', 'round', 'clipByValue', 'maximum', 'minimum', 'matMul', 'dot', 'outerProduct', 'norm', 'sum',
  'mean', 'max', 'min', 'prod', 'argMax', 'argMin', 'logSumExp', 'softmax', 'logSoftmax', 'sigmoid', 'tanh', 'relu', 'relu6',
  'elu', 'selu', 'leakyRelu', 'prelu', 'softplus', 'moments', 'batchNorm', 'conv1d', 'conv2d', 'conv2dTranspose',
  'depthwiseConv2d', 'separableConv2d', 'maxPool', 'avgPool', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less',
  'lessEqual', 'logicalAnd', 'logicalOr', 'logicalNot', 'logicalXor', 'where', 'topk', 'addN', 'cumsum', 'sin', 'cos', 'tan',
  'erf', 'isNaN', 'isInf', 'isFinite', 'all', 'any', 'step', 'einsum', 'mirrorPad', 'complex', 'real', 'imag', 'variable',
  'variableGrads', 'booleanMaskAsync', 'whereAsync', 'setdiff1dAsync', 'stridedSlice', 'localResponseNormalization',
  'sparseToDense', 'unsortedSegmentSum', 'depthToSpace', 'spaceToBatchND', 'batchToSpaceND', 'bincount', 'denseBincount',
  'broadcastTo', 'diag', 'dropout', 'lowerBound', 'upperBound', 'searchSorted', 'meshgrid', 'atan2', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'reciprocal', 'softsign', 'squaredNorm',
]);

/** Namespaces whose functions return tensors. */
const TENSOR_NAMESPACES = ['losses.', 'metrics.', 'image.', 'linalg.', 'signal.', 'spectral.', 'math.', 'random.'];

/** Other namespaced functions that return tensors. */
const TENSOR_PATHS = new Set([
  'browser.fromPixels', 'browser.fromPixelsAsync', 'node.decodeImage', 'node.decodeJpeg', 'node.decodePng', 'node.decodeBmp',
  'node.decodeGif', 'util.encodeString',
]);

/** Whether a `tf.*` function returns new tensors. */
export function createsTensor(path: string): boolean {
  if (TENSOR_FUNCTIONS.has(path) || TENSOR_PATHS.has(path)) return true;
  return TENSOR_NAMESPACES.some((ns) => path.startsWith(ns)) && path !== 'image.toPixels';
}

/** Tensor methods that return new tensors (`x.div(255)`, `x.expandDims(0)`). */
export const TENSOR_METHODS = new Set([
  'add', 'sub', 'mul', 'div', 'divNoNan', 'floorDiv', 'mod', 'pow', 'square', 'squaredDifference', 'sqrt', 'rsqrt', 'exp',
  'log', 'log1p', 'abs', 'neg', 'sign', 'floor', 'ceil', 'round', 'clipByValue', 'maximum', 'minimum', 'reshape', 'reshapeAs',
  'expandDims', 'squeeze', 'flatten', 'as1D', 'as2D', 'as3D', 'as4D', 'as5D', 'asType', 'toFloat', 'toInt', 'toBool', 'cast',
  'clone', 'transpose', 'slice', 'gather', 'concat', 'stack', 'tile', 'pad', 'reverse', 'matMul', 'dot', 'sum', 'mean', 'max',
  'min', 'prod', 'argMax', 'argMin', 'norm', 'softmax', 'logSoftmax', 'sigmoid', 'tanh', 'relu', 'relu6', 'elu', 'selu',
  'leakyRelu', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'logicalAnd', 'logicalOr', 'logicalNot',
  'where', 'resizeBilinear', 'resizeNearestNeighbor', 'batchNorm', 'conv1d', 'conv2d', 'maxPool', 'avgPool', 'cumsum',
  'all', 'any', 'step', 'mirrorPad', 'oneHot', 'broadcastTo', 'stridedSlice', 'unstack', 'split', 'topk', 'isNaN', 'isFinite',
]);

/** Model methods that return tensors. */
export const MODEL_TENSOR_METHODS = new Set(['predict', 'predictOnBatch', 'apply', 'execute', 'executeAsync', 'evaluate']);

/** Tensor methods that read values without creating a tensor (the tensor is still alive afterwards). */
export const READ_METHODS = new Set(['data', 'dataSync', 'array', 'arraySync', 'buffer', 'bufferSync', 'print', 'toString', 'bytes']);

/** Synchronous reads that block until the backend has finished every queued operation (FC602). */
export const SYNC_READS: Record<string, string> = { dataSync: 'data', arraySync: 'array', bufferSync: 'buffer' };

/** `tf.*` functions whose function argument runs with its intermediate tensors disposed afterwards. */
export const MANAGING_FUNCTIONS = new Set(['tidy', 'variableGrads', 'grad', 'grads', 'valueAndGrad', 'valueAndGrads', 'customGrad']);

/** Layer options that regularise the weights. */
export const REGULARIZER_OPTIONS = ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'depthwiseRegularizer', 'pointwiseRegularizer', 'recurrentRegularizer'];
