import type { Rule } from './rule.js';
import { modelsOfLoss, outputActivation } from './model-queries.js';

/** Sigmoid output fed to a loss that applies the sigmoid itself. */
export const doubleSigmoid: Rule = {
  code: 'FC103',
  name: 'double-sigmoid',
  severity: 'error',
  summary: 'Sigmoid output fed to BCEWithLogitsLoss, which applies a sigmoid itself.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: true,
  lesson: '`BCEWithLogitsLoss` applies the sigmoid itself. A second sigmoid maps every prediction into (0.5, 0.73): the model can never be confidently wrong or right, and the loss plateaus. Remove the sigmoid and pass raw logits.',
  check(facts) {
    const hits = [];
    for (const loss of facts.losses) {
      if (loss.family !== 'binary-cross-entropy' || loss.expects !== 'logits') continue;
      for (const model of modelsOfLoss(loss, facts)) {
        const out = outputActivation(model);
        if (!out.layer || out.activation !== 'sigmoid') continue;
        hits.push({
          span: out.layer.span,
          message: `${out.layer.api} feeds ${loss.api}, which applies a sigmoid again.`,
          related: [{ span: loss.span, message: `${loss.api} expects logits` }],
          fixes: out.layer.removal ? [{ title: `Remove ${out.layer.api} (return logits)`, edits: out.layer.removal }] : [],
        });
      }
    }
    return hits;
  },
};
