import type { Rule, RuleHit } from './rule.js';

/** Recurrent networks trained without a cap on the gradient norm. */
export const rnnWithoutGradClipping: Rule = {
  code: 'FC205',
  name: 'rnn-without-grad-clipping',
  severity: 'warning',
  summary: 'An RNN/LSTM/GRU is trained with no gradient clipping.',
  frameworks: ['pytorch', 'keras'],
  fixable: false,
  lesson: 'Backpropagation through time multiplies the same recurrent weights once per time step: when w·f′ > 1 (f′ the activation derivative) the gradient explodes (and when < 1 it vanishes). One exploding batch can wreck the weights; clipping the gradient norm bounds every update. In PyTorch call `torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)` between `backward()` and `step()`; in Keras give the optimizer `clipnorm=1.0` (or `global_clipnorm`).',
  check(facts) {
    const hits: RuleHit[] = [];
    const torchTrained = facts.trainingLoops.some((l) => l.events.some((e) => e.kind === 'step')) && facts.gradientClipping.length === 0;
    for (const model of facts.models) {
      const rnn = model.layers.find((l) => l.kind === 'recurrent');
      if (!rnn) continue;
      let unclipped = false;
      if (model.framework === 'pytorch') unclipped = torchTrained;
      else if (model.framework === 'keras') {
        const compiles = facts.compiles.filter((c) => c.modelId === model.id);
        unclipped = compiles.length > 0 && compiles.every((c) => !facts.optimizers.find((o) => o.id === c.optimizerId)?.clipping);
      }
      if (!unclipped) continue;
      // Token sequences (an embedding before the RNN: language models, translation) are long and explode;
      // short feature sequences (a sensor window, a toy series) rarely do, so there it is only a note.
      const tokens = model.layers.some((l) => l.kind === 'embedding');
      hits.push({
        ...(tokens ? {} : { severity: 'info' as const }),
        span: rnn.span,
        message: `${model.name} has a recurrent layer (${rnn.api}) but never clips its gradients, so they can explode.`,
      });
    }
    return hits;
  },
};
