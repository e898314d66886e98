import type { Rule } from './rule.js';

/** Summing loss tensors keeps every step's graph alive. */
export const lossAccumulatedAsTensor: Rule = {
  code: 'FC504',
  name: 'loss-accumulated-as-tensor',
  severity: 'warning',
  summary: 'A loss tensor is accumulated without .item() or .detach().',
  frameworks: ['pytorch'],
  fixable: true,
  lesson: "A loss tensor carries its autograd graph. Summing the tensors (instead of `.item()`) keeps every step's graph alive, so memory grows with each iteration until the run fails.",
  check(facts) {
    return facts.tensorAccumulations.map((acc) => ({
      span: acc.span,
      message: `\`${acc.variable}\` is a tensor attached to the autograd graph; accumulating it keeps every iteration's graph ` +
        `alive, so memory grows step after step. Accumulate \`${acc.variable}.item()\` (or \`${acc.variable}.detach()\`) instead.`,
      fixes: [{ title: `Use ${acc.variable}.item()`, edits: [{ span: acc.variableSpan, newText: `${acc.variable}.item()` }] }],
    }));
  },
};
