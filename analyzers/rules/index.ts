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

export const RULES: readonly Rule[] = [
  doubleSoftmax, bceOnLogits, doubleSigmoid, nllWithoutLogSoftmax,
  deepSaturatingActivations, missingNonlinearity,
  missingZeroGrad, zeroGradBetweenBackwardAndStep, backwardWithoutStep,
  dropoutRateExtreme,
  missingEvalMode, evalWithoutNoGrad, lossAccumulatedAsTensor,
];

/** Looks a rule up by code (`FC101`) or name (`double-softmax`). */
export function findRule(codeOrName: string): Rule | undefined {
  const key = codeOrName.trim();
  return RULES.find((r) => r.code === key.toUpperCase() || r.name === key.toLowerCase());
}
