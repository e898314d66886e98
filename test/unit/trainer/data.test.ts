/** The built-in data sets and how a spec's data is split and scaled. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { legendre, loadDataset, prepare } from '../../../trainer/data/dataset.js';
import { Random } from '../../../trainer/data/random.js';
import { classCounts, hoursVsScore, spiral, trueScore, twoMoons } from '../../../trainer/data/synthetic.js';
import { validateSpec } from '../../../trainer/spec/validate.js';

const specWith = (data: object) => {
  const { spec, errors } = validateSpec(JSON.stringify({ data, model: { layers: [{ type: 'dense', units: 1 }] }, loss: { type: data && (data as { kind: string }).kind === 'hours-vs-score' ? 'mse' : 'binary-crossentropy', fromLogits: true }, optimizer: { type: 'adam' } }));
  assert.deepEqual(errors, []);
  return spec!;
};

describe('synthetic data', () => {
  it('scatters hours-vs-score around the true arc', () => {
    const data = hoursVsScore(2000, 5, new Random(1));
    const residuals = data.x.map((row, i) => data.y[i]! - trueScore(row[0]!));
    const sd = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
    assert.ok(Math.abs(sd - 5) < 0.3, `noise sd ${sd}`);
    assert.ok(data.x.every(([h]) => h! >= 0 && h! < 10));
    assert.ok(trueScore(0) === 0 && trueScore(10) > 99 && trueScore(2) > 60, 'a concave arc');
  });

  it('splits samples by the class ratio, exactly', () => {
    assert.deepEqual(classCounts(400, 2, [19, 1]), [380, 20]);
    assert.deepEqual(classCounts(10, 3), [4, 3, 3]);
    const moons = twoMoons(200, 0.1, new Random(1), [3, 1]);
    assert.deepEqual([moons.y.filter((c) => c === 0).length, moons.y.filter((c) => c === 1).length], [150, 50]);
  });

  it('makes one spiral arm per class', () => {
    const data = spiral(300, 5, 0.2, new Random(1));
    assert.equal(data.classes, 5);
    assert.deepEqual(new Set(data.y), new Set([0, 1, 2, 3, 4]));
  });

  it('gives the same data for the same seed', () => {
    const a = loadDataset(specWith({ kind: 'two-moons', seed: 5 }), '.');
    const b = loadDataset(specWith({ kind: 'two-moons', seed: 5 }), '.');
    const c = loadDataset(specWith({ kind: 'two-moons', seed: 6 }), '.');
    assert.deepEqual(a.train.x, b.train.x);
    assert.notDeepEqual(a.train.x, c.train.x);
  });
});

describe('prepare', () => {
  it('keeps each class\'s share in both splits of imbalanced data', () => {
    const data = loadDataset(specWith({ kind: 'two-moons', samples: 400, classRatio: [19, 1], validationFraction: 0.25 }), '.');
    assert.deepEqual(data.classCounts, [285, 15]);
    assert.equal(data.val.n, 100);
    assert.equal(Array.from(data.val.y).filter((c) => c === 1).length, 5);
  });

  it('standardizes features and a regression target with the training statistics', () => {
    const data = loadDataset(specWith({ kind: 'hours-vs-score', samples: 200 }), '.');
    const xs = Array.from(data.train.x);
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    assert.ok(Math.abs(mean) < 1e-5);
    assert.ok(Math.abs(data.targetVariance - 1) < 1e-5);
  });

  it('expands polynomial features as Legendre polynomials of the input on its known range', () => {
    const spec = specWith({ kind: 'hours-vs-score', samples: 50, polynomialDegree: 4 });
    const data = loadDataset(spec, '.');
    assert.equal(data.features, 4);
    assert.deepEqual(data.featureNames, ['P1(hours)', 'P2(hours)', 'P3(hours)', 'P4(hours)']);
    assert.ok(Array.from(data.train.x).every((v) => v >= -1 && v <= 1), 'Legendre values stay in [−1, 1] on the range');
  });

  it('computes Legendre polynomials by the recurrence', () => {
    const [p1, p2, p3] = legendre(0.5, 3);
    assert.equal(p1, 0.5);
    assert.ok(Math.abs(p2! - (3 * 0.25 - 1) / 2) < 1e-12);
    assert.ok(Math.abs(p3! - (5 * 0.125 - 3 * 0.5) / 2) < 1e-12);
  });

  it('holds nothing out with a validation fraction of 0', () => {
    const data = prepare({ x: [[1], [2], [3]], y: [1, 2, 3], featureNames: ['x'], task: 'regression' }, { validationFraction: 0, seed: 1, normalize: false, polynomialDegree: 1 });
    assert.equal(data.train.n, 3);
    assert.equal(data.val.n, 0);
  });
});
