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
  lesson: 'Each loss expects a particular output: cross entropy for a softmax output layer (one class out of many), binary cross entropy for a sigmoid (independent yes/no), squared error for an unbounded regression output. Pairing them otherwise trains the model towards the wrong target or leaves the gradients tiny.\n\n- Softmax with a regression loss: use a linear output for regression, or a cross-entropy loss for classification.\n- Softmax with binary cross entropy: use a cross-entropy loss with softmax (one class of many), or sigmoid outputs with binary cross entropy (multi-label).\n- Sigmoid with a multi-class cross entropy: sigmoid squashes each output independently into (0, 1), so remove it and let the loss apply the softmax (TensorFlow.js: `activation: \'softmax\'` on the last layer, or `binaryCrossentropy` for multi-label outputs).\n- Logits with a loss that expects probabilities: the raw scores are clipped. In Keras compile with `from_logits=True` or add the softmax/sigmoid activation to the last layer; in TensorFlow.js add `activation: \'softmax\'` (or `\'sigmoid\'`) to the last layer, or train on the logits with `tf.losses.softmaxCrossEntropy` (or `tf.losses.sigmoidCrossEntropy`).',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loss of facts.losses) {
      for (const model of modelsOfLoss(loss, facts)) {
        const out = outputActivation(model);
        const why = mismatch(out.activation, loss.family, loss.expects, loss.framework);
        if (!why) continue;
        hits.push({
          span: loss.span,
          message: `${model.name} ends in ${out.activation === 'none' ? 'logits' : out.activation}, but ${loss.api} ${why}`,
          related: out.layer ? [{ span: out.layer.span, message: 'the model output comes from here' }] : [],
        });
      }
    }
    return hits;
  },
};

function mismatch(activation: string, family: string, expects: string, framework: string): string | undefined {
  if (activation === 'softmax' && family === 'regression') {
    return 'is a regression loss that softmax outputs cannot fit.';
  }
  if (activation === 'softmax' && family === 'binary-cross-entropy' && expects === 'probabilities') {
    return 'treats outputs as independent probabilities, not competing ones.';
  }
  // Sigmoid with NLLLoss is FC104's case.
  if (activation === 'sigmoid' && family === 'cross-entropy' && framework === 'tfjs' && expects === 'probabilities') {
    return 'expects probabilities that sum to 1.';
  }
  if (activation === 'sigmoid' && family === 'cross-entropy') {
    return 'expects logits of competing classes, not sigmoid outputs.';
  }
  if (activation === 'none' && framework === 'keras' && expects === 'probabilities' && (family === 'cross-entropy' || family === 'binary-cross-entropy')) {
    return 'expects probabilities (from_logits=False).';
  }
  if (activation === 'none' && framework === 'tfjs' && expects === 'probabilities' && (family === 'cross-entropy' || family === 'binary-cross-entropy')) {
    return 'expects probabilities, so it clips the raw scores.';
  }
  return undefined;
}
