import type { Rule, RuleHit } from './rule.js';

/** TensorFlow.js tensors are not garbage-collected: one created per iteration and never disposed leaks memory. */
export const tensorLeakInLoop: Rule = {
  code: 'FC601',
  name: 'tensor-leak-in-loop',
  severity: 'warning',
  summary: 'A tensor created in a training/inference loop without tf.tidy or dispose().',
  frameworks: ['tfjs'],
  fixable: true,
  lesson: "TensorFlow.js keeps every tensor's memory (WebGL textures, WASM heap) until it is disposed: the garbage collector cannot free it. A tensor created on each step or frame and never disposed makes memory grow until the tab or process fails, and on WebGL training slows down as memory fills. `tf.tidy(() => ...)` disposes every intermediate tensor when the function returns; `tensor.dispose()` frees one. The intermediate tensors of a chained call are never stored in a variable, so only `tf.tidy()` around the loop body can free them.",
  check(facts) {
    return (facts.tensorLeaks ?? []).map((leak): RuleHit => {
      const what = leak.count > 1 ? `${leak.count} tensors` : 'a tensor';
      const why = leak.reason === 'not-disposed'
        ? `and \`${leak.variable}\` is never disposed`
        : `that ${leak.count > 1 ? 'are' : 'is'} never stored or disposed`;
      // A chained call can run to a whole line: the start names it well enough, the span shows the rest.
      const api = leak.api.length > 32 ? `${leak.api.slice(0, 29)}...` : leak.api;
      return {
        span: leak.span,
        message: `\`${api}\` creates ${what} per iteration ${why}, so memory grows.`,
        related: [{ span: leak.loop, message: 'the loop that runs it again and again' }],
        fixes: leak.tidyFix ? [{ title: 'Wrap the loop body in tf.tidy()', edits: leak.tidyFix }] : [],
      };
    });
  },
};
