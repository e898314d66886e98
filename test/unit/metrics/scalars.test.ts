/** Per-tag series in typed columns that grow by doubling. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addPoint, appendSeries, mergeSeries, seriesOf, type ScalarSeries } from '../../../metrics/diagnosis/scalars.js';

const used = (s: ScalarSeries) => [...s.steps.subarray(0, s.length)];

describe('scalar series', () => {
  it('keep every point in order while their columns double, so 100,000 points cost 13 reallocations, not one per point', () => {
    const map = new Map<string, ScalarSeries>();
    const capacities = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      addPoint(map, 'loss', i, 1 / (i + 1), 1000 + i);
      capacities.add(map.get('loss')!.steps.length);
    }
    const s = map.get('loss')!;
    assert.equal(s.length, 100_000);
    assert.equal(s.steps[99_999], 99_999);
    assert.equal(s.values[9], 0.1);
    assert.equal(s.wallTimes[5], 1005);
    // 16, 32, …, 131072: each a power of two, each twice the last.
    assert.deepEqual([...capacities], Array.from({ length: 14 }, (_, k) => 16 * 2 ** k));
  });

  it('append one series to another, and merge a read into a run tag by tag', () => {
    const a = seriesOf('x', [1, 2], [10, 20], [0, 0]);
    appendSeries(a, seriesOf('x', [3, 4, 5], [30, 40, 50], [0, 0, 0]));
    assert.deepEqual(used(a), [1, 2, 3, 4, 5]);
    assert.deepEqual([...a.values.subarray(0, a.length)], [10, 20, 30, 40, 50]);
    const run = new Map([['x', a]]);
    const read = new Map<string, ScalarSeries>();
    addPoint(read, 'x', 6, 60, 0);
    addPoint(read, 'y', 1, 1, 0);
    mergeSeries(run, read);
    assert.deepEqual(used(run.get('x')!), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(used(run.get('y')!), [1]);
  });
});
