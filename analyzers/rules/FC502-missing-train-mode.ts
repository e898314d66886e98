import type { Rule, RuleHit } from './rule.js';
import { hasModeDependentLayers, modelById } from './model-queries.js';

/** model.eval() for validation, then the next epoch trains in eval mode. */
export const missingTrainMode: Rule = {
  code: 'FC502',
  name: 'missing-train-mode',
  severity: 'warning',
  summary: 'model.eval() in the epoch loop with no model.train() before the next training step.',
  frameworks: ['pytorch'],
  fixable: true,
  local: true,
  lesson: 'model.eval() switches dropout off and makes batch norm use its moving averages; it stays that way until model.train(). If the epoch loop validates with eval() and never switches back, every later epoch trains without dropout (losing its regularisation) and with frozen batch-norm statistics. Call `model.train()` at the start of each training epoch.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loop of facts.trainingLoops) {
      if (!loop.outermost) continue;
      const events = loop.events;
      events.forEach((event, i) => {
        if (event.kind !== 'eval_mode' || !event.target) return;
        const model = modelById(facts, event.target);
        if (!model || !hasModeDependentLayers(model)) return;
        // Walk forward through the rest of this iteration and into the next one.
        for (let k = 1; k < events.length; k++) {
          const next = events[(i + k) % events.length]!;
          if (next.target === event.target && next.kind === 'train_mode') return;
          if (next.target === event.target && next.kind === 'eval_mode') return;
          if (next.kind === 'backward') {
            hits.push({
              span: event.span,
              message: `${model.name} is switched to eval mode here, and the next training step runs without model.train().`,
              related: [{ span: next.span, message: 'the next training step' }],
              fixes: loop.bodyStart && event.receiver ? [{
                title: `Call ${event.receiver}.train() at the start of each epoch`,
                edits: [{ span: { start: { line: loop.bodyStart.line, character: 0 }, end: { line: loop.bodyStart.line, character: 0 } }, newText: `${loop.bodyStart.indent}${event.receiver}.train()\n` }],
              }] : [],
            });
            return;
          }
        }
      });
    }
    return hits;
  },
};
