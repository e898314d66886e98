/** The seed's regimes against ε, and the hysteresis that keeps the label from flickering. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aboveWithHysteresis, classifyRegime, regimeSeries } from '../../../metrics/regime.js';
import { DEFAULT_THRESHOLDS } from '../../../metrics/thresholds.js';

describe('classifyRegime', () => {
  it('calls a training error above ε high bias', () => {
    assert.equal(classifyRegime(0.3, 0.32, 0.1), 'high-bias');
  });

  it('calls a training error within ε with a validation error above it high variance', () => {
    assert.equal(classifyRegime(0.02, 0.31, 0.1), 'high-variance');
  });

  it('calls both high when the training error is above ε and the validation error is more than ε above that', () => {
    assert.equal(classifyRegime(0.25, 0.5, 0.1), 'high-bias-and-variance');
    assert.equal(classifyRegime(0.25, 0.3, 0.1), 'high-bias');
  });

  it('calls both errors within ε a good fit, and a training error of exactly ε within it', () => {
    assert.equal(classifyRegime(0.05, 0.08, 0.1), 'good-fit');
    assert.equal(classifyRegime(0.1, 0.1, 0.1), 'good-fit');
  });

  it('judges bias alone without a validation set', () => {
    assert.equal(classifyRegime(0.3, null, 0.1), 'high-bias');
    assert.equal(classifyRegime(0.01, undefined, 0.1), 'good-fit');
  });

  it('treats a NaN error as above ε', () => {
    assert.equal(classifyRegime(Number.NaN, 0.01, 0.1), 'high-bias');
  });
});

describe('hysteresis', () => {
  it('needs the value to move past the band to change side', () => {
    assert.equal(aboveWithHysteresis(undefined, 0.101, 0.1, 0.05), true);
    assert.equal(aboveWithHysteresis(true, 0.097, 0.1, 0.05), true);
    assert.equal(aboveWithHysteresis(true, 0.094, 0.1, 0.05), false);
    assert.equal(aboveWithHysteresis(false, 0.104, 0.1, 0.05), false);
    assert.equal(aboveWithHysteresis(false, 0.106, 0.1, 0.05), true);
  });

  it('keeps one label while the training error hovers around ε', () => {
    const errors = [0.3, 0.2, 0.12, 0.099, 0.102, 0.098, 0.101, 0.097, 0.103];
    const labels = regimeSeries(errors.map((e, i) => ({ epoch: i + 1, trainError: e, valError: e + 0.01 })), 0.1, DEFAULT_THRESHOLDS);
    assert.deepEqual(new Set(labels.map((l) => l.regime)), new Set(['high-bias']));
  });

  it('switches once the new regime holds for confirmEpochs epochs, dating it from its first epoch', () => {
    const train = [0.3, 0.2, 0.05, 0.03, 0.02, 0.02, 0.02];
    const val = [0.31, 0.22, 0.06, 0.07, 0.2, 0.25, 0.25];
    const labels = regimeSeries(train.map((t, i) => ({ epoch: i + 1, trainError: t, valError: val[i]! })), 0.1, DEFAULT_THRESHOLDS);
    assert.deepEqual(labels.map((l) => l.regime), ['high-bias', 'high-bias', 'high-bias', 'good-fit', 'good-fit', 'high-variance', 'high-variance']);
    assert.equal(labels[3]!.since, 3);
    assert.equal(labels[5]!.since, 5);
  });

  it('ignores a one-epoch blip', () => {
    const train = [0.02, 0.02, 0.02, 0.02, 0.02];
    const val = [0.05, 0.05, 0.2, 0.05, 0.05];
    const labels = regimeSeries(train.map((t, i) => ({ epoch: i + 1, trainError: t, valError: val[i]! })), 0.1, DEFAULT_THRESHOLDS);
    assert.deepEqual(labels.map((l) => l.regime), ['good-fit', 'good-fit', 'good-fit', 'good-fit', 'good-fit']);
    assert.equal(labels[2]!.raw, 'high-variance');
  });
});
