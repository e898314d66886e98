import type { Rule, RuleHit } from './rule.js';

/** Weight decay so strong it dominates the loss (or negative). */
export const weightDecayExtreme: Rule = {
  code: 'FC408',
  name: 'weight-decay-extreme',
  severity: 'warning',
  summary: 'Weight decay above 0.1 (warning) or negative (error).',
  // Not tfjs: its optimizers have no weight decay (L2 is a layer regularizer there).
  frameworks: ['pytorch', 'keras', 'runspec'],
  fixable: false,
  local: true,
  lesson: 'Weight decay multiplies every weight by (1 − ηλ) each step: the L2 penalty λ/2·‖θ‖² pulls weights towards 0. A large λ dominates the data loss and the model underfits (high bias); a negative λ pushes weights away from 0 and makes them grow without bound. Typical values are 1e-5 to 1e-2 (AdamW often 0.01–0.1); a negative value should become a small positive one (1e-4 to 1e-2).',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const optimizer of facts.optimizers) {
      const wd = optimizer.weightDecay;
      if (wd === undefined) continue;
      const span = optimizer.weightDecaySpan ?? optimizer.span;
      if (wd < 0) {
        hits.push({ span, severity: 'error', message: `weight_decay=${wd} is negative, so it makes the weights grow every step; use 1e-4 to 1e-2.` });
      } else if (wd > 0.1) {
        hits.push({ span, message: `weight_decay=${wd} is so strong that the L2 penalty outweighs the data loss and the model underfits.` });
      }
    }
    return hits;
  },
};
