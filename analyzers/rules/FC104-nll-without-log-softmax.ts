import type { Rule } from './rule.js';
import { modelsOfLoss, outputActivation } from './model-queries.js';

/** NLLLoss on outputs that are not log-probabilities. */
export const nllWithoutLogSoftmax: Rule = {
  code: 'FC104',
  name: 'nll-without-log-softmax',
  severity: 'error',
  summary: 'NLLLoss on outputs that are not log-probabilities.',
  frameworks: ['pytorch'],
  fixable: false,
  lesson: '`NLLLoss` only picks the value at the target index and negates it, so it assumes log-probabilities. On raw scores it is unbounded below; on softmax probabilities it optimises the wrong quantity. End the model with `log_softmax`, or use `CrossEntropyLoss` on the logits.',
  check(facts) {
    const hits = [];
    for (const loss of facts.losses) {
      if (loss.family !== 'nll') continue;
      for (const model of modelsOfLoss(loss, facts)) {
        const out = outputActivation(model);
        if (out.activation === 'unknown' || out.activation === 'log_softmax') continue;
        const what = out.activation === 'none' ? 'raw logits' : `${out.activation} outputs`;
        hits.push({
          span: loss.span,
          message: `${loss.api} expects log-probabilities, but ${model.name} returns ${what}, so the loss is unbounded below.`,
          related: out.layer ? [{ span: out.layer.span, message: 'the model output comes from here' }] : [],
        });
      }
    }
    return hits;
  },
};
