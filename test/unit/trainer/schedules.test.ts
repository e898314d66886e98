/** Learning-rate schedules, each worked out by hand. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { learningRateAt, PlateauScheduler } from '../../../trainer/model/optimizers.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

describe('learning-rate schedules', () => {
  it('steps by gamma every stepSize epochs', () => {
    assert.deepEqual([1, 10, 11, 21].map((e) => learningRateAt(0.1, { type: 'step', stepSize: 10, gamma: 0.5 }, e)), [0.1, 0.1, 0.05, 0.025]);
  });

  it('warms up linearly, then holds the rate', () => {
    const s = { type: 'warmup', warmupEpochs: 4 } as const;
    [0.025, 0.05, 0.075, 0.1, 0.1].forEach((lr, i) => close(learningRateAt(0.1, s, i + 1), lr));
  });

  it('anneals along a cosine from the full rate to the minimum over the run', () => {
    const s = { type: 'cosine', minLearningRate: 0, warmupEpochs: 0 } as const;
    close(learningRateAt(0.1, s, 1, 11), 0.1);
    close(learningRateAt(0.1, s, 6, 11), 0.05); // half way: (1 + cos(π/2)) / 2
    close(learningRateAt(0.1, s, 11, 11), 0);
  });

  it('warms up before a cosine decay', () => {
    const s = { type: 'cosine', minLearningRate: 0.01, warmupEpochs: 2 } as const;
    close(learningRateAt(0.1, s, 1, 12), 0.05);
    close(learningRateAt(0.1, s, 3, 12), 0.1);
    close(learningRateAt(0.1, s, 12, 12), 0.01);
  });

  it('reduces on a plateau after patience epochs without improvement, then counts again', () => {
    const p = new PlateauScheduler(0.1, { type: 'reduce-on-plateau', factor: 0.5, patience: 2, minDelta: 0.01, minLearningRate: 0.02 });
    assert.equal(p.update(1.0), 0.1);
    assert.equal(p.update(0.995), 0.1); // less than 1 % better: one bad epoch
    assert.equal(p.update(0.999), 0.05); // two: reduce
    assert.equal(p.update(0.5), 0.05); // improves
    assert.equal(p.update(0.6), 0.05);
    assert.equal(p.update(0.6), 0.025);
    p.update(0.6);
    assert.equal(p.update(0.6), 0.02, 'never below minLearningRate');
  });
});
