import type { Rule, RuleHit } from './rule.js';

/** `Adam(weight_decay=...)`: L2 inside an adaptive step is not weight decay. */
export const adamWeightDecay: Rule = {
  code: 'FC305',
  name: 'adam-weight-decay',
  severity: 'warning',
  summary: 'Adam with weight_decay: use the decoupled AdamW.',
  frameworks: ['pytorch'],
  fixable: true,
  local: true,
  lesson: 'Weight decay shrinks every weight by (1 − ηλ) each step. Adam\'s `weight_decay` instead adds λw to the gradient, which is then divided by Adam\'s running gradient magnitude: weights with large gradients are barely regularised. AdamW applies the decay directly to the weights (decoupled), which is what regularisation intends. Use `torch.optim.AdamW`.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const optimizer of facts.optimizers) {
      if (optimizer.framework !== 'pytorch' || !/^optim\.Adam$|^torch\.optim\.Adam$/.test(optimizer.api) || !optimizer.weightDecay || optimizer.weightDecay <= 0) continue;
      hits.push({
        span: optimizer.span,
        message: `Adam rescales weight_decay=${optimizer.weightDecay} per parameter, so weights with large gradients barely decay; use AdamW.`,
        fixes: optimizer.nameToken ? [{ title: 'Use AdamW (decoupled weight decay)', edits: [{ span: optimizer.nameToken, newText: 'AdamW' }] }] : [],
      });
    }
    return hits;
  },
};
