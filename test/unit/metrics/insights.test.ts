/** The run analyzer: labels, insights raised once, and a diagnosis that matches its numbers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndEvent, EpochEvent, LayerStats, RunEvent, StartEvent } from '../../../metrics/events.js';
import { analyzeEvents, RunAnalyzer } from '../../../metrics/insights.js';

const layers = (norms: number[]): LayerStats[] => norms.map((gradNorm, i) => ({ name: `dense${i + 1}`, kind: 'dense', gradNorm, weightNorm: 1, updateRatio: 1e-3 }));
const epochOf = (epoch: number, train: number, val: number, extra: Partial<EpochEvent> = {}): EpochEvent =>
  ({ type: 'epoch', epoch, train: { loss: train, error: train }, val: { loss: val, error: val }, wallTime: epoch, ...extra });

/** An overfitting run: training error falls towards 0, validation bottoms out at epoch 12 and climbs. */
function overfittingRun(n = 40): EpochEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const e = i + 1;
    return epochOf(e, 0.5 * Math.exp(-e / 6), 0.06 + 0.0015 * (e - 12) ** 2);
  });
}

describe('RunAnalyzer', () => {
  it('labels an overfitting run high variance and reports the onset once with the best epoch', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'normalized-mse' });
    const insights = overfittingRun().flatMap((e) => analyzer.addEpoch(e).insights);
    const onsets = insights.filter((i) => i.kind === 'overfitting-onset');
    assert.equal(onsets.length, 1);
    assert.equal(onsets[0]!.bestEpoch, 12);
    assert.match(onsets[0]!.remedies[0]!, /epoch 12/);
    const d = analyzer.diagnosis()!;
    assert.equal(d.regime, 'high-variance');
    assert.equal(d.epoch, 40);
    assert.match(d.summary, /^High variance since epoch \d+: training error .* ≤ ε = 0\.1 < validation error/);
    assert.ok(d.remedies.some((r) => r.includes('epoch 12')), 'suggests stopping at the best epoch');
  });

  it('describes a restored best epoch by its own numbers', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'normalized-mse' });
    for (const e of overfittingRun(25)) analyzer.addEpoch(e);
    const d = analyzer.diagnosis(12)!;
    assert.equal(d.epoch, 12);
    assert.equal(d.regime, 'good-fit');
    assert.ok(d.valError !== null && d.valError <= 0.1);
  });

  it('never states a regime its numbers contradict, even before the label is confirmed', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    analyzer.addEpoch(epochOf(1, 0.4, 0.4));
    analyzer.addEpoch(epochOf(2, 0.3, 0.3));
    const { point } = analyzer.addEpoch(epochOf(3, 0.05, 0.06));
    assert.equal(point.regime, 'high-bias', 'the live label waits for confirmation');
    assert.equal(analyzer.diagnosis()!.regime, 'good-fit', 'the diagnosis follows the numbers');
    assert.equal(analyzer.diagnosis()!.since, 3);
  });

  it('reports vanishing gradients once even while they persist', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    const found = Array.from({ length: 30 }, (_, i) => analyzer.addEpoch(epochOf(i + 1, 0.5, 0.5, { layers: layers([5e-5, 2e-4, 1e-3, 5e-3, 0.1]) })).insights).flat();
    assert.deepEqual(found.filter((i) => i.kind === 'vanishing-gradients').map((i) => i.epoch), [2]);
    assert.deepEqual(analyzer.insightKinds.slice(0, 1), ['vanishing-gradients']);
  });

  it('reports a flickering condition again only after it stayed clear for rearmEpochs', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error', thresholds: { gradientEpochs: 1, rearmEpochs: 3 } });
    const bad = layers([1e-6, 1e-4, 0.1]);
    const good = layers([0.1, 0.1, 0.1]);
    const pattern = [bad, good, bad, good, good, good, bad];
    const epochs = pattern.flatMap((l, i) => analyzer.addEpoch(epochOf(i + 1, 0.5, 0.5, { layers: l })).insights.filter((x) => x.kind === 'vanishing-gradients').map((x) => x.epoch));
    assert.deepEqual(epochs, [1, 7]);
  });

  it('suggests class weights for high bias on imbalanced classes', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'balanced-error', classCounts: [570, 30] });
    analyzer.addEpoch(epochOf(1, 0.3, 0.3));
    assert.ok(analyzer.diagnosis()!.remedies.some((r) => r.includes('class')));
  });

  it('honours threshold overrides', () => {
    const strict = new RunAnalyzer({ epsilon: 0.1, metric: 'error', thresholds: { vanishingRatio: 1e-6, vanishingFirstNorm: 1e-9 } });
    const found = [1, 2, 3].flatMap((e) => strict.addEpoch(epochOf(e, 0.5, 0.5, { layers: layers([5e-5, 1e-3, 0.1]) })).insights);
    assert.equal(found.some((i) => i.kind === 'vanishing-gradients'), false);
  });
});

describe('analyzeEvents', () => {
  it('takes ε and the metric from the start event and the diagnosis epoch from a restoring end event', () => {
    const start: StartEvent = { type: 'start', format: 'fitcheck-metrics', version: 1, runId: 'r', time: '2026-01-01T00:00:00Z', backend: 'wasm', versions: {}, task: 'regression', metric: 'normalized-mse', epsilon: 0.1, epochs: 25 };
    const end: EndEvent = { type: 'end', status: 'completed', epochs: 22, wallTime: 1, bestEpoch: 12, restoredBest: true, diagnosis: null };
    const events: RunEvent[] = [start, ...overfittingRun(22), end];
    const analysis = analyzeEvents(events);
    assert.equal(analysis.regimes.length, 22);
    assert.equal(analysis.diagnosis?.epoch, 12);
    assert.equal(analysis.diagnosis?.regime, 'good-fit');
    assert.equal(analysis.diagnosis?.metric, 'normalized-mse');
  });

  it('gives no diagnosis for a stream without epochs', () => {
    assert.equal(analyzeEvents([]).diagnosis, null);
  });
});
