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
      const backwards = loop.events.filter((e) => e.kind === 'backward');
      const steps = loop.events.filter((e) => e.kind === 'step');
      if (steps.length === 0) {
        // Inner loops may accumulate gradients for a step in the outer loop; judge the outermost one.
        // Hand-written updates (`p -= lr * p.grad`) are steps; a loop after the gradients themselves is not training.
        if (!loop.outermost || updatesParameters(loop) || !trains(loop, facts)) continue;
        hits.push({
          span: backwards[0]!.span,
          message: 'backward() computes gradients, but this loop never calls optimizer.step(), so the parameters never change.',
          related: [{ span: loop.span, message: 'the training loop' }],
        });
        continue;
      }
      const lastStep = loop.events.lastIndexOf(steps[steps.length - 1]!);
      const firstBackward = loop.events.indexOf(backwards[0]!);
      if (lastStep < firstBackward) {
        hits.push({
          span: steps[0]!.span,
          message: 'optimizer.step() runs before backward() in this loop, so each step applies the previous iteration\'s gradients.',
          related: [{ span: backwards[0]!.span, message: 'gradients are computed only here' }],
        });
      }
    }
    return hits;
  },
};
