/** The TensorFlow.js namespace the trainer runs on (tfjs, or tfjs-node's re-export of it). */
import type * as TF from '@tensorflow/tfjs';

export type Tf = typeof TF;
export type Tensor = TF.Tensor;
export type Tensor1D = TF.Tensor1D;
export type Tensor2D = TF.Tensor2D;
export type Scalar = TF.Scalar;
export type Variable = TF.Variable;
