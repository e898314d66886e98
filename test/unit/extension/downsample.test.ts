/** The panel's append-only min/max downsampler, on inputs whose extremes are known. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MinMaxDownsampler, NumberColumn } from '../../../webviews/panel/downsample.js';
import type { Point } from '../../../webviews/panel/points.js';

function fill(sampler: MinMaxDownsampler, ys: readonly number[], x0 = 1): void {
  ys.forEach((y, i) => sampler.push(x0 + i, y));
}

/** The min and max point of each run of `size` consecutive values (what the buckets must keep). */
function extremes(ys: readonly number[], size: number, x0 = 1): Point[] {
  const out: Point[] = [];
  for (let s = 0; s < ys.length; s += size) {
    let lo = s;
    let hi = s;
    for (let i = s; i < Math.min(ys.length, s + size); i++) {
      if (ys[i]! < ys[lo]!) lo = i;
      if (ys[i]! > ys[hi]!) hi = i;
    }
    out.push({ x: x0 + lo, y: ys[lo]! }, { x: x0 + hi, y: ys[hi]! });
  }
  return out;
}

function has(points: readonly Point[], p: Point): boolean {
  return points.some((q) => q.x === p.x && Object.is(q.y, p.y));
}

describe('MinMaxDownsampler', () => {
  it('passes short curves through unchanged', () => {
    const s = new MinMaxDownsampler(8);
    fill(s, [3, 1, 4, 1, 5]);
    assert.deepEqual(s.points(), [{ x: 1, y: 3 }, { x: 2, y: 1 }, { x: 3, y: 4 }, { x: 4, y: 1 }, { x: 5, y: 5 }]);
    assert.equal(s.bucketSize, 1);
  });

  it('doubles the bucket size when it overflows and keeps each bucket\'s min and max, in x order', () => {
    const s = new MinMaxDownsampler(4);
    // 9 points: 4 buckets of 1 overflow to 2, then to 4 → buckets [1..4], [5..8], [9].
    const ys = [5, 9, 2, 7, 8, 1, 6, 3, 4];
    fill(s, ys);
    assert.equal(s.bucketSize, 4);
    assert.deepEqual(s.points(), [
      { x: 1, y: 5 }, // first point
      { x: 2, y: 9 }, { x: 3, y: 2 }, // bucket 1: max at 2, min at 3
      { x: 5, y: 8 }, { x: 6, y: 1 }, // bucket 2: max at 5, min at 6
      { x: 9, y: 4 }, // open bucket, also the last point
    ]);
  });

  it('keeps every bucket extreme, the first and the last point of a long noisy curve, within 2 points per bucket', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const ys = Array.from({ length: 100_003 }, (_, i) => Math.sin(i / 500) + rand());
    const s = new MinMaxDownsampler(1000);
    fill(s, ys);
    const points = s.points();
    assert.ok(s.bucketSize >= 100 && s.bucketSize <= 200, `bucket size ${s.bucketSize}`);
    assert.ok(points.length <= 2 * 1000 + 2, `${points.length} points`);
    for (const p of extremes(ys, s.bucketSize)) assert.ok(has(points, p), `extreme ${JSON.stringify(p)} kept`);
    assert.deepEqual(points[0], { x: 1, y: ys[0] });
    assert.deepEqual(points.at(-1), { x: ys.length, y: ys.at(-1) });
    // The global extremes survive whatever the bucketing.
    const max = ys.reduce((a, b) => Math.max(a, b));
    const min = ys.reduce((a, b) => Math.min(a, b));
    assert.ok(has(points, { x: ys.indexOf(max) + 1, y: max }));
    assert.ok(has(points, { x: ys.indexOf(min) + 1, y: min }));
    for (let i = 1; i < points.length; i++) assert.ok(points[i]!.x > points[i - 1]!.x, 'x increases');
  });

  it('gives the same points whether fed at once or in batches, and a new array only after a push', () => {
    const ys = Array.from({ length: 5000 }, (_, i) => Math.cos(i) * i);
    const once = new MinMaxDownsampler(64);
    fill(once, ys);
    const batched = new MinMaxDownsampler(64);
    for (let i = 0; i < ys.length; i++) {
      batched.push(i + 1, ys[i]!);
      if (i % 97 === 0) batched.points();
    }
    assert.deepEqual(batched.points(), once.points());
    assert.equal(batched.points(), batched.points());
  });

  it('keeps gaps (non-finite values) as gaps and the last point even when it is one', () => {
    const s = new MinMaxDownsampler(2);
    fill(s, [1, Number.NaN, 3, 4, 5, 6, 7, Number.NaN]);
    const points = s.points();
    assert.ok(points.some((p) => p.x === 2 && Number.isNaN(p.y)), 'the gap at x = 2 is kept');
    assert.ok(Number.isNaN(points.at(-1)!.y) && points.at(-1)!.x === 8, 'the last point (a gap) is kept');
    assert.ok(has(points, { x: 7, y: 7 }) && has(points, { x: 1, y: 1 }));
  });

  it('starts over on clear', () => {
    const s = new MinMaxDownsampler(2);
    fill(s, [1, 2, 3, 4, 5]);
    s.clear();
    assert.deepEqual(s.points(), []);
    fill(s, [9]);
    assert.deepEqual(s.points(), [{ x: 1, y: 9 }]);
    assert.equal(s.length, 1);
    assert.throws(() => new MinMaxDownsampler(1), RangeError);
  });
});

describe('NumberColumn', () => {
  it('grows past its first capacity and keeps every value', () => {
    const c = new NumberColumn();
    for (let i = 0; i < 5000; i++) c.push(i * 0.5);
    assert.equal(c.length, 5000);
    assert.equal(c.at(0), 0);
    assert.equal(c.at(4999), 2499.5);
    c.clear();
    assert.equal(c.length, 0);
  });
});
