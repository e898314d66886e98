/** Questions rules ask about training loops. */
import type { TrainingLoopFact, TrainingFacts } from '../facts.js';

/** Whether a loop changes the parameters: an optimizer step, or a hand-written update from the gradients. */
export function updatesParameters(loop: TrainingLoopFact): boolean {
  return loop.events.some((e) => e.kind === 'step' || e.kind === 'manual_update');
}

/**
 * Whether a loop that calls backward() trains a model: it updates the parameters, or the file builds an
 * optimizer that the loop may have forgotten to step. A loop with neither wants the gradients themselves
 * (saliency maps, adversarial examples such as FGSM), and training rules say nothing about it.
 */
export function trains(loop: TrainingLoopFact, facts: TrainingFacts): boolean {
  return updatesParameters(loop) || facts.optimizers.length > 0;
}
