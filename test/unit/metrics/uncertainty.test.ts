/** The noise of a measured error: intervals worked out by hand. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { difference, estimateError, gapOf, intervalOf, jitterStdErr, margin, sideOf, wilson } from '../../../metrics/diagnosis/uncertainty.js';

const close = (a: number, b: number, tol = 1e-4) => assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

describe('wilson', () => {
  it('gives 0.0552 to 0.1744 for 10 errors in 100 examples at 95%', () => {
    // centre (0.1 + 1.96²/200) / (1 + 1.96²/100) = 0.11480; half-width 1.96/1.038416 · √(0.0009 + 1.96²/40000) = 0.05957.
    const { low, high } = wilson(0.1, 100);
    close(low, 0.05523);
    close(high, 0.17437);
  });

  it('does not collapse to a point at an error of 0: 0 of 20 still allows about 0.16', () => {
    const { low, high } = wilson(0, 20);
    assert.equal(low, 0);
    close(high, 0.1611, 1e-3);
  });

  it('narrows as the examples grow', () => {
    const small = wilson(0.05, 60);
    const large = wilson(0.05, 6000);
    assert.ok(large.high - large.low < (small.high - small.low) / 5);
  });
});

describe('jitterStdErr', () => {
  it('reads no noise in a straight line, however steep', () => {
    assert.equal(jitterStdErr([5, 4, 3, 2, 1, 0]), 0);
  });

  it('reads σ from a zig-zag: second differences of ±2 give 2 / 0.6745 / √6', () => {
    close(jitterStdErr([0, 1, 0, 1, 0, 1]), 2 / 0.6745 / Math.sqrt(6));
  });

  it('needs four finite points', () => {
    assert.ok(Number.isNaN(jitterStdErr([1, 2, Number.NaN, 3])));
  });
});

describe('estimates against a limit', () => {
  it('calls a value above the limit only when its interval clears it', () => {
    assert.equal(sideOf({ value: 0.2, stdErr: 0.05, basis: 'examples' }, 0.1), 'above'); // low 0.102
    assert.equal(sideOf({ value: 0.19, stdErr: 0.05, basis: 'examples' }, 0.1), 'unclear'); // low 0.092
    assert.equal(sideOf({ value: 0.0, stdErr: 0.05, basis: 'examples' }, 0.1), 'below'); // high 0.098
  });

  it('counts a float a hair past the limit as at it (0.09999999999999998 and 0.1 + 1e-17)', () => {
    assert.equal(sideOf({ value: 0.1 + 1e-17, stdErr: 0, basis: 'examples' }, 0.1), 'below');
    assert.equal(sideOf({ value: 0.09999999999999998, stdErr: 0, basis: 'examples' }, 0.1), 'below');
  });

  it('calls nothing when the noise is unknown', () => {
    assert.equal(sideOf({ value: 5, stdErr: Number.NaN, basis: 'none' }, 0.1), 'unclear');
  });

  it('adds the noise of two errors in quadrature for their gap', () => {
    const gap = difference({ value: 0.3, stdErr: 0.03, basis: 'examples' }, { value: 0.1, stdErr: 0.04, basis: 'examples' });
    close(gap.value, 0.2);
    close(gap.stdErr, 0.05);
    close(margin(gap), 0.098);
  });

  it('gives the gap only the validation set\'s noise when the training error is the model\'s own, exact error', () => {
    const exact = gapOf({ value: 0.38, stdErr: 0.06, basis: 'binomial', n: 40 }, { value: 0.28, stdErr: 0.03, basis: 'binomial', n: 200 });
    close(exact.value, 0.1);
    close(exact.stdErr, 0.06);
    assert.equal(exact.n, 40);
    const logged = gapOf({ value: 0.38, stdErr: 0.06, basis: 'jitter' }, { value: 0.28, stdErr: 0.08, basis: 'jitter' });
    close(logged.stdErr, 0.1);
  });

  it('uses the binomial interval for a plain error with a known split size', () => {
    const e = estimateError({ loss: 0.3, error: 0.1 }, 'error', [], 100);
    assert.equal(e.basis, 'binomial');
    close(intervalOf(e).high, 0.17437);
  });

  it('falls back to the curve\'s own jitter for a logged error with no size', () => {
    const e = estimateError({ loss: 0.3, error: 0.1 }, 'error', [0.2, 0.1, 0.2, 0.1, 0.2]);
    assert.equal(e.basis, 'jitter');
    assert.ok(e.stdErr > 0);
  });
});
