import type { Rule, RuleHit } from './rule.js';

/** backward() where autograd is off. */
export const backwardUnderNoGrad: Rule = {
  code: 'FC308',
  name: 'backward-under-no-grad',
  severity: 'error',
  summary: 'backward() is called inside torch.no_grad() or torch.inference_mode().',
  frameworks: ['pytorch'],
  fixable: false,
  local: true,
  lesson: 'Under torch.no_grad() autograd records no graph, so the loss has no grad_fn: backward() raises "element 0 of tensors does not require grad", or, if part of the graph was built outside, computes gradients for only part of the model. Compute the loss and call `backward()` outside the `no_grad` block.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loop of facts.trainingLoops) {
      loop.events.forEach((event, i) => {
        if (event.kind !== 'backward' || !event.noGrad) return;
        // A loss computed before the block still has its graph; the bug is the forward pass under no_grad too.
        const lossUnderNoGrad = loop.events.slice(0, i).some((e) => (e.kind === 'forward' || e.kind === 'loss') && e.noGrad);
        if (!lossUnderNoGrad) return;
        hits.push({
          span: event.span,
          message: 'backward() runs inside torch.no_grad()/inference_mode(), where no graph was recorded to backpropagate.',
        });
      });
    }
    return hits;
  },
};
