import type { Rule } from './rule.js';

/** Summing loss tensors keeps every step's graph alive. */
export const lossAccumulatedAsTensor: Rule = {
  code: 'FC504',
  name: 'loss-accumulated-as-tensor',
  severity: 'warning',
  summary: 'A loss tensor is accumulated without .item() or .detach().',
  frameworks: ['pytorch'],
  fixable: true,
  local: true,
  lesson: "A loss tensor carries its autograd graph. Summing the tensors (instead of `.item()`) keeps every step's graph alive, so memory grows with each iteration until the run fails. Accumulate `loss.item()` (or `loss.detach()`) instead.",
  check(facts) {
    return facts.tensorAccumulations.map((acc) => ({
      span: acc.span,
      message: `Accumulating the tensor \`${acc.variable}\` keeps every iteration's autograd graph alive, so memory grows.`,
      fixes: [{ title: `Use ${acc.variable}.item()`, edits: [{ span: acc.variableSpan, newText: `${acc.variable}.item()` }] }],
    }));
  },
};
