import { wilson } from '../../metrics/diagnosis/uncertainty.js';
import type { Rule, RuleHit } from './rule.js';

/** Half-width of the 95 % range of an error near ε measured on n examples. */
function rangeAtEpsilon(epsilon: number, n: number, task: 'regression' | 'classification'): number {
  if (task === 'classification') {
    const { low, high } = wilson(epsilon, n);
    return (high - low) / 2;
  }
  // A mean of n squared Gaussian residuals has relative standard error √(2/n).
  return 1.96 * Math.sqrt(2 / n) * epsilon;
}

const round = (x: number) => Number(x.toPrecision(2));

/** An experiment whose verdict cannot be reached: ε below the data's noise, or a validation set too small to tell. */
export const verdictOutOfReach: Rule = {
  code: 'FC409',
  name: 'verdict-out-of-reach',
  severity: 'warning',
  summary: 'The run spec cannot reach a bias/variance verdict: ε is below the noise floor or the validation set is too small.',
  frameworks: ['runspec'],
  fixable: false,
  lesson: 'The regimes compare errors with ε, and a measured error is only an estimate: on n examples it could move by about ±2·√(ε(1−ε)/n) on another sample. When that range is wider than half of ε the verdict stays "not yet decided", and when ε is below the error the labels\' own noise allows, no model can reach it and every run looks like high bias. Raise ε above the noise floor, or lower the label noise; for a verdict that stays undecided, generate a larger validation set (`validationSamples`) or raise ε.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const h of facts.heldOut ?? []) {
      if (h.noiseFloor !== undefined && h.epsilon < h.noiseFloor) {
        hits.push({
          span: h.epsilonSpan,
          message: `ε = ${h.epsilon} is below this data's noise floor (about ${round(h.noiseFloor)}), so every run will look like high bias.`,
        });
        continue;
      }
      if (h.examples <= 0) continue; // no validation set at all: FC405's lesson, and bias can still be judged
      const range = rangeAtEpsilon(h.epsilon, h.examples, h.task);
      if (range > h.epsilon / 2) {
        hits.push({
          span: h.span,
          severity: 'info',
          message: `With ${h.examples} validation examples an error near ε = ${h.epsilon} is only known to ±${round(range)}, too coarse for a verdict.`,
        });
      }
    }
    return hits;
  },
};
