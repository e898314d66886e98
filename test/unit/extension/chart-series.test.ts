/** Which charts the panel draws and which legend entries they list, for a given set of series. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartEntries, shownCharts, type SeriesPresence } from '../../../webviews/panel/chart-series.js';

const NONE: SeriesPresence = { trainLoss: false, valLoss: false, trainError: false, valError: false, lr: false, samplesPerSec: false, layers: [], compared: [] };
const labels = (key: Parameters<typeof chartEntries>[0], presence: SeriesPresence) => chartEntries(key, presence, 0.1).map((e) => e.label);

describe('chart series', () => {
  it('draws only the loss chart for a log with a training loss alone, and its legend has no "validation"', () => {
    const presence = { ...NONE, trainLoss: true };
    assert.deepEqual(shownCharts(presence, 0.1), ['loss']);
    assert.deepEqual(labels('loss', presence), ['training']);
  });

  it('draws no learning-rate or gradient chart for a run without them', () => {
    const presence = { ...NONE, trainLoss: true, valLoss: true, trainError: true, valError: true, layers: [{ name: 'dense1', hasData: false }] };
    assert.deepEqual(shownCharts(presence, 0.1), ['loss', 'error']);
    assert.deepEqual(labels('grads', presence), []);
    assert.deepEqual(labels('lr', presence), []);
  });

  it('keeps the loss chart even before any data arrives', () => {
    assert.deepEqual(shownCharts(NONE, 0.1), ['loss']);
    assert.deepEqual(labels('loss', NONE), []);
  });

  it('draws every chart of a full trainer run, in the grid\'s order', () => {
    const presence: SeriesPresence = { trainLoss: true, valLoss: true, trainError: true, valError: true, lr: true, samplesPerSec: true, layers: [{ name: 'dense1', hasData: true }], compared: [] };
    assert.deepEqual(shownCharts(presence, 0.1), ['loss', 'error', 'grads', 'lr', 'throughput']);
    assert.deepEqual(labels('lr', presence), ['learning rate']);
    assert.deepEqual(labels('throughput', presence), ['samples/s']);
  });

  it('draws ε on the error chart only next to an error curve', () => {
    assert.deepEqual(labels('error', NONE), []);
    const entries = chartEntries('error', { ...NONE, trainError: true }, 0.05);
    assert.deepEqual(entries.map((e) => e.label), ['training', 'ε = 0.05']);
    assert.equal(entries[1]!.dashed, true);
  });

  it('lists the layers with gradient norms, in the header\'s order, and skips those without', () => {
    const layers = [{ name: 'dense1', hasData: true }, { name: 'dropout', hasData: false }, { name: 'dense2', hasData: true }];
    const entries = chartEntries('grads', { ...NONE, layers }, 0.1);
    assert.deepEqual(entries.map((e) => e.label), ['dense1', 'dense2']);
    // The index keeps pointing at the layer (and its colour), whatever was skipped before it.
    assert.deepEqual(entries.map((e) => e.source), [{ kind: 'layer', index: 0 }, { kind: 'layer', index: 2 }]);
  });

  it('adds compared runs to the loss legend as dashed validation curves, only those with validation', () => {
    const presence = { ...NONE, trainLoss: true, compared: [{ name: 'run-a', hasData: true }, { name: 'run-b', hasData: false }] };
    const entries = chartEntries('loss', presence, 0.1);
    assert.deepEqual(entries.map((e) => [e.label, e.dashed ?? false]), [['training', false], ['run-a (validation)', true]]);
  });
});
