import type { Rule, RuleHit } from './rule.js';
import { trains, updatesParameters } from './loop-queries.js';

/** Gradients computed but never applied, or applied before they exist. */
export const backwardWithoutStep: Rule = {
  code: 'FC303',
  name: 'backward-without-step',
  severity: 'error',
  summary: 'backward() in a training loop with no optimizer step(), or step() before backward().',
  frameworks: ['pytorch'],
  fixable: false,
  lesson: 'Gradient descent is θ¹ = θ⁰ − η∇L(θ⁰): `backward()` computes ∇L, `step()` applies it. Without the step (or with it before the gradient exists) the model does not learn from this batch. Call `optimizer.step()` after `backward()`: order each iteration as `zero_grad()`, forward, loss, `backward()`, `step()`.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loop of facts.trainingLoops) {
      // A test's loop checks gradients (their values, accumulation across calls); it does not train.
      if (loop.inTest) continue;
      // One pass, no lists: every loop of a big file is checked on every keystroke.
      let firstBackward = -1;
      let firstStep = -1;
      let lastStep = -1;
      loop.events.forEach((e, i) => {
        if (e.kind === 'backward' && firstBackward < 0) firstBackward = i;
        if (e.kind === 'step') {
          if (firstStep < 0) firstStep = i;
          lastStep = i;
        }
      });
      if (firstStep < 0) {
        // Inner loops may accumulate gradients for a step in the outer loop; judge the outermost one.
        // Hand-written updates (`p -= lr * p.grad`) are steps; a loop after the gradients themselves is not training.
        if (!loop.outermost || updatesParameters(loop) || !trains(loop, facts)) continue;
        hits.push({
          span: loop.events[firstBackward]!.span,
          message: 'backward() computes gradients, but this loop never calls optimizer.step(), so the parameters never change.',
          related: [{ span: loop.span, message: 'the training loop' }],
        });
        continue;
      }
      if (lastStep < firstBackward) {
        hits.push({
          span: loop.events[firstStep]!.span,
          message: 'optimizer.step() runs before backward() in this loop, so each step applies the previous iteration\'s gradients.',
          related: [{ span: loop.events[firstBackward]!.span, message: 'gradients are computed only here' }],
        });
      }
    }
    return hits;
  },
};
