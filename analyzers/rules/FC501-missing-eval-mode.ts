import type { Rule, RuleHit } from './rule.js';
import { spanKey } from '../core/span.js';
import type { TrainingFacts } from '../facts.js';
import { hasModeDependentLayers, modelById } from './model-queries.js';

/** Evaluating a model with dropout/batch norm still in training mode. */
export const missingEvalMode: Rule = {
  code: 'FC501',
  name: 'missing-eval-mode',
  severity: 'warning',
  summary: 'A model with dropout or batch norm is evaluated without model.eval(), or F.dropout ignores model.eval().',
  frameworks: ['pytorch'],
  fixable: true,
  local: true,
  lesson: 'Dropout and batch normalization behave differently at test time: dropout is switched off, and batch norm uses the moving averages of μ and σ computed during training (*we do not always have a batch at the testing stage*). Without `model.eval()` validation error is noisy and biased, so the bias/variance diagnosis is wrong. Call `model.eval()` before evaluating and `model.train()` before training again. Functional `F.dropout(x, p)` does not look at the mode at all: its `training` argument defaults to True, so it keeps dropping units at evaluation even after `model.eval()`; pass `training=self.training`.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const forward of facts.evalForwards) {
      if (forward.mode !== 'train') continue;
      const model = modelById(facts, forward.modelId);
      if (!model || model.framework !== 'pytorch') continue;
      const fixes = forward.evalFix ? [{ title: `Insert ${forward.evalFix.newText.trim()} before evaluating`, edits: [forward.evalFix] }] : [];
      if (model.loaded) {
        hits.push({ span: forward.span, message: `${model.name}, loaded whole by torch.load, runs without eval(), so any dropout or batch norm in it acts as in training.`, fixes });
        continue;
      }
      if (!hasModeDependentLayers(model)) continue;
      const layers = [...new Set(model.layers.filter((l) => l.kind === 'dropout' || l.norm === 'batch').map((l) => l.api))];
      hits.push({
        span: forward.span,
        message: `${model.name} is evaluated without model.eval(), so its ${layers.join(', ')} still ${layers.length > 1 ? 'behave' : 'behaves'} as in training.`,
        fixes,
      });
    }
    hits.push(...alwaysOnDropouts(facts));
    return hits;
  },
};

/** Functional dropouts left at `training=True` by default: model.eval() cannot switch them off. */
function alwaysOnDropouts(facts: TrainingFacts): RuleHit[] {
  const hits: RuleHit[] = [];
  const seen = new Set<string>();
  for (const model of facts.models) {
    if (model.framework !== 'pytorch') continue;
    for (const layer of model.layers) {
      if (layer.fixedMode !== 'default-on' || seen.has(spanKey(layer.span))) continue;
      seen.add(spanKey(layer.span));
      hits.push({
        span: layer.span,
        message: `${layer.api} without training= defaults to training=True, so it drops units at evaluation even after model.eval().`,
        fixes: layer.modeEdit ? [{ title: 'Pass training=self.training', edits: [layer.modeEdit] }] : [],
      });
    }
  }
  return hits;
}
