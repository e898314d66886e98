/** Activation functions as tfjs ops. */
import type { ActivationName } from '../spec/types.js';
import type { Tensor, Tf } from '../tf.js';

/** Applies `name` to `x` (softmax over the last axis). */
export function activate(tf: Tf, name: ActivationName, x: Tensor, alpha: number): Tensor {
  switch (name) {
    case 'relu': return tf.relu(x);
    case 'leaky-relu': return tf.leakyRelu(x, alpha);
    case 'elu': return tf.elu(x);
    case 'selu': return tf.selu(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'tanh': return tf.tanh(x);
    case 'softmax': return tf.softmax(x);
    case 'linear': return x;
  }
}
