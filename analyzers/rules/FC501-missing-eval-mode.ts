import type { Rule, RuleHit } from './rule.js';
import { hasModeDependentLayers, modelById } from './model-queries.js';

/** Evaluating a model with dropout/batch norm still in training mode. */
export const missingEvalMode: Rule = {
  code: 'FC501',
  name: 'missing-eval-mode',
  severity: 'warning',
  summary: 'A model with dropout or batch norm is evaluated without model.eval().',
  frameworks: ['pytorch'],
  fixable: true,
  lesson: 'Dropout and batch normalization behave differently at test time: dropout is switched off, and batch norm uses the moving averages of μ and σ computed during training (*we do not always have a batch at the testing stage*). Without `model.eval()` validation error is noisy and biased, so the bias/variance diagnosis is wrong. Call `model.eval()` before evaluating and `model.train()` before training again.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const forward of facts.evalForwards) {
      if (forward.mode !== 'train') continue;
      const model = modelById(facts, forward.modelId);
      if (!model || model.framework !== 'pytorch' || !hasModeDependentLayers(model)) continue;
      const layers = [...new Set(model.layers.filter((l) => l.kind === 'dropout' || l.norm === 'batch').map((l) => l.api))];
      hits.push({
        span: forward.span,
        message: `${model.name} is evaluated without model.eval(), so its ${layers.join(', ')} still ${layers.length > 1 ? 'behave' : 'behaves'} as in training.`,
        fixes: forward.evalFix ? [{ title: `Insert ${forward.evalFix.newText.trim()} before evaluating`, edits: [forward.evalFix] }] : [],
      });
    }
    return hits;
  },
};
