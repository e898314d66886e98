import type { Rule, RuleHit } from './rule.js';

/** An optimizer built inside the training loop loses its state every iteration. */
export const optimizerCreatedInLoop: Rule = {
  code: 'FC306',
  name: 'optimizer-created-in-loop',
  severity: 'error',
  summary: 'The optimizer is created inside the training loop.',
  frameworks: ['pytorch', 'tfjs'],
  fixable: false,
  local: true,
  lesson: 'Momentum, RMSprop and Adam keep running averages of past gradients (m_t, v_t) inside the optimizer. Creating the optimizer again each iteration resets them to zero, so every step is a cold first step: momentum never builds up and Adam\'s bias correction starts over. A learning-rate schedule attached to it starts over too. Create the optimizer once, before the loop.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loop of facts.trainingLoops) {
      // A loop that also builds a new model (folds, trials, restarts) rightly builds a new optimizer.
      if (loop.events.some((e) => e.kind === 'model_created')) continue;
      for (const event of loop.events) {
        if (event.kind !== 'optimizer_created') continue;
        hits.push({
          span: event.span,
          message: 'The optimizer is created inside the training loop, so its momentum and other state reset every iteration.',
          related: [{ span: loop.span, message: 'the training loop' }],
        });
      }
    }
    return hits;
  },
};
