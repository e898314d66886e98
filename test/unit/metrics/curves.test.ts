/** Loss-curve insights on synthetic curves whose answer is known. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectDivergence, detectOscillation, detectOverfittingOnset, detectPlateau } from '../../../metrics/diagnosis/curves.js';
import { resolveThresholds } from '../../../metrics/diagnosis/thresholds.js';

const t = resolveThresholds();
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('plateau', () => {
  it('fires when the loss stops improving while the training error is above ε', () => {
    const loss = range(30).map((i) => (i < 10 ? 1 - i * 0.05 : 0.55 + 0.0001 * Math.sin(i)));
    const found = detectPlateau(loss, 0.3, 0.1, t);
    assert.equal(found?.kind, 'plateau');
    assert.ok((found!.evidence.improvement as number) < 0.01);
  });

  it('stays quiet while the loss still falls', () => {
    const loss = range(30).map((i) => Math.exp(-i / 10));
    assert.equal(detectPlateau(loss, 0.3, 0.1, t), null);
  });

  it('stays quiet once the training error meets ε (that is convergence, not a plateau)', () => {
    const loss = range(30).map((i) => (i < 10 ? 1 - i * 0.09 : 0.1));
    assert.equal(detectPlateau(loss, 0.05, 0.1, t), null);
  });
});

describe('oscillation', () => {
  it('fires on a loss that zig-zags without getting lower', () => {
    const loss = range(20).map((i) => (i % 2 === 0 ? 0.5 : 0.9));
    const found = detectOscillation(loss, 0.4, 0.1, t);
    assert.equal(found?.kind, 'oscillation');
    assert.equal(found!.evidence.flipFraction, 1);
  });

  it('stays quiet on a loss that bounces while it falls', () => {
    const loss = range(20).map((i) => Math.exp(-i / 3) * (i % 2 === 0 ? 1 : 1.3));
    assert.equal(detectOscillation(loss, 0.4, 0.1, t), null);
  });

  it('stays quiet on small noise', () => {
    const loss = range(20).map((i) => 0.5 + (i % 2 === 0 ? 0.01 : -0.01));
    assert.equal(detectOscillation(loss, 0.4, 0.1, t), null);
  });
});

describe('divergence', () => {
  it('fires when the loss climbs past twice its best and above where it started', () => {
    const loss = [1, 0.6, 0.4, 0.5, 1.2, 3, 8];
    const found = detectDivergence(loss, t);
    assert.equal(found?.kind, 'divergence');
    assert.equal(found!.evidence.bestLoss, 0.4);
  });

  it('stays quiet on a momentum overshoot that stays below the starting loss', () => {
    assert.equal(detectDivergence([1, 0.3, 0.7, 0.8, 0.4, 0.2], t), null);
  });
});

describe('overfitting onset', () => {
  const epochs = range(40).map((i) => i + 1);
  const train = epochs.map((e) => Math.exp(-e / 8));
  // Validation falls to its best at epoch 15, then rises steadily.
  const val = epochs.map((e) => 0.3 + 0.002 * (e - 15) ** 2);

  it('finds the best epoch once validation has stayed above it by Prechelt\'s 5% for the patience', () => {
    const found = detectOverfittingOnset(epochs, train, val, t);
    assert.equal(found?.kind, 'overfitting-onset');
    assert.equal(found!.bestEpoch, 15);
  });

  it('waits for the patience before saying so', () => {
    const upTo = 21;
    assert.equal(detectOverfittingOnset(epochs.slice(0, upTo), train.slice(0, upTo), val.slice(0, upTo), t), null);
  });

  it('stays quiet when the training loss bounced back up too (an overshoot, not overfitting)', () => {
    const rising = train.map((v, i) => (i >= 36 ? train[30]! * 1.5 : v));
    assert.equal(detectOverfittingOnset(epochs, rising, val, t), null);
  });

  it('stays quiet while validation keeps improving', () => {
    assert.equal(detectOverfittingOnset(epochs, train, train.map((v) => v + 0.1), t), null);
  });
});
