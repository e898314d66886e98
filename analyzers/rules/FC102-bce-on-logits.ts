import type { Rule } from './rule.js';
import { modelsOfLoss, outputActivation } from './model-queries.js';

/** BCELoss on raw model outputs. */
export const bceOnLogits: Rule = {
  code: 'FC102',
  name: 'bce-on-logits',
  severity: 'error',
  summary: 'BCELoss on model outputs that never went through a sigmoid.',
  frameworks: ['pytorch'],
  fixable: true,
  lesson: 'Binary cross entropy is defined on probabilities. `BCELoss` on raw scores is out of its domain (PyTorch raises once a value leaves [0, 1]); `BCEWithLogitsLoss` takes the raw scores and computes sigmoid + log together, stably. Use `nn.BCEWithLogitsLoss` (or `F.binary_cross_entropy_with_logits`) on the raw outputs: it folds the sigmoid in with the log-sum-exp trick.',
  check(facts) {
    const hits = [];
    for (const loss of facts.losses) {
      if (loss.framework !== 'pytorch' || loss.family !== 'binary-cross-entropy' || loss.expects !== 'probabilities') continue;
      for (const model of modelsOfLoss(loss, facts)) {
        const out = outputActivation(model);
        if (out.activation === 'unknown' || out.activation === 'sigmoid' || out.activation === 'softmax' || out.activation === 'hard_sigmoid') continue;
        hits.push({
          span: loss.span,
          message: `${loss.api} expects probabilities in [0, 1], but ${model.name} outputs ${out.activation === 'none' ? 'raw logits' : `${out.activation} values`}.`,
          related: out.layer ? [{ span: out.layer.span, message: 'the model output comes from here' }] : [],
          fixes: loss.nameToken ? [{
            title: `Use ${loss.api.startsWith('F.') ? 'F.binary_cross_entropy_with_logits' : 'nn.BCEWithLogitsLoss'}`,
            edits: [{ span: loss.nameToken, newText: loss.api.startsWith('F.') ? 'binary_cross_entropy_with_logits' : 'BCEWithLogitsLoss' }],
          }] : [],
        });
      }
    }
    return hits;
  },
};
