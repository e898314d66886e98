/** Finding the point of a run that shows a logged step (the runtime evidence's link into the run). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowAtStep } from '../../../extension/run-step.js';

describe('the row that shows a logged step', () => {
  const rows = [{ epoch: 1, step: 100 }, { epoch: 2, step: 200 }, { epoch: 3, step: 300 }];

  it('is the row logged at that step', () => {
    assert.equal(rowAtStep(rows, 200), 2);
  });

  it('is the first row logged after a step between two rows (rows aggregate their steps)', () => {
    assert.equal(rowAtStep(rows, 150), 2);
    assert.equal(rowAtStep(rows, 1), 1);
  });

  it('is not there yet for a step past the last row, while the run is still being read', () => {
    assert.equal(rowAtStep(rows, 301), undefined);
    assert.equal(rowAtStep([], 5), undefined);
  });

  it('takes an epoch as the step of rows that log none', () => {
    assert.equal(rowAtStep([{ epoch: 1 }, { epoch: 2 }, { epoch: 3 }], 2), 2);
  });
});
