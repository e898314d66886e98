/** The rule catalog, in code order. Adding a rule: its file, one line here, its doc page, its fixtures. */
import type { Rule } from './rule.js';
import { doubleSoftmax } from './FC101-double-softmax.js';
import { bceOnLogits } from './FC102-bce-on-logits.js';
import { doubleSigmoid } from './FC103-double-sigmoid.js';
import { nllWithoutLogSoftmax } from './FC104-nll-without-log-softmax.js';
import { deepSaturatingActivations } from './FC201-deep-saturating-activations.js';
import { missingNonlinearity } from './FC202-missing-nonlinearity.js';
import { missingZeroGrad } from './FC301-missing-zero-grad.js';
import { zeroGradBetweenBackwardAndStep } from './FC302-zero-grad-between-backward-and-step.js';
import { backwardWithoutStep } from './FC303-backward-without-step.js';
import { dropoutRateExtreme } from './FC401-dropout-rate-extreme.js';
import { missingEvalMode } from './FC501-missing-eval-mode.js';
import { evalWithoutNoGrad } from './FC503-eval-without-no-grad.js';
import { lossAccumulatedAsTensor } from './FC504-loss-accumulated-as-tensor.js';
import { outputLossMismatch } from './FC105-output-loss-mismatch.js';
import { activationOnLogits } from './FC106-activation-on-logits.js';
import { redundantActivations } from './FC203-redundant-activations.js';
import { constantWeightInit } from './FC204-constant-weight-init.js';
import { rnnWithoutGradClipping } from './FC205-rnn-without-grad-clipping.js';
import { deepNetWithoutNormalization } from './FC206-deep-net-without-normalization.js';
import { learningRateOutOfRange } from './FC304-learning-rate-out-of-range.js';
import { adamWeightDecay } from './FC305-adam-weight-decay.js';
import { optimizerCreatedInLoop } from './FC306-optimizer-created-in-loop.js';
import { schedulerStepOrder } from './FC307-scheduler-step-order.js';
import { backwardUnderNoGrad } from './FC308-backward-under-no-grad.js';
import { misspeltRequiresGrad } from './FC309-misspelt-requires-grad.js';
import { dropoutBeforeBatchnorm } from './FC402-dropout-before-batchnorm.js';
import { biasBeforeBatchnorm } from './FC403-bias-before-batchnorm.js';
import { batchnormBatchSizeOne } from './FC404-batchnorm-batch-size-one.js';
import { noValidation } from './FC405-no-validation.js';
import { noEarlyStopping } from './FC406-no-early-stopping.js';
import { noRegularization } from './FC407-no-regularization.js';
import { weightDecayExtreme } from './FC408-weight-decay-extreme.js';
import { verdictOutOfReach } from './FC409-verdict-out-of-reach.js';
import { missingTrainMode } from './FC502-missing-train-mode.js';
import { trainLoaderNoShuffle } from './FC505-train-loader-no-shuffle.js';
import { augmentationOnEvalData } from './FC506-augmentation-on-eval-data.js';
import { missingInputNormalization } from './FC507-missing-input-normalization.js';
import { unsafeTorchLoad } from './FC508-unsafe-torch-load.js';
import { tensorLeakInLoop } from './FC601-tensor-leak-in-loop.js';
import { syncReadInTrainingLoop } from './FC602-sync-read-in-training-loop.js';
import { fitWithoutAwait } from './FC603-fit-without-await.js';

export const RULES: readonly Rule[] = [
  doubleSoftmax, bceOnLogits, doubleSigmoid, nllWithoutLogSoftmax, outputLossMismatch, activationOnLogits,
  deepSaturatingActivations, missingNonlinearity, redundantActivations, constantWeightInit, rnnWithoutGradClipping,
  deepNetWithoutNormalization,
  missingZeroGrad, zeroGradBetweenBackwardAndStep, backwardWithoutStep, learningRateOutOfRange, adamWeightDecay,
  optimizerCreatedInLoop, schedulerStepOrder, backwardUnderNoGrad, misspeltRequiresGrad,
  dropoutRateExtreme, dropoutBeforeBatchnorm, biasBeforeBatchnorm, batchnormBatchSizeOne, noValidation, noEarlyStopping,
  noRegularization, weightDecayExtreme, verdictOutOfReach,
  missingEvalMode, missingTrainMode, evalWithoutNoGrad, lossAccumulatedAsTensor, trainLoaderNoShuffle,
  augmentationOnEvalData, missingInputNormalization, unsafeTorchLoad,
  tensorLeakInLoop, syncReadInTrainingLoop, fitWithoutAwait,
];

/** Codes of the rules whose findings only their own file's analysis reports ({@link Rule.ownFileOnly}). */
export const OWN_FILE_ONLY: ReadonlySet<string> = new Set(RULES.filter((r) => r.ownFileOnly).map((r) => r.code));

/** Looks a rule up by code (`FC101`) or name (`double-softmax`). */
export function findRule(codeOrName: string): Rule | undefined {
  const key = codeOrName.trim();
  return RULES.find((r) => r.code === key.toUpperCase() || r.name === key.toLowerCase());
}
