import type { Rule } from './rule.js';

/** Validation or test loops that build autograd graphs nobody uses. */
export const evalWithoutNoGrad: Rule = {
  code: 'FC503',
  name: 'eval-without-no-grad',
  severity: 'warning',
  summary: 'A validation/test loop runs without torch.no_grad() or torch.inference_mode().',
  frameworks: ['pytorch'],
  fixable: true,
  lesson: 'Evaluation needs no gradients. With autograd on, every validation batch records a graph for a backward pass that never happens, costing memory and time. Wrap it in `with torch.no_grad():` (or `torch.inference_mode()`).',
  check(facts) {
    if (!facts.frameworks.includes('pytorch')) return [];
    return facts.evalLoops.filter((loop) => !loop.noGrad).map((loop) => ({
      span: loop.span,
      message: 'This evaluation loop runs with autograd on, so every forward pass records a graph that is never used.',
      fixes: loop.wrapFix ? [{ title: 'Wrap the loop in torch.no_grad()', edits: loop.wrapFix }] : [],
    }));
  },
};
