import type { Rule, RuleHit } from './rule.js';

/** A training loop that steps the optimizer but never clears the gradients. */
export const missingZeroGrad: Rule = {
  code: 'FC301',
  name: 'missing-zero-grad',
  severity: 'error',
  summary: 'A training loop calls backward() and step() but never zero_grad().',
  // Not tfjs: `optimizer.minimize()` computes fresh gradients each call, so there is nothing to zero.
  frameworks: ['pytorch'],
  fixable: true,
  local: true,
  lesson: "PyTorch accumulates gradients: each `backward()` adds into `.grad`. The optimizer's `step()` uses whatever is there, so without `zero_grad()` each update is the sum of every past gradient (the canonical loop: `optimizer.zero_grad()`, `loss.backward()`, `optimizer.step()`).",
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loop of facts.trainingLoops) {
      // A test's loop may accumulate on purpose (checking gradient accumulation); it does not train.
      if (loop.inTest) continue;
      // Every loop of a big file is checked on every keystroke: no list or set per loop.
      if (!loop.events.some((e) => e.kind === 'step') || loop.events.some((e) => e.kind === 'zero_grad')) continue;
      // Distributed autograd: gradients live in a context made fresh for each backward.
      if (loop.events.every((e) => e.kind !== 'backward' || e.freshGradients)) continue;
      const backward = loop.events.find((e) => e.kind === 'backward')!;
      // scaler.step(optimizer) steps the optimizer: it is the one to zero, not the GradScaler.
      const stepEvent = loop.events.find((e) => e.kind === 'step' && (e.optimizer ?? e.receiver));
      const optimizer = stepEvent?.optimizer ?? stepEvent?.receiver;
      const at = backward.statement;
      hits.push({
        span: backward.span,
        message: 'This training loop never calls zero_grad(), so each step() applies the sum of all past gradients.',
        related: [{ span: loop.span, message: 'the training loop' }],
        fixes: optimizer && at ? [{
          title: `Call ${optimizer}.zero_grad() before backward()`,
          edits: [{ span: { start: { line: at.line, character: 0 }, end: { line: at.line, character: 0 } }, newText: `${at.indent}${optimizer}.zero_grad()\n` }],
        }] : [],
      });
    }
    return hits;
  },
};
