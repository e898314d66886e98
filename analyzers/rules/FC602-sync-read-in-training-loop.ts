import type { Rule, RuleHit } from './rule.js';

/** `dataSync()`/`arraySync()` in each training step waits for the backend to drain its queue. */
export const syncReadInTrainingLoop: Rule = {
  code: 'FC602',
  name: 'sync-read-in-training-loop',
  severity: 'warning',
  summary: 'dataSync()/arraySync() in every training step stalls training.',
  frameworks: ['tfjs'],
  fixable: true,
  lesson: 'TensorFlow.js queues operations on the GPU (WebGL/WebGPU) and returns at once. `dataSync()` and `arraySync()` block until everything queued has run and the values are copied back, so a read in every step serialises the pipeline and freezes the page meanwhile. Read the loss every N steps, or `await tensor.data()`, which waits without blocking the thread. The same holds for `arraySync()` (use `await tensor.array()`) and `bufferSync()` (use `await tensor.buffer()`).',
  check(facts) {
    return (facts.syncReads ?? []).map((read): RuleHit => ({
      span: read.span,
      message: `${read.method}() in every training step waits for all queued GPU work, and the page freezes meanwhile.`,
      related: [{ span: read.loop, message: 'the training loop' }],
      fixes: read.asyncFix ? [{ title: `Use ${read.asyncFix.replacement}`, edits: [read.asyncFix.edit] }] : [],
    }));
  },
};
