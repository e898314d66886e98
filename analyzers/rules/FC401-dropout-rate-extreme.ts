import type { Rule, RuleHit } from './rule.js';

/** Dropout that throws away most (or all) of the signal. */
export const dropoutRateExtreme: Rule = {
  code: 'FC401',
  name: 'dropout-rate-extreme',
  severity: 'warning',
  summary: 'Dropout probability above 0.5 (warning), or at least 1 or negative (error).',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: false,
  local: true,
  lesson: "Dropout randomly freezes some nodes to fight overfitting. `p` is the fraction dropped: above 0.5 most of the signal is discarded and the network underfits (high bias); p ≥ 1 drops everything. A negative p is invalid. Typical values are 0.1–0.5.",
  check(facts) {
    const hits: RuleHit[] = [];
    for (const model of facts.models) {
      for (const layer of model.layers) {
        if (layer.kind !== 'dropout' || layer.rate === undefined) continue;
        const p = layer.rate;
        const span = layer.span;
        if (p >= 1 || p < 0) {
          hits.push({
            span, severity: 'error',
            message: `${layer.api} with p=${p}: the fraction of units dropped must be in [0, 1)${p >= 1 ? ', and p=1 zeroes every activation' : ''}.`,
          });
        } else if (p > 0.5) {
          hits.push({
            span,
            message: `${layer.api} drops ${Math.round(p * 100)}% of the units (p is not the keep probability), so the network underfits.`,
          });
        }
      }
    }
    return hits;
  },
};
