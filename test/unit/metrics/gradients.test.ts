/** Gradient-flow insights from per-layer statistics. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerStats } from '../../../metrics/diagnosis/events.js';
import { detectDyingRelu, detectExploding, detectNonFinite, detectVanishing, gradientRatio } from '../../../metrics/diagnosis/gradients.js';
import { resolveThresholds } from '../../../metrics/diagnosis/thresholds.js';

const t = resolveThresholds();
const stack = (norms: number[], extra: Partial<LayerStats> = {}): LayerStats[] =>
  norms.map((gradNorm, i) => ({ name: `dense${i + 1}`, kind: 'dense', gradNorm, weightNorm: 1, updateRatio: 1e-3, ...extra }));

describe('gradient ratio', () => {
  it('compares the first and last dense layers, skipping batch-norm layers', () => {
    const layers = [...stack([1e-5]), { name: 'batchnorm1', kind: 'batch-norm', gradNorm: 5, weightNorm: 1, updateRatio: 0 }, ...stack([1e-3, 0.1]).map((l, i) => ({ ...l, name: `dense${i + 2}` }))];
    const r = gradientRatio(layers);
    assert.equal(r?.first.name, 'dense1');
    assert.equal(r?.last.name, 'dense3');
    assert.ok(Math.abs(r!.ratio - 1e-4) < 1e-12);
  });
});

describe('vanishing gradients', () => {
  const deepSigmoid = stack([4e-5, 1.5e-4, 6e-4, 2e-3, 9e-3, 3.5e-2, 0.17]);

  it('fires when the first layer gets under 1e-3 of the last layer\'s gradient for two epochs', () => {
    const found = detectVanishing([deepSigmoid, deepSigmoid], t);
    assert.equal(found?.kind, 'vanishing-gradients');
    assert.equal(found!.evidence.firstLayer, 'dense1');
  });

  it('waits for the second epoch', () => {
    assert.equal(detectVanishing([deepSigmoid], t), null);
  });

  it('stays quiet for a healthy ReLU stack', () => {
    const relu = stack([0.1, 0.2, 0.15, 0.12, 0.1, 0.09, 0.1]);
    assert.equal(detectVanishing([relu, relu], t), null);
  });

  it('stays quiet for models shallower than minDepth', () => {
    const shallow = stack([1e-6, 1]);
    assert.equal(detectVanishing([shallow, shallow], t), null);
  });
});

describe('exploding gradients', () => {
  it('fires when the first layer gets over 70 times the last layer\'s gradient', () => {
    const layers = stack([120, 10, 1]);
    assert.equal(detectExploding([layers, layers], 0.5, t)?.kind, 'exploding-gradients');
  });

  it('fires at once on an infinite gradient norm or a loss of 1e5', () => {
    assert.equal(detectExploding([stack([1, Number.POSITIVE_INFINITY, 1])], 0.5, t)?.severity, 'error');
    assert.equal(detectExploding([stack([1, 1, 1])], 2e5, t)?.evidence.trainLoss, 2e5);
  });

  it('stays quiet for balanced norms', () => {
    const layers = stack([1, 0.8, 0.5]);
    assert.equal(detectExploding([layers, layers], 0.5, t), null);
  });
});

describe('non-finite values', () => {
  it('names every NaN or infinite loss and gradient norm', () => {
    const found = detectNonFinite({ 'training loss': Number.NaN, 'validation loss': 0.3 }, stack([1, Number.NaN]));
    assert.equal(found?.kind, 'non-finite');
    assert.match(found!.message, /training loss = NaN.*dense2 gradient norm = NaN/);
  });

  it('stays quiet when everything is finite', () => {
    assert.equal(detectNonFinite({ loss: 0.2 }, stack([1, 1])), null);
  });
});

describe('dying ReLU', () => {
  it('fires when half of a ReLU layer\'s units never activate for two epochs', () => {
    const layers = stack([0.1, 0.1], { deadFraction: 0.6 });
    const found = detectDyingRelu([layers, layers], t);
    assert.equal(found?.kind, 'dying-relu');
    assert.equal(found!.evidence.deadFraction, 0.6);
  });

  it('stays quiet below the threshold or for one epoch', () => {
    const some = stack([0.1, 0.1], { deadFraction: 0.2 });
    const many = stack([0.1, 0.1], { deadFraction: 0.9 });
    assert.equal(detectDyingRelu([some, some], t), null);
    assert.equal(detectDyingRelu([many], t), null);
  });
});
