import type { Rule, RuleHit } from './rule.js';

/** A misspelt `requires_grad` sets a new attribute and freezes nothing. */
export const misspeltRequiresGrad: Rule = {
  code: 'FC309',
  name: 'misspelt-requires-grad',
  severity: 'warning',
  summary: 'An assignment to a misspelt requires_grad (require_grad, requires_gard) freezes nothing.',
  frameworks: ['pytorch'],
  fixable: true,
  local: true,
  ownFileOnly: true,
  lesson: 'Freezing layers (transfer learning: keep the pretrained feature extractor, train only the new head) works by setting `requires_grad = False` on their parameters, so backpropagation computes no gradient for them and the optimizer leaves them alone. A tensor accepts any attribute, so `p.require_grad = False` silently stores a new, unused attribute: every layer keeps training, the pretrained features drift, and the run is slower. Spell it `requires_grad`.',
  check(facts) {
    return facts.misspeltRequiresGrad.map(({ span, written, fix }): RuleHit => ({
      span,
      message: `${written} is not requires_grad: a tensor stores the misspelt attribute and ignores it, so nothing is frozen.`,
      fixes: [{ title: 'Rename it to requires_grad', edits: [fix] }],
    }));
  },
};
