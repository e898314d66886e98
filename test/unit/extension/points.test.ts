/** Chart points: gaps for what a chart cannot draw, no points for what a run did not measure. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CURVES, curvePoints, exactValue, gradPoints, plottable } from '../../../webviews/panel/points.js';
import { toRow } from '../../../extension/run-series.js';
import { epoch } from './events-fixture.js';

describe('chart points', () => {
  it('turns non-finite values, and non-positive ones on a log axis, into gaps', () => {
    assert.equal(plottable(0.5), 0.5);
    assert.ok(Number.isNaN(plottable(Number.POSITIVE_INFINITY)));
    assert.ok(Number.isNaN(plottable(0, true)));
    assert.equal(plottable(0), 0);
    assert.ok(Number.isNaN(plottable(undefined)));
  });

  it('skips epochs without validation and keeps layer points in epoch order', () => {
    const rows = [toRow(epoch(1, 0.5)), toRow(epoch(2, 0.4, 0.45))];
    assert.deepEqual(curvePoints(rows, CURVES.valLoss), [{ x: 2, y: 0.45 }]);
    assert.deepEqual(curvePoints(rows, CURVES.trainError).map((p) => p.x), [1, 2]);
    assert.deepEqual(gradPoints(rows, 'dense2'), [{ x: 1, y: 1 }, { x: 2, y: 0.5 }]);
    assert.deepEqual(gradPoints(rows, 'nope'), []);
  });

  it('draws learning rate and throughput when the epochs report them, with log gaps on request', () => {
    const rows = [toRow(epoch(1, 0.5, undefined, { lr: 0.1, samplesPerSec: 1200 })), toRow(epoch(2, 0.4, undefined, { lr: 0 }))];
    assert.deepEqual(curvePoints(rows, CURVES.samplesPerSec), [{ x: 1, y: 1200 }]);
    assert.deepEqual(curvePoints(rows, CURVES.lr).map((p) => p.y), [0.1, 0]);
    const log = curvePoints(rows, CURVES.lr, true);
    assert.equal(log[0]!.y, 0.1);
    assert.ok(Number.isNaN(log[1]!.y));
  });

  it('shows tooltip values with six significant digits, not rounded to three decimals', () => {
    assert.equal(exactValue(0.123456789), '0.123457');
    assert.equal(exactValue(0.00012345678), '0.000123457');
    assert.equal(exactValue(1234.5678), '1234.57');
    assert.equal(exactValue(3e-7), '3e-7');
    assert.equal(exactValue(1.23456789e-9), '1.23457e-9');
    assert.equal(exactValue(0), '0');
    assert.equal(exactValue(Number.NaN), 'NaN');
    assert.equal(exactValue(Number.POSITIVE_INFINITY), 'Infinity');
  });
});
