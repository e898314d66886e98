import type { Rule, RuleHit } from './rule.js';
import { modelsOfLoss, outputActivation } from './model-queries.js';

const NOT_FOR_LOGITS = new Set(['relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'softplus', 'tanh']);

/** A hidden-layer activation left on the last layer, before a loss that wants raw logits. */
export const activationOnLogits: Rule = {
  code: 'FC106',
  name: 'activation-on-logits',
  severity: 'warning',
  summary: 'A ReLU-like or tanh activation on the last layer, before a loss that expects logits.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: true,
  lesson: 'Logits must be free to take any real value: a large negative score is how the model says "surely not this class". ReLU clips every negative score to 0 (and those units stop receiving gradient), tanh caps scores at ±1, so the loss cannot become small. Remove the activation from the last layer.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loss of facts.losses) {
      if (loss.expects !== 'logits') continue;
      for (const model of modelsOfLoss(loss, facts)) {
        const out = outputActivation(model);
        if (!out.layer || !NOT_FOR_LOGITS.has(out.activation)) continue;
        hits.push({
          span: out.layer.span,
          message: `${loss.api} expects raw logits, but ${model.name} ends in ${out.layer.api}.`,
          related: [{ span: loss.span, message: `${loss.api} expects logits` }],
          fixes: out.layer.removal ? [{ title: `Remove ${out.layer.api} from the output`, edits: out.layer.removal }] : [],
        });
      }
    }
    return hits;
  },
};
