/** Export CSV: one row per epoch, fixed columns then one per layer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, seriesCsv } from '../../../extension/series-csv.js';
import { RunSeries } from '../../../extension/run-series.js';
import { epoch, start } from './events-fixture.js';

describe('seriesCsv', () => {
  it('writes the header and one line per epoch, empty cells for what was not measured', () => {
    const series = RunSeries.fromEvents('r1', [start(), epoch(1, 0.5, undefined, { lr: 0.01 }), epoch(2, 0.25, 0.3)]);
    assert.equal(seriesCsv(series.rows, series.header.layers), [
      'epoch,train_loss,val_loss,train_error,val_error,lr,grad_norm_dense1,grad_norm_dense2',
      '1,0.5,,0.5,,0.01,0.5,1',
      '2,0.25,0.3,0.25,0.3,,0.25,0.5',
      '',
    ].join('\n'));
  });

  it('keeps non-finite values and a layer missing from an epoch', () => {
    const rows = [{ epoch: 1, trainLoss: Number.NaN, trainError: Number.POSITIVE_INFINITY, gradNorms: { a: 1 } }];
    assert.equal(seriesCsv(rows, ['a', 'b']), 'epoch,train_loss,val_loss,train_error,val_error,lr,grad_norm_a,grad_norm_b\n1,NaN,,Infinity,,,1,\n');
  });

  it('quotes layer names with separators or quotes', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(seriesCsv([], ['x,y']).trim(), 'epoch,train_loss,val_loss,train_error,val_error,lr,"grad_norm_x,y"');
  });

  it('is empty of data for a run without epochs', () => {
    assert.equal(seriesCsv([], []), 'epoch,train_loss,val_loss,train_error,val_error,lr\n');
  });
});
