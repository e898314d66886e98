/** Loss and error of a split with the model in inference mode (no dropout, batch-norm moving statistics). */
import type { ErrorMetric, SplitMetrics } from '../metrics/diagnosis/events.js';
import type { Dataset, Split } from './data/dataset.js';
import { exampleLosses, predictions } from './model/losses.js';
import type { Network } from './model/network.js';
import type { LossSpec } from './spec/types.js';
import type { Tensor, Tensor1D, Tensor2D, Tf } from './tf.js';

/** Examples per forward pass while evaluating, to bound memory on large CSV files. */
const CHUNK = 2048;

/** A split as tensors, built once per run. */
export interface SplitTensors {
  x: Tensor2D;
  /** [n, 1] targets for regression, [n] class indices for classification. */
  y: Tensor;
  /** Per-example class weights, when the loss has them. */
  w?: Tensor1D;
  split: Split;
}

export interface Evaluation {
  metrics: SplitMetrics;
  /** Fraction of units that never activated, per ReLU param group (only when asked). */
  deadFractions?: Map<string, number>;
}

/** Metrics of one split; `collectRelu` also measures dead ReLU units. */
export function evaluate(tf: Tf, net: Network, loss: LossSpec, data: Dataset, metric: ErrorMetric, split: SplitTensors, collectRelu = false): Evaluation {
  const n = split.split.n;
  let lossSum = 0;
  let weightSum = 0;
  const preds: Float32Array[] = [];
  const maxima = new Map<string, Float32Array>();
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    const relu: { group: string; max: Tensor }[] = [];
    const [lossPart, weightPart, pred] = tf.tidy(() => {
      const x = tf.slice(split.x, [start, 0], [size, -1]);
      const y = split.y.rank === 2 ? tf.slice(split.y, [start, 0], [size, -1]) : tf.slice(split.y, [start], [size]);
      const out = net.forward(x, collectRelu ? { training: false, reluMaxima: relu } : { training: false });
      const losses = exampleLosses(tf, loss, out, y);
      const w = split.w ? tf.slice(split.w, [start], [size]) : tf.onesLike(losses);
      return [tf.sum(tf.mul(losses, w)), tf.sum(w), predictions(tf, loss, out)];
    });
    lossSum += (lossPart.dataSync() as Float32Array)[0]!;
    weightSum += (weightPart.dataSync() as Float32Array)[0]!;
    preds.push(pred.dataSync() as Float32Array);
    tf.dispose([lossPart, weightPart, pred]);
    for (const { group, max } of relu) {
      const values = max.dataSync() as Float32Array;
      const seen = maxima.get(group);
      if (!seen) maxima.set(group, Float32Array.from(values));
      else for (let i = 0; i < values.length; i++) seen[i] = Math.max(seen[i]!, values[i]!);
      max.dispose();
    }
  }
  const metrics = errorMetrics(concat(preds), split.split.y, data, loss, metric);
  metrics.loss = weightSum > 0 ? lossSum / weightSum : Number.NaN;
  const result: Evaluation = { metrics };
  if (collectRelu) {
    result.deadFractions = new Map([...maxima].map(([group, max]) => [group, max.filter((v) => !(v > 0)).length / max.length]));
  }
  return result;
}

/**
 * The errors of predictions: for regression MSE / training-target variance; for classification
 * 1 − accuracy and 1 − mean per-class recall. `error` is the one `metric` names.
 */
export function errorMetrics(pred: Float32Array, y: Float32Array, data: Pick<Dataset, 'task' | 'targetVariance' | 'classes'>, loss: Pick<LossSpec, 'type'>, metric: ErrorMetric): SplitMetrics {
  const n = y.length;
  if (data.task === 'regression') {
    // The mean squared error and the spread of the per-example squared errors: the standard error
    // of a mean is their standard deviation over √n.
    let se = 0;
    let se2 = 0;
    for (let i = 0; i < n; i++) {
      const sq = (pred[i]! - y[i]!) ** 2;
      se += sq;
      se2 += sq * sq;
    }
    const mse = se / n;
    const variance = n > 1 ? Math.max(0, (se2 - n * mse * mse) / (n - 1)) : Number.NaN;
    return {
      loss: 0,
      error: n > 0 ? mse / data.targetVariance : Number.NaN,
      n,
      errorStdErr: n > 1 ? Math.sqrt(variance / n) / data.targetVariance : Number.NaN,
    };
  }
  const classes = data.classes ?? 2;
  const width = loss.type === 'binary-crossentropy' ? 1 : pred.length / Math.max(1, n);
  const correct = new Array<number>(classes).fill(0);
  const total = new Array<number>(classes).fill(0);
  let right = 0;
  for (let i = 0; i < n; i++) {
    const label = y[i]!;
    const guess = width === 1 ? (pred[i]! >= 0.5 ? 1 : 0) : argmax(pred, i * width, width);
    total[label] = (total[label] ?? 0) + 1;
    if (guess === label) {
      right++;
      correct[label] = (correct[label] ?? 0) + 1;
    }
  }
  const accuracy = n > 0 ? right / n : Number.NaN;
  const recalls = total.flatMap((t, k) => (t > 0 ? [correct[k]! / t] : []));
  const balancedError = recalls.length > 0 ? 1 - recalls.reduce((a, b) => a + b, 0) / recalls.length : Number.NaN;
  // Each recall is a proportion over its class's examples; the mean of K of them has variance Σ r(1−r)/t / K².
  let recallVariance = 0;
  total.forEach((t, k) => {
    if (t > 0) {
      const r = correct[k]! / t;
      recallVariance += (r * (1 - r)) / t;
    }
  });
  const balancedErrorStdErr = recalls.length > 0 ? Math.sqrt(recallVariance) / recalls.length : Number.NaN;
  const plainStdErr = n > 0 ? Math.sqrt((accuracy * (1 - accuracy)) / n) : Number.NaN;
  return {
    loss: 0,
    error: metric === 'balanced-error' ? balancedError : 1 - accuracy,
    accuracy,
    balancedError,
    n,
    errorStdErr: metric === 'balanced-error' ? balancedErrorStdErr : plainStdErr,
    balancedErrorStdErr,
  };
}

function argmax(values: Float32Array, offset: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[offset + k]! > values[offset + best]!) best = k;
  return best;
}

function concat(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
