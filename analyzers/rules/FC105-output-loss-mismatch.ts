import type { Rule, RuleHit } from './rule.js';
import { modelsOfLoss, outputActivation } from './model-queries.js';

/** An output activation and a loss that do not belong together. */
export const outputLossMismatch: Rule = {
  code: 'FC105',
  name: 'output-loss-mismatch',
  severity: 'warning',
  summary: 'The output activation does not match the loss (softmax with MSE/BCE, sigmoid with multi-class cross-entropy, linear with a probability loss).',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: false,
  lesson: 'Each loss expects a particular output: cross entropy for a softmax output layer (one class out of many), binary cross entropy for a sigmoid (independent yes/no), squared error for an unbounded regression output. Pairing them otherwise trains the model towards the wrong target or leaves the gradients tiny.',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loss of facts.losses) {
      for (const model of modelsOfLoss(loss, facts)) {
        const out = outputActivation(model);
        const why = mismatch(out.activation, loss.family, loss.expects, loss.framework);
        if (!why) continue;
        hits.push({
          span: loss.span,
          message: `${model.name} ends in ${out.activation === 'none' ? 'a linear layer (logits)' : out.activation}, but ${loss.api} ${why}`,
          related: out.layer ? [{ span: out.layer.span, message: 'the model output comes from here' }] : [],
        });
      }
    }
    return hits;
  },
};

function mismatch(activation: string, family: string, expects: string, framework: string): string | undefined {
  if (activation === 'softmax' && family === 'regression') {
    return 'is a regression loss: softmax squeezes the outputs into probabilities that sum to 1, which cannot match real-valued targets. Use a linear output for regression, or a cross-entropy loss for classification.';
  }
  if (activation === 'softmax' && family === 'binary-cross-entropy' && expects === 'probabilities') {
    return 'treats each output as an independent yes/no probability, while softmax makes them compete. Use a cross-entropy loss with softmax (one class of many), or sigmoid outputs with binary cross entropy (multi-label).';
  }
  // Sigmoid with NLLLoss is FC104's case.
  if (activation === 'sigmoid' && family === 'cross-entropy' && framework === 'tfjs' && expects === 'probabilities') {
    return 'is a multi-class loss that expects a probability distribution over competing classes, while sigmoid squashes each output independently into (0, 1), so the outputs do not sum to 1. Use activation: \'softmax\' on the last layer (or binaryCrossentropy for multi-label outputs).';
  }
  if (activation === 'sigmoid' && family === 'cross-entropy') {
    return 'is a multi-class loss that expects logits (or log-probabilities) of competing classes, while sigmoid squashes each output independently into (0, 1). Remove the sigmoid and let the loss apply the softmax.';
  }
  if (activation === 'none' && framework === 'keras' && expects === 'probabilities' && (family === 'cross-entropy' || family === 'binary-cross-entropy')) {
    return 'expects probabilities (from_logits=False), so the raw scores are clipped and the loss is wrong. Compile with from_logits=True, or add the softmax/sigmoid activation to the last layer.';
  }
  if (activation === 'none' && framework === 'tfjs' && expects === 'probabilities' && (family === 'cross-entropy' || family === 'binary-cross-entropy')) {
    return `expects probabilities, so the raw scores are clipped into [0, 1] and the loss is wrong. Add activation: '${family === 'cross-entropy' ? 'softmax' : 'sigmoid'}' to the last layer, or train on the logits with ${family === 'cross-entropy' ? 'tf.losses.softmaxCrossEntropy' : 'tf.losses.sigmoidCrossEntropy'}.`;
  }
  return undefined;
}
