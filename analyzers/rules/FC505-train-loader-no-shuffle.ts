import { EVAL_DATA_NAME } from '../core/naming.js';
import type { Rule, RuleHit } from './rule.js';


/** Training batches in the same order every epoch. */
export const trainLoaderNoShuffle: Rule = {
  code: 'FC505',
  name: 'train-loader-no-shuffle',
  severity: 'warning',
  summary: 'A training DataLoader without shuffle or a sampler.',
  frameworks: ['pytorch'],
  fixable: true,
  local: true,
  lesson: 'Stochastic gradient descent assumes each mini-batch is a random sample of the data ("random watch some data"). Without shuffling, every epoch sees the same batches in the same order — often sorted by class — so the gradient estimates are biased and training can oscillate or converge worse. Pass `shuffle=True` (or a sampler).',
  check(facts) {
    const hits: RuleHit[] = [];
    for (const loader of facts.dataLoaders) {
      const training = loader.usedForTraining || (/(^|_)train/i.test(loader.name) && !EVAL_DATA_NAME.test(loader.name));
      if (!training || loader.shuffle === true || loader.sampler) continue;
      hits.push({
        span: loader.span,
        message: `${loader.name || 'This DataLoader'} feeds training ${loader.shuffle === false ? 'with shuffle=False' : 'without shuffle=True'}, so every epoch sees the same batches.`,
        fixes: loader.shuffleFix ? [{ title: 'Pass shuffle=True', edits: [loader.shuffleFix] }] : [],
      });
    }
    return hits;
  },
};
