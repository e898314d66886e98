/** The seed's remedies, worded for a run in progress (deep-learning-training-tips, sections 1–6). */
import type { InsightKind, Regime } from './events.js';

export const REGIME_REMEDIES: Readonly<Record<Regime, readonly string[]>> = {
  'high-bias': [
    'Use a more complex model: more units or more layers.',
    'Add features (for example polynomial features of a higher degree).',
    'Train longer, or with a better optimizer or learning rate (Adam adapts the step per parameter).',
    'Weaken regularization (smaller L1/L2, less dropout) if the model is regularized.',
  ],
  'high-variance': [
    'Add more training data.',
    'Reduce model complexity: fewer units, layers or features.',
    'Regularize: an L2 (weight decay) or L1 penalty, or dropout.',
    'Stop early, at the epoch with the lowest validation loss.',
  ],
  'high-bias-and-variance': [
    'Fix the bias first: a better-suited model or more features, then check the gap again.',
    'Then reduce the variance: more data, regularization (L2, dropout) or early stopping.',
  ],
  'good-fit': [],
};

export const INSIGHT_REMEDIES: Readonly<Record<InsightKind, readonly string[]>> = {
  'vanishing-gradients': [
    'Use ReLU-family activations (relu, leaky-relu, elu) in the hidden layers instead of sigmoid or tanh.',
    'Add batch normalization before the activations.',
    'Use fewer layers, or an initialization matched to the activation (He for ReLU, Glorot for tanh).',
  ],
  'exploding-gradients': [
    'Lower the learning rate.',
    'Clip gradients by norm (training.gradientClip.norm, like torch.nn.utils.clip_grad_norm_).',
    'Add batch normalization, or start from smaller weights (Glorot/He initialization).',
  ],
  'non-finite': [
    'Lower the learning rate and clip gradients by norm.',
    'Check the data for NaN, infinite or huge values, and normalize the inputs.',
    'Compute cross-entropy from logits (fromLogits: true with a linear output) for numerical stability.',
  ],
  divergence: [
    'Lower the learning rate (a factor of 3 to 10).',
    'Clip gradients by norm, or use a learning-rate schedule that decays.',
  ],
  plateau: [
    'Raise the learning rate, or switch to an adaptive optimizer (Adam, RMSprop).',
    'Use a larger model if the training error is stuck above ε.',
    'Check the per-layer gradient norms for vanishing gradients.',
  ],
  oscillation: [
    'Lower the learning rate, or decay it with a schedule.',
    'Use a larger batch, momentum, or Adam to smooth the steps.',
  ],
  'overfitting-onset': [
    'Stop early at the best epoch (training.earlyStopping with restoreBest).',
    'Regularize: L2 (weight decay), L1 or dropout.',
    'Add more training data.',
  ],
  'dying-relu': [
    'Use leaky-relu or elu, which keep a gradient for negative inputs.',
    'Lower the learning rate; use He initialization or batch normalization.',
  ],
};

/** A regime's remedies, with class weights added when the classes are imbalanced and the bias is high. */
export function remediesFor(regime: Regime, classCounts?: readonly number[], bestEpoch?: number): string[] {
  const out = [...REGIME_REMEDIES[regime]];
  if (regime !== 'good-fit' && regime !== 'high-variance' && classCounts && isImbalanced(classCounts)) {
    out.push('The classes are imbalanced: weight the loss by class (loss.classWeights: "balanced") or resample.');
  }
  if (bestEpoch !== undefined && regime === 'high-variance') {
    const i = out.findIndex((r) => r.startsWith('Stop early'));
    if (i >= 0) out[i] = `Stop early, at epoch ${bestEpoch} (lowest validation loss).`;
  }
  return out;
}

/** True when the largest class has at least 3 times the examples of the smallest. */
export function isImbalanced(classCounts: readonly number[]): boolean {
  const nonEmpty = classCounts.filter((c) => c > 0);
  return nonEmpty.length > 1 && nonEmpty.reduce((a, b) => Math.max(a, b)) >= 3 * nonEmpty.reduce((a, b) => Math.min(a, b));
}
