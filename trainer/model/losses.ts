/** Per-example losses and the (class-weighted) mean, as the seed's section 5 describes them. */
import type { LossSpec } from '../spec/types.js';
import type { Scalar, Tensor, Tensor1D, Tensor2D, Tf } from '../tf.js';

/** Probabilities are clipped to [ε, 1 − ε] before the log, as Keras does, so a saturated output gives a large loss, not NaN. */
const PROB_EPSILON = 1e-7;

/**
 * The loss of a batch. `y` holds targets ([n, 1]) for regression and class indices ([n]) for
 * classification; `weights` ([n]) are the examples' class weights, or undefined.
 */
export function batchLoss(tf: Tf, loss: LossSpec, output: Tensor2D, y: Tensor, weights?: Tensor1D): Scalar {
  const perExample = exampleLosses(tf, loss, output, y);
  if (!weights) return tf.mean(perExample);
  // As PyTorch: the weighted sum divided by the sum of the weights, so weights set the balance, not the scale.
  return tf.div(tf.sum(tf.mul(perExample, weights)), tf.maximum(tf.sum(weights), tf.scalar(1e-12)));
}

/** One loss value per example ([n]). */
export function exampleLosses(tf: Tf, loss: LossSpec, output: Tensor2D, y: Tensor): Tensor1D {
  switch (loss.type) {
    case 'mse':
      return tf.mean(tf.square(tf.sub(output, y)), 1) as Tensor1D;
    case 'mae':
      return tf.mean(tf.abs(tf.sub(output, y)), 1) as Tensor1D;
    case 'binary-crossentropy': {
      const z = tf.reshape(output, [-1]) as Tensor1D;
      const t = tf.cast(y, 'float32');
      if (loss.fromLogits) {
        // max(z, 0) − z·t + log(1 + e^−|z|): the stable form of BCE-with-logits.
        return tf.add(tf.sub(tf.relu(z), tf.mul(z, t)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
      }
      const p = tf.clipByValue(z, PROB_EPSILON, 1 - PROB_EPSILON);
      return tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p))))) as Tensor1D;
    }
    case 'categorical-crossentropy': {
      const logProbs = loss.fromLogits ? tf.logSoftmax(output) : tf.log(tf.clipByValue(output, PROB_EPSILON, 1));
      const onehot = tf.oneHot(tf.cast(y, 'int32') as Tensor1D, output.shape[1]);
      return tf.neg(tf.sum(tf.mul(onehot, logProbs), 1)) as Tensor1D;
    }
  }
}

/** What the model predicts for metrics: values for regression, P(class 1) for binary, class scores otherwise. */
export function predictions(tf: Tf, loss: LossSpec, output: Tensor2D): Tensor2D {
  if (loss.type === 'binary-crossentropy' && loss.fromLogits) return tf.sigmoid(output);
  return output;
}
