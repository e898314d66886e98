/** TensorBoard's debiased EMA, checked against values worked out by hand. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DebiasedEma, debiasedEma, smoothPoints } from '../../../webviews/panel/smoothing.js';

function near(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) < 1e-12, `[${i}] ${a} ≠ ${expected[i]}`));
}

describe('debiasedEma', () => {
  it('matches TensorBoard on known values', () => {
    // w = 0.5: last 0.5, 1.25, 2.125; debias 0.5, 0.75, 0.875.
    near(debiasedEma([1, 2, 3], 0.5), [1, 1.25 / 0.75, 2.125 / 0.875]);
    // w = 0.6: last 4, 4.4, 3.04; debias 0.4, 0.64, 0.784.
    near(debiasedEma([10, 5, 1], 0.6), [10, 4.4 / 0.64, 3.04 / 0.784]);
  });

  it('starts at the first value (no pull towards 0) and returns raw values at weight 0', () => {
    assert.equal(debiasedEma([7, 1], 0.9)[0], 7);
    assert.deepEqual(debiasedEma([3, 1, 2], 0), [3, 1, 2]);
  });

  it('passes NaN and Infinity through and leaves them out of the average', () => {
    const out = debiasedEma([1, Number.NaN, Number.POSITIVE_INFINITY, 3], 0.5);
    assert.equal(out[0], 1);
    assert.ok(Number.isNaN(out[1]));
    assert.equal(out[2], Number.POSITIVE_INFINITY);
    // The third finite... the second finite value: last = 0.5 * 0.5 + 0.5 * 3 = 1.75, debias 0.75.
    assert.ok(Math.abs(out[3]! - 1.75 / 0.75) < 1e-12);
  });

  it('keeps constant series exact, handles empty input and clamps the weight', () => {
    assert.deepEqual(debiasedEma([0.1, 0.1, 0.1], 0.9), [0.1, 0.1, 0.1]);
    assert.deepEqual(debiasedEma([], 0.5), []);
    assert.deepEqual(debiasedEma([1, 2], -1), [1, 2]);
    assert.deepEqual(debiasedEma([1, 2], Number.NaN), [1, 2]);
    const heavy = debiasedEma([1, 2], 5);
    assert.ok(heavy.every(Number.isFinite));
    assert.equal(heavy[0], 1);
  });

  it('smooths chart points keeping their x', () => {
    const points = smoothPoints([{ x: 1, y: 1 }, { x: 3, y: 2 }], 0.5);
    assert.deepEqual(points.map((p) => p.x), [1, 3]);
    assert.ok(Math.abs(points[1]!.y - 1.25 / 0.75) < 1e-12);
  });
});

describe('DebiasedEma', () => {
  it('gives debiasedEma one value at a time, gaps passing through', () => {
    const values = [1, 2, Number.NaN, 3, 10, 5, 1];
    for (const w of [0, 0.5, 0.6, 0.99]) {
      const ema = new DebiasedEma(w);
      const got = values.map((v) => ema.next(v));
      const want = debiasedEma(values, w);
      got.forEach((g, i) => assert.ok(Object.is(g, want[i]) || Math.abs(g - want[i]!) < 1e-12, `w ${w} [${i}] ${g} ≠ ${want[i]}`));
    }
  });
});
