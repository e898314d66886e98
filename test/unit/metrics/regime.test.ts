/** The regimes against ε judged on intervals, and the confirmation that keeps labels steady. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judge, labelAt, RegimeTracker } from '../../../metrics/diagnosis/regime.js';
import { resolveThresholds } from '../../../metrics/diagnosis/thresholds.js';
import type { Estimate } from '../../../metrics/diagnosis/uncertainty.js';

const t = resolveThresholds();
const est = (value: number, stdErr = 0.01): Estimate => ({ value, stdErr, basis: 'examples' });

describe('labelAt', () => {
  it('calls a training error clearly above ε high bias', () => {
    assert.equal(labelAt(est(0.3), est(0.32), 0.1, 1, 1.96), 'high-bias');
  });

  it('calls a training error within ε with a validation error clearly above it high variance', () => {
    assert.equal(labelAt(est(0.02), est(0.3), 0.1, 1, 1.96), 'high-variance');
  });

  it('calls both when the gap itself exceeds ε beyond its noise', () => {
    // gap 0.3 ± 1.96·√2·0.01 = 0.3 ± 0.028: clearly above 0.1.
    assert.equal(labelAt(est(0.3), est(0.6), 0.1, 1, 1.96), 'high-bias-and-variance');
  });

  it('does not call variance on a gap of 0.10 ± 0.12 from 40 validation examples: that is noise', () => {
    const train = est(0.28, 0.01);
    const val = est(0.38, 0.06); // the gap's margin is the validation set's: 1.96 · 0.06 ≈ 0.12
    assert.equal(labelAt(train, val, 0.1, 1, 1.96), 'high-bias');
  });

  it('calls both errors clearly within ε a good fit', () => {
    assert.equal(labelAt(est(0.02), est(0.04), 0.1, 1, 1.96), 'good-fit');
  });

  it('leaves a validation error within its noise of ε undecided rather than flipping a coin', () => {
    assert.equal(labelAt(est(0.02), est(0.11, 0.03), 0.1, 1, 1.96), 'undecided');
  });

  it('leaves a training error within its noise of ε undecided', () => {
    assert.equal(labelAt(est(0.105, 0.02), est(0.12), 0.1, 1, 1.96), 'undecided');
  });

  it('judges bias alone without a validation set', () => {
    assert.equal(labelAt(est(0.3), null, 0.1, 1, 1.96), 'high-bias');
    assert.equal(labelAt(est(0.02), null, 0.1, 1, 1.96), 'good-fit');
  });

  it('treats a NaN error as above ε', () => {
    assert.equal(labelAt(est(Number.NaN), null, 0.1, 1, 1.96), 'high-bias');
  });
});

describe('judge', () => {
  it('marks a call clear when it still holds at z = 3.5', () => {
    assert.equal(judge(est(0.5), est(0.5), 0.1, t).clear, true);
    // 0.13 − 3.5·0.01 = 0.095 < 0.1: a call at 95% but not a clear one.
    const j = judge(est(0.13), est(0.13), 0.1, t);
    assert.equal(j.label, 'high-bias');
    assert.equal(j.clear, false);
  });
});

describe('RegimeTracker', () => {
  const call = (label: 'high-bias' | 'good-fit' | 'high-variance' | 'undecided', clear = false) => ({ label, clear });

  it('starts undecided and confirms a first verdict after confirmEpochs epochs, dated from the first', () => {
    const tracker = new RegimeTracker(3);
    assert.equal(tracker.next(1, call('high-bias')).label, 'undecided');
    assert.equal(tracker.next(2, call('high-bias')).label, 'undecided');
    const third = tracker.next(3, call('high-bias'));
    assert.equal(third.label, 'high-bias');
    assert.equal(third.since, 1);
  });

  it('settles an undecided label at once on a clear call', () => {
    const tracker = new RegimeTracker(3);
    const p = tracker.next(1, call('high-bias', true));
    assert.equal(p.label, 'high-bias');
    assert.equal(p.since, 1);
  });

  it('never replaces one verdict with another on a single clear epoch', () => {
    const tracker = new RegimeTracker(3);
    tracker.next(1, call('high-bias', true));
    assert.equal(tracker.next(2, call('good-fit', true)).label, 'high-bias');
    assert.equal(tracker.next(3, call('high-bias', true)).label, 'high-bias');
  });

  it('keeps one label through a one-epoch blip and one date for it', () => {
    const tracker = new RegimeTracker(3);
    const labels = ['high-bias', 'high-bias', 'high-bias', 'good-fit', 'high-bias', 'high-bias'] as const;
    const points = labels.map((l, i) => tracker.next(i + 1, call(l)));
    assert.deepEqual(points.slice(2).map((p) => p.label), ['high-bias', 'high-bias', 'high-bias', 'high-bias']);
    assert.ok(points.slice(2).every((p) => p.since === 1));
  });

  it('switches once the new call holds for confirmEpochs epochs, dating it from its first epoch', () => {
    const tracker = new RegimeTracker(3);
    for (let e = 1; e <= 3; e++) tracker.next(e, call('high-bias'));
    tracker.next(4, call('good-fit'));
    tracker.next(5, call('good-fit'));
    const p = tracker.next(6, call('good-fit'));
    assert.equal(p.label, 'good-fit');
    assert.equal(p.since, 4);
  });
});
