/** A spec's data, split into training and validation sets and scaled with the training set's statistics. */
import type { RunSpec } from '../spec/types.js';
import { taskOf } from '../spec/types.js';
import { checkMemory, checkSpecLimits, LIMITS } from '../limits.js';
import { readCsvData } from './access.js';
import { csvToRaw, DataError } from './csv.js';
import { Random } from './random.js';
import { hoursVsScore, spiral, twoMoons, type RawData } from './synthetic.js';

export interface Split {
  /** Row-major features, n × features. */
  x: Float32Array;
  /** Targets (regression) or class indices (classification). */
  y: Float32Array;
  n: number;
}

export interface Dataset {
  task: 'regression' | 'classification';
  features: number;
  featureNames: string[];
  classes?: number;
  classNames?: string[];
  train: Split;
  val: Split;
  /** Training examples per class (classification). */
  classCounts?: number[];
  /** Variance of the training targets in the units trained on: the denominator of the regression error. */
  targetVariance: number;
  /** Things worth telling the user (skipped CSV rows). */
  notes: string[];
  /** The lowest error the data's own noise allows, when the generator knows it. */
  noiseFloor?: number;
}

export interface PrepareOptions {
  validationFraction: number;
  /** `ordered`: the last rows are the validation set (time order kept), not a random draw. */
  split?: 'random' | 'ordered';
  /** With `ordered`: exactly this many last rows are the validation set (a separately generated one). */
  validationRows?: number;
  seed: number;
  normalize: boolean;
  polynomialDegree: number;
}

export interface LoadOptions {
  /**
   * Folders a CSV file may be read from (symbolic links followed); default: `baseDir` only. The
   * editor passes the workspace folder and the user's allowed folders; the CLI the current
   * directory, the spec's folder and `--allow-data-dir` folders.
   */
  dataRoots?: readonly string[];
  /** Memory limit for the estimate (default `LIMITS.memoryBytes`). */
  memoryLimit?: number;
}

/**
 * Loads the data a spec names; CSV paths are relative to `baseDir` (the spec's folder). Checks the
 * spec's size limits first and the memory estimate before any large array is made. Throws
 * `DataError` (`LimitError` for limits).
 */
export function loadDataset(spec: RunSpec, baseDir: string, options: LoadOptions = {}): Dataset {
  // The spec may not have passed the editor or validateSpec: check its bounds here too.
  checkSpecLimits(spec);
  const data = spec.data;
  const seed = data.seed ?? spec.training.seed;
  const rng = new Random(seed);
  const notes: string[] = [];
  const memoryLimit = options.memoryLimit ?? LIMITS.memoryBytes;
  const estimate = (examples: number, features: number) => { checkMemory(spec, { examples, features }, memoryLimit); };
  let raw: RawData;
  switch (data.kind) {
    case 'hours-vs-score': estimate(generatedCount(data), 1); raw = generated(data, (n) => hoursVsScore(n, data.noise, rng)); break;
    case 'two-moons': estimate(generatedCount(data), 2); raw = generated(data, (n) => twoMoons(n, data.noise, rng, data.classRatio)); break;
    case 'spiral': estimate(generatedCount(data), 2); raw = generated(data, (n) => spiral(n, data.classes, data.noise, rng, data.classRatio)); break;
    case 'csv': {
      const text = readCsvData(data.path, baseDir, options.dataRoots ?? [baseDir]);
      const { raw: table, skipped } = csvToRaw(text, { ...data, classification: taskOf(spec) === 'classification' });
      if (skipped.length > 0) notes.push(`skipped ${skipped.length} bad CSV row${skipped.length === 1 ? '' : 's'} (lines ${skipped.slice(0, 10).map((b) => b.line).join(', ')}${skipped.length > 10 ? ', …' : ''})`);
      estimate(table.x.length, table.featureNames.length);
      raw = table;
      break;
    }
  }
  let noiseFloor: number | undefined;
  if (data.kind === 'hours-vs-score') {
    // The regression error is MSE over the targets' variance; Gaussian noise alone leaves noise² of MSE.
    const v = varianceOf(raw.y);
    if (v > 0) noiseFloor = (data.noise * data.noise) / v;
  } else if ((data.kind === 'two-moons' || data.kind === 'spiral') && (data.labelNoise ?? 0) > 0) {
    flipLabels(raw, data.labelNoise!, rng);
    noiseFloor = data.labelNoise!;
  }
  const degree = data.kind === 'hours-vs-score' || data.kind === 'csv' ? data.polynomialDegree : 1;
  const separate = data.kind !== 'csv' && data.validationSamples !== undefined;
  const dataset = prepare(raw, {
    validationFraction: data.validationFraction,
    seed: rng.nextUint32(),
    normalize: data.normalize,
    polynomialDegree: degree,
    split: separate ? 'ordered' : data.split ?? 'random',
    ...(separate ? { validationRows: data.validationSamples } : {}),
  });
  for (const note of notes) dataset.notes.push(note);
  if (noiseFloor !== undefined) dataset.noiseFloor = noiseFloor;
  return dataset;
}

/**
 * A synthetic set: `samples` rows, then (with `validationSamples`) that many more drawn from the same
 * generator as a separate validation set, so a tiny training set can be judged on a large one.
 */
function generatedCount(data: { samples: number; validationSamples?: number }): number {
  return data.samples + (data.validationSamples ?? 0);
}

function generated(data: { samples: number; validationSamples?: number }, draw: (n: number) => RawData): RawData {
  if (data.validationSamples === undefined) return draw(data.samples);
  const train = draw(data.samples);
  const val = draw(data.validationSamples);
  return { ...train, x: train.x.concat(val.x), y: train.y.concat(val.y) };
}

/** Flips each label with probability `fraction` to one of the other classes, uniformly. */
export function flipLabels(raw: RawData, fraction: number, rng: Random): void {
  const classes = raw.classes ?? 2;
  for (let i = 0; i < raw.y.length; i++) {
    if (rng.uniform(0, 1) >= fraction) continue;
    const shift = 1 + Math.floor(rng.uniform(0, classes - 1));
    raw.y[i] = (raw.y[i]! + Math.min(shift, classes - 1)) % classes;
  }
}

function varianceOf(values: readonly number[]): number {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= Math.max(1, values.length);
  let sum = 0;
  for (const v of values) sum += (v - mean) ** 2;
  return values.length > 1 ? sum / (values.length - 1) : 0;
}

/** Splits (stratified for classification), adds polynomial features, standardizes with training statistics. */
export function prepare(raw: RawData, options: PrepareOptions): Dataset {
  const rng = new Random(options.seed);
  const { trainIdx, valIdx } = options.split === 'ordered'
    ? orderedSplit(raw.y.length, options.validationRows ?? Math.round(raw.y.length * options.validationFraction))
    : split(raw, options.validationFraction, rng);
  let trainX = trainIdx.map((i) => raw.x[i]!);
  let valX = valIdx.map((i) => raw.x[i]!);
  let trainY = trainIdx.map((i) => raw.y[i]!);
  let valY = valIdx.map((i) => raw.y[i]!);
  let featureNames = raw.featureNames;

  if (options.polynomialDegree > 1) {
    // Legendre polynomials P1…Pd of each input scaled to [−1, 1]: the same functions as x…x^d, but
    // nearly orthogonal, so gradient descent reaches the least-squares fit instead of crawling along
    // the almost parallel columns of raw powers. They are not standardized again: Pk's spread shrinks
    // like 1/√(2k+1), so plain gradient descent learns the smooth part first and the wiggles last,
    // which is what gives early stopping its window.
    // The known domain when there is one (hours 0–10), else the training range.
    const range = raw.featureRanges ? { min: raw.featureRanges.map((r) => r[0]), max: raw.featureRanges.map((r) => r[1]) } : columnRange(trainX);
    const expand = (rows: number[][]) => rows.map((row) => row.flatMap((v, j) => legendre(2 * (v - range.min[j]!) / (range.max[j]! - range.min[j]! || 1) - 1, options.polynomialDegree)));
    trainX = expand(trainX);
    valX = expand(valX);
    featureNames = featureNames.flatMap((name) => Array.from({ length: options.polynomialDegree }, (_, k) => `P${k + 1}(${name})`));
  }
  if (options.normalize && options.polynomialDegree <= 1) {
    const stats = columnStats(trainX);
    const scale = (rows: number[][]) => rows.map((row) => row.map((v, j) => (v - stats.mean[j]!) / stats.std[j]!));
    trainX = scale(trainX);
    valX = scale(valX);
  }
  if (options.normalize) {
    if (raw.task === 'regression') {
      const mean = trainY.reduce((a, b) => a + b, 0) / Math.max(1, trainY.length);
      const std = Math.sqrt(trainY.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, trainY.length)) || 1;
      trainY = trainY.map((v) => (v - mean) / std);
      valY = valY.map((v) => (v - mean) / std);
    }
  }
  const features = trainX[0]?.length ?? featureNames.length;
  const dataset: Dataset = {
    task: raw.task,
    features,
    featureNames,
    train: toSplit(trainX, trainY, features),
    val: toSplit(valX, valY, features),
    targetVariance: raw.task === 'regression' ? variance(trainY) || 1 : 1,
    notes: [],
  };
  if (raw.classes !== undefined) {
    dataset.classes = raw.classes;
    const counts = new Array<number>(raw.classes).fill(0);
    for (const c of trainY) counts[c] = (counts[c] ?? 0) + 1;
    dataset.classCounts = counts;
  }
  if (raw.classNames) dataset.classNames = raw.classNames;
  if (dataset.train.n === 0) throw new DataError('no training examples: lower data.validationFraction or add samples');
  return dataset;
}

/** The last `nVal` rows as the validation set, the rest (in order) for training. */
function orderedSplit(n: number, nVal: number): { trainIdx: number[]; valIdx: number[] } {
  const cut = Math.max(0, n - Math.max(0, Math.min(n, nVal)));
  return { trainIdx: Array.from({ length: cut }, (_, i) => i), valIdx: Array.from({ length: n - cut }, (_, i) => cut + i) };
}

function split(raw: RawData, fraction: number, rng: Random): { trainIdx: number[]; valIdx: number[] } {
  const trainIdx: number[] = [];
  const valIdx: number[] = [];
  // One pass into per-class groups (not a filter per class: that is rows × classes).
  let groups: number[][];
  if (raw.task === 'classification') {
    groups = Array.from({ length: raw.classes ?? 0 }, () => []);
    raw.y.forEach((c, i) => { groups[c]?.push(i); });
  } else {
    groups = [Array.from({ length: raw.y.length }, (_, i) => i)];
  }
  // Stratified for classification: a rare class keeps its share in both sets.
  for (const group of groups) {
    rng.shuffle(group);
    const nVal = fraction > 0 && group.length > 1 ? Math.max(1, Math.round(group.length * fraction)) : 0;
    // Loops, not push(...slice): spreading a data-sized array overflows the call stack.
    for (let k = 0; k < group.length; k++) (k < nVal ? valIdx : trainIdx).push(group[k]!);
  }
  // Interleave the classes again so the first batches are not all one class.
  rng.shuffle(trainIdx);
  rng.shuffle(valIdx);
  return { trainIdx, valIdx };
}

function columnStats(rows: number[][]): { mean: number[]; std: number[] } {
  const width = rows[0]?.length ?? 0;
  const mean = Array.from({ length: width }, (_, j) => rows.reduce((a, r) => a + r[j]!, 0) / Math.max(1, rows.length));
  const std = mean.map((m, j) => Math.sqrt(rows.reduce((a, r) => a + (r[j]! - m) ** 2, 0) / Math.max(1, rows.length)) || 1);
  return { mean, std };
}

/** P1(u)…Pd(u) by Bonnet's recurrence (k+1)·P(k+1) = (2k+1)·u·P(k) − k·P(k−1). */
export function legendre(u: number, degree: number): number[] {
  const out: number[] = [];
  let previous = 1;
  let current = u;
  for (let k = 1; k <= degree; k++) {
    out.push(current);
    const next = ((2 * k + 1) * u * current - k * previous) / (k + 1);
    previous = current;
    current = next;
  }
  return out;
}

function columnRange(rows: number[][]): { min: number[]; max: number[] } {
  const width = rows[0]?.length ?? 0;
  const min = new Array<number>(width).fill(Infinity);
  const max = new Array<number>(width).fill(-Infinity);
  // Loops, not Math.min(...column): spreading a data-sized array overflows the call stack.
  for (const row of rows) {
    for (let j = 0; j < width; j++) {
      const v = row[j]!;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  return { min, max };
}

function variance(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length);
}

function toSplit(x: number[][], y: number[], features: number): Split {
  const flat = new Float32Array(x.length * features);
  x.forEach((row, i) => flat.set(row, i * features));
  return { x: flat, y: Float32Array.from(y), n: x.length };
}

/** Why a loaded data set does not fit the spec's output layer or loss (CSV classes are known only now); undefined when it fits. */
export function checkDataFitsSpec(spec: RunSpec, data: Dataset): string | undefined {
  if (data.task !== 'classification') return undefined;
  const classes = data.classes ?? 0;
  const dense = spec.model.layers.filter((l) => l.type === 'dense');
  const units = dense[dense.length - 1]?.units;
  if (classes < 2) return `the target has ${classes} class${classes === 1 ? '' : 'es'}; classification needs at least 2`;
  if (spec.loss.type === 'binary-crossentropy' && classes !== 2) return `binary cross-entropy needs 2 classes, but the target has ${classes}: use categorical-crossentropy with ${classes} output units`;
  if (spec.loss.type === 'categorical-crossentropy' && units !== classes) return `the output layer has ${units} units, but the target has ${classes} classes (${(data.classNames ?? []).slice(0, 10).join(', ')}): categorical cross-entropy needs one unit per class`;
  const weights = spec.loss.classWeights;
  if (Array.isArray(weights) && weights.length !== classes) return `loss.classWeights has ${weights.length} weights, but the target has ${classes} classes`;
  return undefined;
}
