/** Compare Runs: which runs are offered, and what the panel is sent for each. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { comparePickItems, comparedRun } from '../../../extension/compare-runs.js';
import { RunSeries } from '../../../extension/run-series.js';
import { epoch, start } from './events-fixture.js';

describe('compare runs', () => {
  it('sends the validation loss per epoch, leaving out epochs without validation', () => {
    const series = RunSeries.fromEvents('r2', [start(), epoch(1, 0.5), epoch(2, 0.4, 0.45), epoch(3, 0.3, Number.NaN)]);
    const run = comparedRun('r2', 'demo', series.rows);
    assert.equal(run.runId, 'r2');
    assert.equal(run.name, 'demo');
    assert.deepEqual(run.valLoss.map((p) => p.epoch), [2, 3]);
    assert.equal(run.valLoss[0]!.loss, 0.45);
    assert.ok(Number.isNaN(run.valLoss[1]!.loss));
  });

  it('offers every other run once, newest first, ticking those compared now', () => {
    const runs = [{ runId: '20260101-a', name: 'a' }, { runId: '20260301-c' }, { runId: '20260201-b', name: 'b' }, { runId: '20260101-a', name: 'a' }];
    const items = comparePickItems(runs, '20260301-c', ['20260101-a']);
    assert.deepEqual(items, [
      { label: 'b', description: '20260201-b', runId: '20260201-b', picked: false },
      { label: 'a', description: '20260101-a', runId: '20260101-a', picked: true },
    ]);
    assert.deepEqual(comparePickItems([], 'x', []), []);
  });
});
