/**
 * What a logged run optimises and how it counts progress, read from its tag names: reinforcement
 * learning (rewards, episodes, TD or policy losses) gets no bias/variance verdict, and a run logged
 * by global step rather than by epoch speaks of steps.
 */
import type { Axis, Objective } from './events.js';

/** Tag words that only reinforcement learning logs: rewards, returns, episodes, policy and value heads, exploration. */
const RL_TAG = /(^|[/_\s.-])(rewards?|rew|ep_rew_mean|ep_len_mean|episodes?|episode_reward\w*|returns?|rollout|exploration(_rate)?|q_values?|td_error|policy_loss|value_loss|vf_loss|vf_explained_var|explained_variance|entropy(_loss)?|kl|advantages?|epsilon_greedy)($|[/_\s.-])/i;

/** `reinforcement` when any tag is one only reinforcement learning writes; else `supervised`. */
export function objectiveOfTags(tags: Iterable<string>): Objective {
  for (const tag of tags) if (RL_TAG.test(tag)) return 'reinforcement';
  return 'supervised';
}

/**
 * `epoch` when the anchor series counts epochs: its tag says so (Keras' `epoch_loss`), or its steps
 * run 0, 1, 2… (or 1, 2, 3…) one apart; else `step` (a per-batch global step such as 999, 1999…).
 */
export function axisOf(anchorTag: string | undefined, steps: ArrayLike<number>): Axis {
  if (anchorTag && /epoch/i.test(anchorTag)) return 'epoch';
  if (steps.length === 0) return 'epoch';
  if (steps[0]! > 1) return 'step';
  for (let i = 1; i < steps.length; i++) if (steps[i]! - steps[i - 1]! !== 1) return 'step';
  return 'epoch';
}
