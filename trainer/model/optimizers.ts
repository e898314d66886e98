/**
 * The seed's optimizers (section 3) written out, PyTorch's formulation: each returns the update
 * Δθ for a parameter, so the loop can apply it, decay the weights, and measure ‖Δθ‖ / ‖θ‖.
 */
import type { OptimizerSpec, ScheduleSpec } from '../spec/types.js';
import type { Tensor, Tf, Variable } from '../tf.js';

export interface Optimizer {
  /** The update for `variable` given its gradient, at learning rate `lr` and 1-based `step`. Call inside a tidy. */
  delta(variable: Variable, gradient: Tensor, lr: number, step: number): Tensor;
  dispose(): void;
}

/** Builds the optimizer a spec names. */
export function createOptimizer(tf: Tf, spec: OptimizerSpec): Optimizer {
  const slots = new Map<string, Variable[]>();
  const state = (v: Variable, count: number): Variable[] => {
    let s = slots.get(v.name);
    if (!s) {
      s = Array.from({ length: count }, () => tf.variable(tf.zerosLike(v), false));
      slots.set(v.name, s);
    }
    return s;
  };
  const dispose = () => { for (const s of slots.values()) for (const t of s) t.dispose(); slots.clear(); };
  const lrScalar = (lr: number) => tf.scalar(-lr);

  switch (spec.type) {
    case 'sgd':
      return {
        dispose,
        delta(v, g, lr) {
          if (spec.momentum === 0) return tf.mul(g, lrScalar(lr));
          const [buf] = state(v, 1) as [Variable];
          const next = tf.add(tf.mul(buf, tf.scalar(spec.momentum)), g);
          buf.assign(next);
          const direction = spec.nesterov ? tf.add(g, tf.mul(next, tf.scalar(spec.momentum))) : next;
          return tf.mul(direction, lrScalar(lr));
        },
      };
    case 'adagrad':
      return {
        dispose,
        delta(v, g, lr) {
          const [sum] = state(v, 1) as [Variable];
          const next = tf.add(sum, tf.square(g));
          sum.assign(next);
          return tf.mul(tf.div(g, tf.add(tf.sqrt(next), tf.scalar(spec.epsilon))), lrScalar(lr));
        },
      };
    case 'rmsprop':
      return {
        dispose,
        delta(v, g, lr) {
          const [square, buf] = state(v, 2) as [Variable, Variable];
          const next = tf.add(tf.mul(square, tf.scalar(spec.rho)), tf.mul(tf.square(g), tf.scalar(1 - spec.rho)));
          square.assign(next);
          const scaled = tf.div(g, tf.add(tf.sqrt(next), tf.scalar(spec.epsilon)));
          if (spec.momentum === 0) return tf.mul(scaled, lrScalar(lr));
          const moved = tf.add(tf.mul(buf, tf.scalar(spec.momentum)), scaled);
          buf.assign(moved);
          return tf.mul(moved, lrScalar(lr));
        },
      };
    case 'adam':
      return {
        dispose,
        delta(v, g, lr, step) {
          const [m, s] = state(v, 2) as [Variable, Variable];
          const nextM = tf.add(tf.mul(m, tf.scalar(spec.beta1)), tf.mul(g, tf.scalar(1 - spec.beta1)));
          const nextS = tf.add(tf.mul(s, tf.scalar(spec.beta2)), tf.mul(tf.square(g), tf.scalar(1 - spec.beta2)));
          m.assign(nextM);
          s.assign(nextS);
          // Bias correction folded into the step size, as in Kingma & Ba's algorithm 1.
          const correctedLr = lr * Math.sqrt(1 - spec.beta2 ** step) / (1 - spec.beta1 ** step);
          const epsHat = spec.epsilon * Math.sqrt(1 - spec.beta2 ** step);
          return tf.mul(tf.div(nextM, tf.add(tf.sqrt(nextS), tf.scalar(epsHat))), lrScalar(correctedLr));
        },
      };
  }
}

/**
 * The learning rate of a 1-based epoch under a schedule that depends on the epoch alone, out of
 * `epochs` planned. `reduce-on-plateau` depends on the losses: `PlateauScheduler` follows it.
 */
export function learningRateAt(base: number, schedule: ScheduleSpec | undefined, epoch: number, epochs = epoch): number {
  if (!schedule) return base;
  switch (schedule.type) {
    case 'step': return base * schedule.gamma ** Math.floor((epoch - 1) / schedule.stepSize);
    case 'exponential': return base * schedule.gamma ** (epoch - 1);
    case 'warmup': return warmup(base, schedule.warmupEpochs, epoch);
    case 'cosine': {
      if (epoch <= schedule.warmupEpochs) return warmup(base, schedule.warmupEpochs, epoch);
      // The decay runs over the epochs after the warm-up: its first epoch has the full rate, its last minLearningRate.
      const span = Math.max(1, epochs - schedule.warmupEpochs - 1);
      const t = Math.min(1, (epoch - schedule.warmupEpochs - 1) / span);
      return schedule.minLearningRate + (base - schedule.minLearningRate) * (1 + Math.cos(Math.PI * t)) / 2;
    }
    case 'reduce-on-plateau': return base;
  }
}

/** Linear warm-up: base·epoch/warmupEpochs for the first epochs, then base. */
function warmup(base: number, warmupEpochs: number, epoch: number): number {
  return warmupEpochs > 0 && epoch <= warmupEpochs ? (base * epoch) / warmupEpochs : base;
}

/**
 * ReduceLROnPlateau: the rate is multiplied by `factor` once the monitored loss has not improved by
 * a relative `minDelta` for `patience` epochs, then the count starts again (as PyTorch's does).
 */
export class PlateauScheduler {
  private best = Number.POSITIVE_INFINITY;
  private bad = 0;

  constructor(private rate: number, private readonly schedule: Extract<ScheduleSpec, { type: 'reduce-on-plateau' }>) {}

  /** The rate for the next epoch, after this epoch's monitored loss. */
  update(loss: number): number {
    if (Number.isFinite(loss) && loss < this.best * (1 - this.schedule.minDelta)) {
      this.best = loss;
      this.bad = 0;
    } else {
      this.bad += 1;
    }
    if (this.bad >= this.schedule.patience) {
      this.rate = Math.max(this.schedule.minLearningRate, this.rate * this.schedule.factor);
      this.bad = 0;
    }
    return this.rate;
  }

  /** The rate now. */
  get current(): number {
    return this.rate;
  }
}
