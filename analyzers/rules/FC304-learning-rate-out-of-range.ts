import type { OptimizerFact } from '../facts.js';
import type { Rule, RuleHit } from './rule.js';

/** Sane learning-rate ranges per optimizer family: [low, high]. */
const RANGES: Record<string, [number, number]> = {
  // Fine-tuning large models legitimately goes down to ~5e-7, so the floor is 1e-7.
  adam: [1e-7, 0.01], adamw: [1e-7, 0.01], rmsprop: [1e-7, 0.01], adagrad: [1e-7, 0.1], sgd: [1e-7, 1],
};

/**
 * Plain SGD on a recurrent network with clipped gradients is the classic language-model recipe
 * (lr 20 with clipping 0.25 in PyTorch's word_language_model, 30 in AWD-LSTM): the clip bounds each
 * step, so the learning rate sets only the direction's scale. Up to this rate it is known-good.
 */
const CLIPPED_RNN_SGD_CEILING = 50;

/** A learning rate far outside what the optimizer family trains with. */
export const learningRateOutOfRange: Rule = {
  code: 'FC304',
  name: 'learning-rate-out-of-range',
  severity: 'warning',
  summary: 'A learning rate outside the usual range of its optimizer (≤ 0 is an error).',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: false,
  lesson: 'Gradient descent moves θ by η∇L. Too large an η overshoots the minimum and the loss oscillates or diverges; too small an η barely moves, and training error stays high (it looks like high bias). Adaptive optimizers (Adagrad, RMSprop, Adam) divide by the gradient\'s running magnitude, so their useful η is much smaller than plain SGD\'s. Typical values: SGD 0.01–0.1 (with momentum 0.9), Adagrad 0.001–0.05, Adam, AdamW and RMSprop 1e-4–3e-3 (Adam\'s default is 1e-3).',
  check(facts) {
    const hits: RuleHit[] = [];
    const recurrent = facts.models.some((m) => m.layers.some((l) => l.kind === 'recurrent'));
    for (const optimizer of facts.optimizers) {
      if (optimizer.lr === undefined) continue;
      const span = optimizer.lrSpan ?? optimizer.span;
      const lr = optimizer.lr;
      if (lr <= 0) {
        hits.push({ span, severity: 'error', message: `${optimizer.api} with lr=${lr}: a learning rate must be positive, or the parameters never move (or climb).` });
        continue;
      }
      const range = RANGES[optimizer.family];
      if (!range) continue;
      if (lr > range[1] && optimizer.family === 'sgd' && recurrent && lr <= CLIPPED_RNN_SGD_CEILING) {
        const clipped = optimizer.clipping || facts.gradientClipping.length > 0;
        if (!clipped) hits.push({ span, message: `${optimizer.api} with lr=${lr} is safe for an RNN only with gradient clipping (clip_grad_norm_); add it or try 0.01–0.1.` });
      } else if (lr > range[1]) hits.push({ span, message: tooHigh(optimizer, lr, range) });
      else if (lr < range[0]) hits.push({ span, message: `${optimizer.api} with lr=${lr} is below ${range[0]}, so training barely moves; try ${typical(optimizer.family)}.` });
    }
    return hits;
  },
};

function tooHigh(optimizer: OptimizerFact, lr: number, range: [number, number]): string {
  return `${optimizer.api} with lr=${lr} is above ${range[1]}, the usual ceiling for ${optimizer.family}, so steps overshoot; try ${typical(optimizer.family)}.`;
}

function typical(family: string): string {
  return family === 'sgd' ? '0.01–0.1' : family === 'adagrad' ? '0.001–0.05' : '1e-4–3e-3';
}
