import type { Fix } from '../core/findings.js';
import type { LoopEvent } from '../facts.js';
import type { Rule, RuleHit } from './rule.js';

/** zero_grad() between backward() and step(): the step sees no gradient. */
export const zeroGradBetweenBackwardAndStep: Rule = {
  code: 'FC302',
  name: 'zero-grad-between-backward-and-step',
  severity: 'error',
  summary: 'zero_grad() is called after backward() and before step().',
  frameworks: ['pytorch'],
  fixable: true,
  local: true,
  lesson: '`step()` uses the gradients in `.grad`. Clearing them between `backward()` and `step()` leaves nothing to apply, so the parameters do not move and training error stays high. Call `zero_grad()` before the forward pass (or after `step()`).',
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
            message: 'zero_grad() between backward() and step() wipes the gradients the step needs, so the model never learns.',
            related: [
              { span: events[j]!.span, message: 'gradients computed here' },
              { span: event.span, message: 'and needed here' },
            ],
            fixes: moveAfter(zero, event),
          });
        }
      });
    }
    return hits;
  },
};

/** Moves the zero_grad() statement to just after the step() statement. */
function moveAfter(zero: LoopEvent, step: LoopEvent): Fix[] {
  const from = zero.statement;
  const to = step.statement;
  if (!from || !to || !zero.receiver || from.line !== from.endLine) return [];
  const after = { line: to.endLine + 1, character: 0 };
  return [{
    title: `Move ${zero.receiver}.zero_grad() after step()`,
    edits: [
      { span: { start: { line: from.line, character: 0 }, end: { line: from.line + 1, character: 0 } }, newText: '' },
      { span: { start: after, end: after }, newText: `${to.indent}${zero.receiver}.zero_grad()\n` },
    ],
  }];
}
