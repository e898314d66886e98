/** The host's series of a run: rows for the charts, the header with a live diagnosis. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunSeries, toRow } from '../../../extension/run-series.js';
import { completedRun, end, epoch, insight, start } from './events-fixture.js';

describe('run series', () => {
  it('turns epoch events into rows with per-layer gradient norms', () => {
    const row = toRow(epoch(2, 0.3, 0.35));
    assert.deepEqual(row, { epoch: 2, trainLoss: 0.3, trainError: 0.3, valLoss: 0.35, valError: 0.35, regime: 'high-bias', gradNorms: { dense1: 0.25, dense2: 0.5 } });
    assert.equal('valLoss' in toRow(epoch(1, 0.3)), false);
    assert.equal('lr' in toRow(epoch(1, 0.3)), false);
    const timed = toRow(epoch(1, 0.3, undefined, { lr: 0.001, samplesPerSec: 850 }));
    assert.equal(timed.lr, 0.001);
    assert.equal(timed.samplesPerSec, 850);
  });

  it('fills the header from start, epochs, insights and end', () => {
    const series = new RunSeries('r');
    series.add(start());
    assert.equal(series.header.status, 'running');
    assert.equal(series.header.backend, 'wasm');
    assert.deepEqual(series.header.layers, ['dense1', 'dense2']);
    const row = series.add(epoch(1, 0.5, 0.6));
    assert.equal(row?.epoch, 1);
    assert.equal(series.header.epoch, 1);
    assert.equal(series.header.diagnosis?.regime, 'high-bias');
    assert.equal(series.add(insight(1)), undefined);
    assert.equal(series.header.insights[0]?.kind, 'plateau');
    series.add(end({ status: 'failed', error: 'boom' }));
    assert.equal(series.header.status, 'failed');
    assert.equal(series.header.reason, 'boom');
  });

  it('diagnoses live from the epochs, and takes the end event\'s diagnosis when it comes', () => {
    const events = completedRun();
    const series = RunSeries.fromEvents('r', events.slice(0, -1), true);
    assert.equal(series.header.status, 'running');
    assert.equal(series.header.diagnosis?.epoch, 5);
    const final = { ...series.header.diagnosis!, summary: 'from the trainer' };
    series.add(end({ diagnosis: final }));
    assert.equal(series.header.diagnosis?.summary, 'from the trainer');
    assert.equal(series.rows.length, 5);
  });

  it('follows each new epoch in the live diagnosis, read when the header is', () => {
    const series = new RunSeries('r');
    series.add(start());
    series.add(epoch(1, 0.5, 0.6));
    assert.equal(series.header.diagnosis?.epoch, 1);
    series.add(epoch(2, 0.05, 0.4));
    series.add(epoch(3, 0.04, 0.45));
    assert.equal(series.header.diagnosis?.epoch, 3);
    assert.equal(series.snapshot().header.diagnosis?.epoch, 3);
  });

  it('reads a finished run back with its end event\'s diagnosis, and keeps an insight\'s best epoch', () => {
    const final = { state: 'decided' as const, headline: 'High variance', evidence: 'training error 0.05 ≤ ε = 0.1 < validation error 0.3', regime: 'high-variance' as const, epoch: 4, since: 3, metric: 'error' as const, epsilon: 0.1, trainError: 0.05, valError: 0.3, gap: 0.25, summary: 'stored', remedies: [] };
    const events = completedRun();
    const series = RunSeries.fromEvents('r', [...events.slice(0, -1), { ...insight(4), kind: 'overfitting-onset', bestEpoch: 2 }, end({ diagnosis: final })]);
    assert.equal(series.header.diagnosis?.summary, 'stored');
    assert.equal(series.header.insights[0]?.bestEpoch, 2);
    assert.equal(series.rows.length, 5);
  });

  it('calls a stored run without an end event unknown, not running', () => {
    const series = RunSeries.fromEvents('r', completedRun().slice(0, 3));
    assert.equal(series.header.status, 'unknown');
  });

  it('keeps the insight list bounded', () => {
    const series = new RunSeries('r');
    series.add(start());
    for (let i = 1; i <= 80; i++) series.add(insight(i));
    assert.equal(series.header.insights.length, 50);
    assert.equal(series.header.insights[0]?.epoch, 31);
  });

  it('keeps NaN in rows, so the panel can show the gap', () => {
    const series = new RunSeries('r');
    const row = series.add(epoch(1, Number.NaN));
    assert.ok(Number.isNaN(row!.trainLoss));
  });
});
