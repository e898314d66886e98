/**
 * A dense stack built from tfjs ops rather than tf.layers, so the training loop sees every
 * parameter, can measure per-layer gradients and updates, and controls every random draw.
 */
import type { Random } from '../data/random.js';
import type { ActivationName, LayerSpec } from '../spec/types.js';
import type { Scalar, Tensor, Tensor2D, Tf, Variable } from '../tf.js';
import { activate } from './activations.js';
import { initKernel } from './initializers.js';

/** The parameters of one dense or batch-norm layer; per-layer statistics are reported per group. */
export interface ParamGroup {
  name: string;
  kind: 'dense' | 'batch-norm';
  /** Index in the spec's `model.layers`. */
  index: number;
  /** Trainable variables; the first is the one weight decay and L1/L2 apply to (dense kernels only). */
  variables: Variable[];
  /** Dense kernel, decayed and penalized. */
  kernel?: Variable;
  l1: number;
  l2: number;
}

interface BatchNormState {
  index: number;
  gamma: Variable;
  beta: Variable;
  movingMean: Variable;
  movingVariance: Variable;
  momentum: number;
  epsilon: number;
}

/** Batch statistics a training forward pass produced, applied to the moving averages after the step. */
export interface BatchNormUpdate {
  state: BatchNormState;
  mean: Tensor;
  variance: Tensor;
}

export interface ForwardOptions {
  training: boolean;
  /** Seeds for dropout masks (one draw per dropout layer per call). */
  rng?: Random;
  /** Receives batch-norm batch statistics in training mode (kept tensors; the caller disposes them). */
  batchNormUpdates?: BatchNormUpdate[];
  /** Receives each ReLU output's per-unit maximum over the batch, keyed by the param group it follows. */
  reluMaxima?: { group: string; max: Tensor }[];
}

export class Network {
  readonly groups: ParamGroup[] = [];
  private readonly batchNorms = new Map<number, BatchNormState>();
  /** The dense group each spec layer's output belongs to (for attributing dead ReLUs). */
  private readonly ownerGroup: string[] = [];
  readonly outputUnits: number;

  constructor(private readonly tf: Tf, private readonly layers: readonly LayerSpec[], inputSize: number, rng: Random) {
    let width = inputSize;
    let dense = 0;
    let norms = 0;
    let owner = 'input';
    layers.forEach((layer, index) => {
      if (layer.type === 'dense') {
        dense += 1;
        const name = `dense${dense}`;
        const kernel = tf.variable(tf.tensor2d(initKernel(layer.kernelInitializer, width, layer.units, rng, layer.initStddev), [width, layer.units]), true, `${name}/kernel`);
        const variables: Variable[] = [kernel];
        if (layer.useBias) variables.push(tf.variable(tf.zeros([layer.units]), true, `${name}/bias`));
        this.groups.push({ name, kind: 'dense', index, variables, kernel, l1: layer.l1, l2: layer.l2 });
        width = layer.units;
        owner = name;
      } else if (layer.type === 'batch-norm') {
        norms += 1;
        const name = `batchnorm${norms}`;
        const state: BatchNormState = {
          index,
          gamma: tf.variable(tf.ones([width]), true, `${name}/gamma`),
          beta: tf.variable(tf.zeros([width]), true, `${name}/beta`),
          movingMean: tf.variable(tf.zeros([width]), false, `${name}/moving_mean`),
          movingVariance: tf.variable(tf.ones([width]), false, `${name}/moving_variance`),
          momentum: layer.momentum,
          epsilon: layer.epsilon,
        };
        this.batchNorms.set(index, state);
        this.groups.push({ name, kind: 'batch-norm', index, variables: [state.gamma, state.beta], l1: 0, l2: 0 });
      }
      this.ownerGroup.push(owner);
    });
    this.outputUnits = width;
  }

  /** Every trainable variable, in layer order. */
  trainableVariables(): Variable[] {
    return this.groups.flatMap((g) => g.variables);
  }

  /** Every variable including batch-norm moving statistics (what a checkpoint must hold). */
  allVariables(): Variable[] {
    return [...this.trainableVariables(), ...[...this.batchNorms.values()].flatMap((s) => [s.movingMean, s.movingVariance])];
  }

  /** The model output for `x` (logits or activations, as the last layers say). */
  forward(x: Tensor2D, options: ForwardOptions): Tensor2D {
    const tf = this.tf;
    let h: Tensor = x;
    let group = 0;
    this.layers.forEach((layer, index) => {
      switch (layer.type) {
        case 'dense': {
          const params = this.groups[group++]!;
          h = tf.matMul(h as Tensor2D, params.variables[0] as Tensor2D);
          if (params.variables[1]) h = tf.add(h, params.variables[1]);
          h = this.activation(h, layer.activation, layer.alpha, params.name, options);
          break;
        }
        case 'activation':
          h = this.activation(h, layer.activation, layer.alpha, this.ownerGroup[index]!, options);
          break;
        case 'dropout':
          if (options.training && layer.rate > 0) {
            const seed = options.rng ? options.rng.nextUint32() : 0;
            const keep = tf.greaterEqual(tf.randomUniform(h.shape, 0, 1, 'float32', seed), tf.scalar(layer.rate));
            h = tf.div(tf.mul(h, tf.cast(keep, 'float32')), tf.scalar(1 - layer.rate));
          }
          break;
        case 'batch-norm': {
          group++;
          const state = this.batchNorms.get(index)!;
          if (options.training) {
            const { mean, variance } = tf.moments(h, 0);
            options.batchNormUpdates?.push({ state, mean: tf.keep(mean), variance: tf.keep(variance) });
            h = tf.batchNorm(h, mean, variance, state.beta, state.gamma, state.epsilon);
          } else {
            h = tf.batchNorm(h, state.movingMean, state.movingVariance, state.beta, state.gamma, state.epsilon);
          }
          break;
        }
      }
    });
    return h as Tensor2D;
  }

  /** Moves the batch-norm moving averages towards the batch statistics (Keras' momentum convention). */
  applyBatchNormUpdates(updates: BatchNormUpdate[]): void {
    const tf = this.tf;
    for (const { state, mean, variance } of updates) {
      tf.tidy(() => {
        const m = tf.scalar(state.momentum);
        const rest = tf.scalar(1 - state.momentum);
        state.movingMean.assign(tf.add(tf.mul(state.movingMean, m), tf.mul(mean, rest)));
        state.movingVariance.assign(tf.add(tf.mul(state.movingVariance, m), tf.mul(variance, rest)));
      });
      mean.dispose();
      variance.dispose();
    }
  }

  /** The L1/L2 penalty of every dense kernel: Σ λ₁·|W| + λ₂·W². */
  penalty(): Scalar {
    const tf = this.tf;
    let total: Scalar = tf.scalar(0);
    for (const g of this.groups) {
      if (!g.kernel) continue;
      if (g.l1 > 0) total = tf.add(total, tf.mul(tf.scalar(g.l1), tf.sum(tf.abs(g.kernel))));
      if (g.l2 > 0) total = tf.add(total, tf.mul(tf.scalar(g.l2), tf.sum(tf.square(g.kernel))));
    }
    return total;
  }

  /** True when some layer has an L1/L2 penalty. */
  get penalized(): boolean {
    return this.groups.some((g) => g.l1 > 0 || g.l2 > 0);
  }

  dispose(): void {
    for (const v of this.allVariables()) v.dispose();
  }

  private activation(h: Tensor, name: ActivationName, alpha: number, group: string, options: ForwardOptions): Tensor {
    const out = activate(this.tf, name, h, alpha);
    if (name === 'relu' && options.reluMaxima) options.reluMaxima.push({ group, max: this.tf.keep(this.tf.max(out, 0)) });
    return out;
  }
}
