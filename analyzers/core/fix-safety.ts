/**
 * Which rules' fixes change what training computes. Fix-all (`source.fixAll.fitcheck`, *Fix all
 * Fitcheck problems*, `fitcheck lint --fix`) applies only the others: a save must never silently
 * change a model's results. The table sits here, apart from the rules, so the policy reads in one place.
 */
import type { Fix } from './findings.js';

/** Rules whose fixes change the numbers a run produces, with why. */
export const BEHAVIOUR_CHANGING_FIXES: Readonly<Record<string, string>> = {
  FC101: 'removing the output softmax changes what the loss sees',
  FC102: 'swapping the loss changes the gradients',
  FC103: 'removing the output sigmoid changes what the loss sees',
  FC106: 'removing the output activation changes the outputs',
  FC201: 'swapping activations changes the model',
  FC301: 'adding zero_grad() stops gradient accumulation',
  FC302: 'moving zero_grad() changes which gradients step() applies',
  FC305: 'AdamW decays weights differently from Adam',
  FC309: 'spelling requires_grad right freezes the parameters it names',
  FC501: 'eval() changes dropout and batch-norm during evaluation',
  FC502: 'train() changes dropout and batch-norm during training',
  FC505: 'shuffling changes the batch order',
  FC508: 'weights_only=True refuses checkpoints holding arbitrary objects',
};

/** The fix, flagged `unsafe` when its rule's fixes change training behaviour. */
export function markSafety(code: string, fix: Fix): Fix {
  return Object.hasOwn(BEHAVIOUR_CHANGING_FIXES, code) ? { ...fix, unsafe: true } : fix;
}
