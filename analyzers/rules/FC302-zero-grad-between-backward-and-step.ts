import type { Rule, RuleHit } from './rule.js';

/** zero_grad() between backward() and step(): the step sees no gradient. */
export const zeroGradBetweenBackwardAndStep: Rule = {
  code: 'FC302',
  name: 'zero-grad-between-backward-and-step',
  severity: 'error',
  summary: 'zero_grad() is called after backward() and before step().',
  frameworks: ['pytorch'],
  fixable: false,
  lesson: '`step()` uses the gradients in `.grad`. Clearing them between `backward()` and `step()` leaves nothing to apply, so the parameters do not move and training error stays high.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loop of facts.trainingLoops) {
      const events = loop.events;
      events.forEach((event, i) => {
        if (event.kind !== 'step') return;
        // The nearest backward before this step; any zero_grad after it wipes what the step needs.
        let j = i - 1;
        while (j >= 0 && events[j]!.kind !== 'backward' && events[j]!.kind !== 'step') j--;
        if (j < 0 || events[j]!.kind !== 'backward') return;
        for (let k = j + 1; k < i; k++) {
          const zero = events[k]!;
          if (zero.kind !== 'zero_grad') continue;
          hits.push({
            span: zero.span,
            message: 'zero_grad() runs after backward() and before step(): it wipes the gradients the step was about to use, ' +
              'so the parameters never move and the model never learns. Call zero_grad() before the forward pass (or after step()).',
            related: [
              { span: events[j]!.span, message: 'gradients computed here' },
              { span: event.span, message: 'and needed here' },
            ],
          });
        }
      });
    }
    return hits;
  },
};
