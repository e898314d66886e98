/**
 * The TensorFlow.js namespace the trainer runs on: tfjs-core (ops, gradients, optimizers), or
 * tfjs-node's superset of it. The trainer builds its networks from ops, so it never needs tf.layers.
 */
import type * as TF from '@tensorflow/tfjs-core';

export type Tf = typeof TF;
export type Tensor = TF.Tensor;
export type Tensor1D = TF.Tensor1D;
export type Tensor2D = TF.Tensor2D;
export type Scalar = TF.Scalar;
export type Variable = TF.Variable;
