/** The charts' x axis: epochs, or the steps a watched log logged, in titles, ticks and tooltips. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XAxis } from '../../../webviews/panel/x-axis.js';
import { RunSeries } from '../../../extension/run-series.js';
import type { RunEvent } from '../../../metrics/diagnosis/events.js';

describe('chart x axis', () => {
  it('names points by epoch for a run with epochs', () => {
    const axis = new XAxis();
    axis.reset(undefined);
    axis.record(3, 300);
    assert.equal(axis.word, 'epoch');
    assert.equal(axis.label(3), 'epoch 3');
    assert.equal(axis.rangeLabel(3, 9), 'epochs 3–9');
    assert.equal(axis.tick(5), '5');
    // A zoomed axis starts between epochs: no label there.
    assert.equal(axis.tick(53.447905625598054), '');
  });

  it('names points by their logged step on a step axis, in labels, ranges and ticks', () => {
    const axis = new XAxis();
    axis.reset('step');
    for (let i = 1; i <= 4; i++) axis.record(i, i * 128);
    assert.equal(axis.word, 'step');
    assert.equal(axis.label(2), 'step 256');
    assert.equal(axis.rangeLabel(1, 4), 'steps 128–512');
    assert.equal(axis.rangeLabel(4, 4), 'step 512');
    assert.equal(axis.tick(3), '384');
    // Between two points, or past the last one, a tick has no step to name.
    assert.equal(axis.tick(2.5), '');
    assert.equal(axis.tick(9), '');
  });

  it('forgets the last run\'s steps when the panel shows another run', () => {
    const axis = new XAxis();
    axis.reset('step');
    axis.record(1, 1000);
    axis.reset('epoch');
    assert.equal(axis.label(1), 'epoch 1');
    axis.reset('step');
    assert.equal(axis.label(1), 'step 1');
  });

  it('gets the axis and the logged steps from a watched run\'s events', () => {
    const events: RunEvent[] = [
      { type: 'start', format: 'fitcheck-metrics', version: 1, runId: 'watch-x', time: '2026-01-01T00:00:00.000Z', backend: 'tensorboard', versions: {}, task: 'regression', metric: 'loss', epsilon: 0.1, epochs: 0, axis: 'step' } as RunEvent,
      { type: 'epoch', epoch: 1, step: 500, train: { loss: 1, error: 1 }, wallTime: 1, durationMs: 1 } as unknown as RunEvent,
    ];
    const snapshot = RunSeries.fromEvents('watch-x', events).snapshot();
    assert.equal(snapshot.header.axis, 'step');
    assert.equal(snapshot.rows[0]!.step, 500);
  });
});
