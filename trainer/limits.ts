/**
 * The size limits of a run spec and the memory estimate made before a run starts. The JSON schema
 * (schemas/fitrun.schema.json) carries the same bounds for the editor; the trainer checks them again
 * here because a spec can reach it without passing the editor (the CLI, a hand-made start message).
 * docs/runspec.md ("Limits") explains each bound.
 */
import { DataError } from './data/errors.js';
import type { DataSpec, LayerSpec, RunSpec } from './spec/types.js';

/** The bounds, shared with the schema (a unit test keeps the two equal). */
export const LIMITS = {
  /** Examples a synthetic set generates, and rows a CSV file may hold. */
  samples: 1_000_000,
  /** Classes of a spiral set or of a CSV target. */
  classes: 1000,
  /** Units of one dense layer. */
  units: 16_384,
  /** Layers in `model.layers`. */
  layers: 512,
  /** Legendre polynomial features per input. */
  polynomialDegree: 100,
  /** Passes over the training set. */
  epochs: 1_000_000,
  /** Examples per step (a number; "full" is bounded by `samples`). */
  batchSize: 1_000_000,
  /** Columns of a CSV file (and entries of `data.features`). */
  columns: 10_000,
  /** Size of a CSV file in bytes (100 MiB). */
  csvBytes: 100 * 1024 * 1024,
  /** Size of a run spec file in bytes (4 MiB). */
  specBytes: 4 * 1024 * 1024,
  /** Epoch counts inside a spec (patience, schedule step size) and `logEveryBatches`. */
  count: 1_000_000,
  /** The estimated memory a run may need (2 GiB): parameters with optimizer state, one batch's activations, the data. */
  memoryBytes: 2 * 1024 * 1024 * 1024,
} as const;

/** A spec asks for more than the trainer allows; the message says which bound and by how much. A `DataError`, so every caller refuses the spec. */
export class LimitError extends DataError {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** Checks the bounds of a spec that may not have been validated; throws `LimitError` naming the first field over its bound. */
export function checkSpecLimits(spec: RunSpec): void {
  const over = specLimitProblem(spec);
  if (over) throw new LimitError(over);
}

/** The first bound a spec breaks, as a sentence; undefined when it fits. */
export function specLimitProblem(spec: RunSpec): string | undefined {
  const problems: string[] = [];
  const bound = (where: string, value: unknown, max: number, min = 0) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      problems.push(`${where} is ${typeof value === 'number' ? formatCount(value) : JSON.stringify(value)}; it must be between ${formatCount(min)} and ${formatCount(max)}`);
    }
  };
  const data = spec.data as DataSpec;
  if ('samples' in data) bound('data.samples', data.samples, LIMITS.samples, 1);
  if (data.kind === 'spiral') bound('data.classes', data.classes, LIMITS.classes, 2);
  if ('polynomialDegree' in data) bound('data.polynomialDegree', data.polynomialDegree, LIMITS.polynomialDegree, 1);
  if ('classRatio' in data && Array.isArray(data.classRatio) && data.classRatio.length > LIMITS.classes) problems.push(`data.classRatio has ${formatCount(data.classRatio.length)} entries; at most ${formatCount(LIMITS.classes)} are allowed`);
  if (data.kind === 'csv' && Array.isArray(data.features) && data.features.length > LIMITS.columns) problems.push(`data.features lists ${formatCount(data.features.length)} columns; at most ${formatCount(LIMITS.columns)} are allowed`);
  const layers = spec.model?.layers;
  if (!Array.isArray(layers)) problems.push('model.layers is missing');
  else if (layers.length > LIMITS.layers) problems.push(`model.layers has ${formatCount(layers.length)} layers; at most ${formatCount(LIMITS.layers)} are allowed`);
  else layers.forEach((layer, i) => { if (layer.type === 'dense') bound(`model.layers[${i}].units`, layer.units, LIMITS.units, 1); });
  const weights = spec.loss?.classWeights;
  if (Array.isArray(weights) && weights.length > LIMITS.classes) problems.push(`loss.classWeights has ${formatCount(weights.length)} entries; at most ${formatCount(LIMITS.classes)} are allowed`);
  const training = spec.training;
  bound('training.epochs', training?.epochs, LIMITS.epochs, 1);
  if (training?.batchSize !== 'full') bound('training.batchSize', training?.batchSize, LIMITS.batchSize, 1);
  bound('training.logEveryBatches', training?.logEveryBatches, LIMITS.count);
  bound('training.earlyStopping.patience', training?.earlyStopping?.patience, LIMITS.count);
  const schedule = spec.optimizer?.schedule;
  if (schedule?.type === 'step') bound('optimizer.schedule.stepSize', schedule.stepSize, LIMITS.count, 1);
  return problems.length > 0 ? `the run spec is too large: ${problems[0]}` : undefined;
}

/** What the memory estimate is made of, in bytes. */
export interface MemoryEstimate {
  parameters: number;
  activations: number;
  data: number;
  total: number;
  /** Trainable parameters (weights and biases). */
  parameterCount: number;
}

/** The shape of the data a run will train on: examples and input features before polynomial expansion. */
export interface DataShape {
  examples: number;
  features: number;
  /** Output classes (classification), when known. */
  classes?: number;
}

/** Examples evaluated per forward pass (trainer/evaluate.ts): the activations of evaluation. */
const EVAL_CHUNK = 2048;

/**
 * Estimates the memory of a run from its spec and data shape: parameters (weights, gradients,
 * optimizer slots, a best-epoch snapshot), the activations of one training batch and one
 * evaluation chunk (kept for the backward pass), and the data set (parsed rows, expanded features,
 * the float32 copies and tensors). Deliberately on the high side: it decides whether to start.
 */
export function estimateMemory(spec: RunSpec, shape: DataShape): MemoryEstimate {
  const degree = 'polynomialDegree' in spec.data && spec.data.polynomialDegree > 1 ? spec.data.polynomialDegree : 1;
  const inputs = shape.features * degree;
  let width = inputs;
  let parameterCount = 0;
  let stateCount = 0;
  let activationWidth = inputs;
  for (const layer of spec.model.layers as LayerSpec[]) {
    if (layer.type === 'dense') {
      parameterCount += width * layer.units + (layer.useBias === false ? 0 : layer.units);
      width = layer.units;
    } else if (layer.type === 'batch-norm') {
      parameterCount += 2 * width;
      stateCount += 2 * width;
    }
    activationWidth += width;
  }
  // Weights, gradients, update deltas, up to two optimizer slots and an early-stopping snapshot.
  const slots = spec.optimizer.type === 'adam' || spec.optimizer.type === 'rmsprop' ? 2 : 1;
  const parameters = 4 * (parameterCount * (3 + slots + 1) + stateCount * 2);
  const validation = spec.data.validationFraction ?? 0;
  const train = Math.ceil(shape.examples * (1 - validation));
  const batch = spec.training.batchSize === 'full' ? train : Math.min(spec.training.batchSize, train);
  // Forward outputs kept for the backward pass and their gradients (×3 for the temporaries around them).
  const activations = 4 * 3 * (batch + Math.min(EVAL_CHUNK, shape.examples)) * activationWidth;
  // Parsed rows as JavaScript numbers (8 bytes a value plus ~64 bytes a row), expanded rows, then
  // float32 copies and their tensors (4 + 4 bytes).
  const rowBytes = (cells: number) => 8 * cells + 64;
  const data = shape.examples * (rowBytes(shape.features) + (degree > 1 ? rowBytes(inputs) : 0) + 8 * inputs + 16);
  return { parameters, activations, data, total: parameters + activations + data, parameterCount };
}

/** Throws `LimitError` with the estimate when a run would need more memory than allowed. */
export function checkMemory(spec: RunSpec, shape: DataShape, limit: number = LIMITS.memoryBytes): MemoryEstimate {
  const estimate = estimateMemory(spec, shape);
  if (estimate.total > limit) {
    throw new LimitError(`the run would need about ${formatBytes(estimate.total)} of memory (parameters ${formatBytes(estimate.parameters)} for ${formatCount(estimate.parameterCount)} weights, one batch's activations ${formatBytes(estimate.activations)}, data ${formatBytes(estimate.data)} for ${formatCount(shape.examples)} examples), more than the limit of ${formatBytes(limit)}: use fewer units, layers, examples or a smaller batch`);
  }
  return estimate;
}

/** "1.5 GB", "640 KB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (!Number.isFinite(value)) return 'more than can be counted';
  return unit === 0 ? `${Math.round(value)} bytes` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "1,000,000"; large or fractional numbers as they are. */
export function formatCount(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e15 ? value.toLocaleString('en-US') : String(value);
}
