/**
 * Remedies chosen from the root cause, as a table: each cause lists its remedies in order, each
 * remedy names the knobs it turns, and two remedies that turn one knob opposite ways are never
 * shown together — the one from the deeper cause wins (deep-learning-training-tips, sections 1–6).
 */
import type { InsightKind, Regime } from './events.js';

/** A knob a remedy turns; `CONFLICTS` pairs the ones that contradict each other. */
export type Lever =
  | 'lr-up' | 'lr-down'
  | 'capacity-up' | 'capacity-down'
  | 'regularize-more' | 'regularize-less'
  | 'train-longer' | 'stop-earlier'
  /** Accept a higher error: the target itself is out of reach. */
  | 'accept-error';

const CONFLICTS: readonly (readonly [Lever, Lever])[] = [
  ['lr-up', 'lr-down'],
  ['capacity-up', 'capacity-down'],
  ['regularize-more', 'regularize-less'],
  ['train-longer', 'stop-earlier'],
  ['accept-error', 'capacity-up'],
  ['accept-error', 'train-longer'],
];

/** True when turning lever a contradicts turning lever b. */
export function conflicts(a: Lever, b: Lever): boolean {
  return CONFLICTS.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

export interface Remedy {
  text: string;
  levers: readonly Lever[];
  /** A cause that makes this remedy moot when it is open (checking for vanishing gradients once they are found). */
  mootWhen?: Cause;
}

/** Every cause a remedy can come from: the regimes, the insight kinds. */
export type Cause = Regime | InsightKind;

const r = (text: string, ...levers: Lever[]): Remedy => ({ text, levers });

/** The remedies of each cause, most useful first. */
export const REMEDY_TABLE: Readonly<Record<Cause, readonly Remedy[]>> = {
  'high-bias': [
    r('Use a more complex model: more units or more layers.', 'capacity-up'),
    r('Add features (for example polynomial features of a higher degree).', 'capacity-up'),
    r('Train longer, or with a better optimizer (Adam adapts the step per parameter).', 'train-longer'),
    r('Weaken regularization (smaller L1/L2, less dropout) if the model is regularized.', 'regularize-less'),
  ],
  'high-variance': [
    r('Add more training data, or augment the data you have.'),
    r('Regularize: an L2 (weight decay) or L1 penalty, or dropout.', 'regularize-more'),
    r('Stop early, at the epoch with the lowest validation loss.', 'stop-earlier'),
    r('Reduce model complexity: fewer units, layers or features.', 'capacity-down'),
  ],
  'high-bias-and-variance': [
    r('Fix the bias first: a better-suited model or more features, then check the gap again.', 'capacity-up'),
    r('Then reduce the variance with more data or augmentation.'),
  ],
  'good-fit': [],
  'vanishing-gradients': [
    r('Use ReLU-family activations (relu, leaky-relu, elu) in the hidden layers instead of sigmoid or tanh.'),
    r('Add batch normalization before the activations.'),
    r('Add residual (skip) connections, or use fewer layers.', 'capacity-down'),
    r('Initialize the weights for the activation: He for ReLU, Glorot for tanh and sigmoid.'),
  ],
  'exploding-gradients': [
    r('Clip gradients by norm (training.gradientClip.norm, like torch.nn.utils.clip_grad_norm_).'),
    r('Lower the learning rate.', 'lr-down'),
    r('Add batch normalization, or start from smaller weights (Glorot/He initialization).'),
  ],
  'non-finite': [
    r('Lower the learning rate and clip gradients by norm.', 'lr-down'),
    r('Check the data for NaN, infinite or huge values, and normalize the inputs.'),
    r('Compute cross-entropy from logits (fromLogits: true with a linear output) for numerical stability.'),
  ],
  divergence: [
    r('Lower the learning rate (a factor of 3 to 10).', 'lr-down'),
    r('Clip gradients by norm, or use a learning-rate schedule that decays.'),
  ],
  plateau: [
    r('Raise the learning rate, or switch to an adaptive optimizer (Adam, RMSprop).', 'lr-up'),
    { ...r('Check the per-layer gradient norms for vanishing gradients.'), mootWhen: 'vanishing-gradients' },
  ],
  oscillation: [
    r('Lower the learning rate, or decay it with a schedule.', 'lr-down'),
    r('Use a larger batch, momentum, or Adam to smooth the steps.'),
  ],
  'overfitting-onset': [
    r('Stop early at the best epoch (training.earlyStopping with restoreBest).', 'stop-earlier'),
    r('Regularize: L2 (weight decay), L1 or dropout.', 'regularize-more'),
    r('Add more training data, or augment it.'),
  ],
  'dying-relu': [
    r('Use leaky-relu or elu, which keep a gradient for negative inputs.'),
    r('Lower the learning rate; use He initialization or batch normalization.', 'lr-down'),
  ],
  'class-imbalance': [
    r('Weight the loss by class (loss.classWeights: "balanced", or class_weight / pos_weight in your framework).'),
    r('Judge the run by a balanced metric (balanced error, per-class recall), not plain accuracy.'),
    r('Resample: oversample the rare classes or undersample the common one.'),
  ],
  'unreachable-epsilon': [
    r('Raise ε to at least the noise floor: no model can do better than the noise in the labels allows.', 'accept-error'),
    r('Or reduce the noise itself: cleaner labels, or features that explain more of the target.'),
  ],
};

/**
 * Which cause is closer to the root, lowest first: a broken run before its symptoms, gradient
 * flow before capacity, the data's limits before the model's, then the regime (a stalled loss in
 * a model too simple for the data is the bias, not the learning rate).
 */
export const CAUSE_PRIORITY: readonly Cause[] = [
  'non-finite', 'divergence', 'exploding-gradients', 'vanishing-gradients', 'dying-relu',
  'unreachable-epsilon', 'class-imbalance', 'oscillation',
  'high-bias-and-variance', 'high-bias', 'overfitting-onset', 'high-variance', 'plateau', 'good-fit',
];

/** A remedy with the cause it answers. */
export interface ChosenRemedy extends Remedy {
  cause: Cause;
}

/** At most this many remedies in a diagnosis: the root cause's, then the next; more would bury them. */
export const MAX_REMEDIES = 6;

/**
 * The remedies for a set of open causes: root causes first, each cause's remedies in table order,
 * skipping duplicates, moot ones, and any remedy that turns a knob the opposite way of one already
 * chosen; at most `limit`.
 */
export function chooseRemedies(causes: Iterable<Cause>, limit = Number.POSITIVE_INFINITY): ChosenRemedy[] {
  const open = new Set(causes);
  const chosen: ChosenRemedy[] = [];
  const turned = new Set<Lever>();
  for (const cause of CAUSE_PRIORITY) {
    if (!open.has(cause)) continue;
    for (const remedy of REMEDY_TABLE[cause]) {
      if (chosen.some((c) => c.text === remedy.text)) continue;
      if (remedy.mootWhen !== undefined && open.has(remedy.mootWhen)) continue;
      if (remedy.levers.some((l) => [...turned].some((t) => conflicts(l, t)))) continue;
      chosen.push({ ...remedy, cause });
      for (const l of remedy.levers) turned.add(l);
    }
  }
  return chosen.slice(0, limit);
}

/** The knobs a remedy (by its text) turns; none for a text not in the table. */
export function leversOf(text: string): readonly Lever[] {
  const base = baseText(text);
  for (const rows of Object.values(REMEDY_TABLE)) for (const row of rows) if (row.text === base) return row.levers;
  return [];
}

/** Pairs of remedies (by text) that turn one knob opposite ways; empty when they agree. */
export function contradictions(texts: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = leversOf(texts[i]!);
      const b = leversOf(texts[j]!);
      if (a.some((l) => b.some((m) => conflicts(l, m)))) out.push([texts[i]!, texts[j]!]);
    }
  }
  return out;
}

/** A cause's remedy texts, leaving out any that would contradict a remedy already shown. */
export function remediesBeside(cause: Cause, shown: readonly string[]): string[] {
  const turned = shown.flatMap((text) => leversOf(text));
  return REMEDY_TABLE[cause].filter((row) => !row.levers.some((l) => turned.some((m) => conflicts(l, m)))).map((row) => row.text);
}

/** Remedies with run-specific words ("Stop early at epoch 12 …") map back to their table row. */
function baseText(text: string): string {
  if (/^Stop early at epoch \d+ \(training\.earlyStopping/.test(text)) return REMEDY_TABLE['overfitting-onset'][0]!.text;
  if (/^Stop early, at epoch \d+/.test(text)) return REMEDY_TABLE['high-variance'][2]!.text;
  return text;
}

/** The remedy texts of one cause (table order), for an insight event. */
export function remedyTexts(cause: Cause): string[] {
  return REMEDY_TABLE[cause].map((row) => row.text);
}

/** True when the largest class has at least 3 times the examples of the smallest. */
export function isImbalanced(classCounts: readonly number[]): boolean {
  return imbalanceRatio(classCounts) >= 3;
}

/** Largest class count over the smallest non-empty one (1 for one class or none). */
export function imbalanceRatio(classCounts: readonly number[]): number {
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  let nonEmpty = 0;
  for (const c of classCounts) {
    if (!(c > 0)) continue;
    nonEmpty++;
    if (c > max) max = c;
    if (c < min) min = c;
  }
  return nonEmpty > 1 ? max / min : 1;
}
