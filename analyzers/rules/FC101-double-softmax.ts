import type { Rule } from './rule.js';
import { modelsOfLoss, outputActivation } from './model-queries.js';

/** Softmax (or log-softmax) output fed to a loss that applies log-softmax itself. */
export const doubleSoftmax: Rule = {
  code: 'FC101',
  name: 'double-softmax',
  severity: 'error',
  summary: 'Softmax output fed to a cross-entropy loss that expects logits.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: true,
  lesson: "Rule of thumb: *when using a softmax output layer, choose cross entropy* — but PyTorch's `CrossEntropyLoss` (and Keras with `from_logits=True`) already contains the softmax. Applying it twice squashes the outputs into a narrow band, the loss can never reach zero and the gradients shrink. Remove the softmax and return raw logits (apply softmax only when you need probabilities at inference), or in Keras compile with from_logits=False. Log-softmax twice is redundant too: return raw logits, or keep LogSoftmax and use NLLLoss.",
  check(facts) {
    const hits = [];
    for (const loss of facts.losses) {
      if (loss.family !== 'cross-entropy' || loss.expects !== 'logits') continue;
      for (const model of modelsOfLoss(loss, facts)) {
        const out = outputActivation(model);
        if (!out.layer || (out.activation !== 'softmax' && out.activation !== 'log_softmax')) continue;
        const related = [{ span: loss.span, message: `${loss.api} applies log-softmax itself` }];
        const fixes = out.layer.removal ? [{ title: `Remove ${out.layer.api} (return logits)`, edits: out.layer.removal }] : [];
        if (out.activation === 'log_softmax') {
          hits.push({
            span: out.layer.span,
            severity: 'warning' as const,
            message: `${out.layer.api} feeds ${loss.api}, which applies log-softmax again.`,
            related,
            fixes,
          });
        } else {
          hits.push({
            span: out.layer.span,
            message: `${out.layer.api} feeds ${loss.api}, which applies softmax again.`,
            related,
            fixes,
          });
        }
      }
    }
    return hits;
  },
};
