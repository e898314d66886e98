import type { Rule, RuleHit } from './rule.js';

/** `scheduler.step()` before the first `optimizer.step()`: the first learning rate is skipped. */
export const schedulerStepOrder: Rule = {
  code: 'FC307',
  name: 'scheduler-step-order',
  severity: 'warning',
  summary: 'scheduler.step() runs before optimizer.step() in the loop.',
  frameworks: ['pytorch'],
  fixable: false,
  local: true,
  lesson: 'A learning-rate schedule is defined per epoch (or step) of training. Calling scheduler.step() before optimizer.step() advances the schedule before the first update, so the initial learning rate is never used and the whole schedule is shifted by one (PyTorch warns about this since 1.1). Call `scheduler.step()` after `optimizer.step()` (once per epoch for epoch-based schedules).',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loop of facts.trainingLoops) {
      const firstScheduler = loop.events.findIndex((e) => e.kind === 'scheduler_step');
      const firstStep = loop.events.findIndex((e) => e.kind === 'step');
      if (firstScheduler < 0 || firstStep < 0 || firstScheduler > firstStep) continue;
      hits.push({
        span: loop.events[firstScheduler]!.span,
        message: 'scheduler.step() runs before optimizer.step() in this loop, so the initial learning rate is skipped.',
        related: [{ span: loop.events[firstStep]!.span, message: 'the optimizer step' }],
      });
    }
    return hits;
  },
};
