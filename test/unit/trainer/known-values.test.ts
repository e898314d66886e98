/**
 * The trainer's optimizers and losses against known values: three steps of each optimizer from a
 * fixed start under fixed gradients, and each loss on a small batch, compared with PyTorch's own
 * results recorded once in float64 (test/fixtures/known-values/record.py). The trainer computes in
 * float32, so values agree to about 1e-6.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, it } from 'node:test';
import { loadBackend } from '../../../trainer/backend.js';
import { batchLoss } from '../../../trainer/model/losses.js';
import { createOptimizer } from '../../../trainer/model/optimizers.js';
import type { LossSpec, OptimizerSpec } from '../../../trainer/spec/types.js';
import type { Tensor2D, Tf } from '../../../trainer/tf.js';
import { fixturePath } from '../helpers.js';

interface Recorded {
  optimizers: Record<string, number[][]>;
  losses: Record<string, number>;
}
const recorded = JSON.parse(fs.readFileSync(fixturePath('known-values', 'pytorch-float64.json'), 'utf8')) as Recorded;
const START = [0.5, -1.0, 2.0];
const GRADIENTS = [[0.3, -0.2, 0.1], [-0.5, 0.4, 0.25], [0.2, 0.1, -0.3]];
const TOLERANCE = 2e-6;

let tf: Tf;
before(async () => {
  tf = (await loadBackend('cpu')).tf;
});

/** Whether every value is within the float32 tolerance of PyTorch's. */
function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) <= TOLERANCE * Math.max(1, Math.abs(expected[i]!)), `${what}[${i}]: ${a} vs PyTorch ${expected[i]}`));
}

const common = { weightDecay: 0 };
const OPTIMIZERS: [string, OptimizerSpec][] = [
  ['sgd', { ...common, type: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false }],
  ['sgd-momentum', { ...common, type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: false }],
  ['sgd-nesterov', { ...common, type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true }],
  ['adagrad', { ...common, type: 'adagrad', learningRate: 0.1, epsilon: 1e-10 }],
  ['rmsprop', { ...common, type: 'rmsprop', learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-8 }],
  ['rmsprop-momentum', { ...common, type: 'rmsprop', learningRate: 0.01, rho: 0.9, momentum: 0.9, epsilon: 1e-8 }],
  ['adam', { ...common, type: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }],
];

describe('optimizers against PyTorch', () => {
  for (const [name, spec] of OPTIMIZERS) {
    it(`${name} takes the same three steps as torch.optim`, () => {
      const variable = tf.variable(tf.tensor1d(START), true, `theta-${name}`);
      const optimizer = createOptimizer(tf, spec);
      try {
        GRADIENTS.forEach((g, i) => {
          tf.tidy(() => { variable.assign(tf.add(variable, optimizer.delta(variable, tf.tensor1d(g), spec.learningRate, i + 1))); });
          assertClose(Array.from(variable.dataSync()), recorded.optimizers[name]![i]!, `${name} after step ${i + 1}`);
        });
      } finally {
        optimizer.dispose();
        variable.dispose();
      }
    });
  }
});

const reg = () => ({ output: tf.tensor2d([[0.2, -1.0], [1.5, 0.3], [-0.7, 2.0]]), y: tf.tensor2d([[0.0, -0.5], [1.0, 1.0], [0.0, 1.5]]) });
// Classification targets are class indices, one per example ([n]), as the trainer feeds them.
const binary = (output: number[]) => ({ output: tf.tensor2d(output, [3, 1]), y: tf.tensor1d([1, 0, 0]) });
const logits = [[2.0, 0.5, -1.0], [0.1, 0.2, 0.3], [-0.5, 1.5, 0.0]];
const classes = () => tf.tensor1d([0, 2, 1], 'int32');
const LOSSES: [string, LossSpec, () => { output: Tensor2D; y: ReturnType<Tf['tensor']> }, number[]?][] = [
  ['mse', { type: 'mse', fromLogits: false }, reg],
  ['mae', { type: 'mae', fromLogits: false }, reg],
  ['bce-logits', { type: 'binary-crossentropy', fromLogits: true }, () => binary([0.8, -1.2, 2.5])],
  ['bce-probs', { type: 'binary-crossentropy', fromLogits: false }, () => binary([0.9, 0.2, 0.35])],
  ['cce-logits', { type: 'categorical-crossentropy', fromLogits: true }, () => ({ output: tf.tensor2d(logits), y: classes() })],
  ['cce-probs', { type: 'categorical-crossentropy', fromLogits: false }, () => ({ output: tf.softmax(tf.tensor2d(logits)), y: classes() })],
  // CrossEntropyLoss(weight=[1, 3, 0.5]): each example weighs as its class.
  ['cce-logits-weighted', { type: 'categorical-crossentropy', fromLogits: true }, () => ({ output: tf.tensor2d(logits), y: classes() }), [1, 0.5, 3]],
];

describe('losses against PyTorch', () => {
  for (const [name, spec, batch, weights] of LOSSES) {
    it(`${name} gives the value torch.nn gives`, () => {
      const value = tf.tidy(() => {
        const { output, y } = batch();
        return batchLoss(tf, spec, output, y, weights ? tf.tensor1d(weights) : undefined).dataSync()[0]!;
      });
      assertClose([value], [recorded.losses[name]!], name);
    });
  }
});
