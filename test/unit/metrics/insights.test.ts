/** The run analyzer: verdicts against noise, insights gated and merged, remedies from the root cause. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndEvent, EpochEvent, LayerStats, RunEvent, StartEvent } from '../../../metrics/diagnosis/events.js';
import { analyzeEvents, rankInsights, RunAnalyzer } from '../../../metrics/diagnosis/insights.js';
import { contradictions } from '../../../metrics/diagnosis/remedies.js';

const layers = (norms: number[]): LayerStats[] => norms.map((gradNorm, i) => ({ name: `dense${i + 1}`, kind: 'dense', gradNorm, weightNorm: 1, updateRatio: 1e-3 }));
/** An epoch measured on 1,000 examples per split, each error with a standard error of 0.005. */
const epochOf = (epoch: number, train: number, val: number, extra: Partial<EpochEvent> = {}): EpochEvent =>
  ({ type: 'epoch', epoch, train: { loss: train, error: train, n: 1000, errorStdErr: 0.005 }, val: { loss: val, error: val, n: 1000, errorStdErr: 0.005 }, wallTime: epoch, ...extra });
const lossOnly = (epoch: number, loss: number): EpochEvent => ({ type: 'epoch', epoch, train: { loss, error: loss }, wallTime: epoch });

/** An overfitting run: training error falls towards 0, validation bottoms out at epoch 12 and climbs. */
function overfittingRun(n = 40): EpochEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const e = i + 1;
    return epochOf(e, 0.5 * Math.exp(-e / 6), 0.06 + 0.0015 * (e - 12) ** 2);
  });
}

describe('RunAnalyzer verdicts', () => {
  it('labels an overfitting run high variance and reports the onset once with the best epoch', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'normalized-mse' });
    const insights = overfittingRun().flatMap((e) => analyzer.addEpoch(e).insights);
    const onsets = insights.filter((i) => i.kind === 'overfitting-onset');
    assert.equal(onsets.length, 1);
    assert.equal(onsets[0]!.bestEpoch, 12);
    assert.match(onsets[0]!.remedies[0]!, /epoch 12/);
    const d = analyzer.diagnosis()!;
    assert.equal(d.state, 'decided');
    assert.equal(d.regime, 'high-variance');
    assert.equal(d.epoch, 40);
    assert.match(d.summary, /^High variance since epoch \d+: training error .* ≤ ε = 0\.1 < validation error/);
    assert.ok(d.remedies.some((r) => r.includes('epoch 12')), 'suggests stopping at the best epoch');
  });

  it('describes a restored best epoch by its own call', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'normalized-mse' });
    for (const e of overfittingRun(25)) analyzer.addEpoch(e);
    const d = analyzer.diagnosis(12)!;
    assert.equal(d.epoch, 12);
    assert.equal(d.regime, 'good-fit');
    assert.equal(d.since, 12);
  });

  it('waits for confirmation before changing its verdict, and never states numbers against its headline', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    analyzer.addEpoch(epochOf(1, 0.4, 0.4));
    analyzer.addEpoch(epochOf(2, 0.3, 0.3));
    const { point } = analyzer.addEpoch(epochOf(3, 0.05, 0.06));
    assert.equal(point.label, 'high-bias', 'one good epoch does not overturn a verdict');
    const d = analyzer.diagnosis()!;
    assert.equal(d.regime, 'high-bias');
    assert.match(d.evidence, /^at epoch 2, training error 0\.3/);
    assert.match(d.evidence, /latest epoch looks good fit, not yet confirmed/);
  });

  it('says "not yet decided" with the numbers when the validation error is within its noise of ε', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    for (let e = 1; e <= 6; e++) analyzer.addEpoch({ type: 'epoch', epoch: e, train: { loss: 0.02, error: 0.02, n: 1000 }, val: { loss: 0.1, error: 0.1, n: 40 }, wallTime: e });
    const d = analyzer.diagnosis()!;
    assert.equal(d.state, 'undecided');
    assert.equal(d.regime, null);
    assert.equal(d.headline, 'Not yet decided');
    assert.match(d.evidence, /validation error 0\.1 ± 0\.\d+ on 40 validation examples is within its noise of ε = 0\.1/);
  });

  it('gives a loss-only run no verdict and says what is missing', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'loss' });
    for (let e = 1; e <= 20; e++) analyzer.addEpoch(lossOnly(e, 0.41));
    const d = analyzer.diagnosis()!;
    assert.equal(d.state, 'no-verdict');
    assert.match(d.evidence, /log an accuracy or error metric, or set ε for this loss/);
    assert.ok(!d.remedies.some((r) => /more complex model/.test(r)));
  });

  it('judges a bare loss against ε once the user set ε for it', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.5, metric: 'loss', epsilonSet: true });
    for (let e = 1; e <= 8; e++) analyzer.addEpoch(lossOnly(e, 0.2 + 0.001 * (e % 2)));
    assert.equal(analyzer.diagnosis()!.regime, 'good-fit');
  });

  it('gives reinforcement learning no verdict and no loss-curve insights, however the loss swings', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'loss', objective: 'reinforcement' });
    const found = Array.from({ length: 200 }, (_, i) => analyzer.addEpoch(lossOnly(i + 1, 8 + 6 * Math.sin(i * 2.1) + (i % 7 === 0 ? 30 : 0))).insights).flat();
    assert.deepEqual(found.map((i) => i.kind), []);
    assert.equal(analyzer.diagnosis()!.state, 'no-verdict');
    assert.match(analyzer.diagnosis()!.evidence, /reinforcement-learning/);
  });

  it('diagnoses a run that became non-finite as failed, not as a regime', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    analyzer.addEpoch(epochOf(1, 0.4, 0.4));
    analyzer.addEpoch({ ...epochOf(2, 0.4, 0.4), train: { loss: Number.NaN, error: 0.5 } });
    const d = analyzer.diagnosis()!;
    assert.equal(d.state, 'failed');
    assert.equal(d.regime, null);
    assert.match(d.evidence, /NaN/);
  });

  it('takes the failure of a failed end event into the diagnosis', () => {
    const start: StartEvent = { type: 'start', format: 'fitcheck-metrics', version: 1, runId: 'r', time: '2026-01-01T00:00:00Z', backend: 'wasm', versions: {}, task: 'binary', metric: 'error', epsilon: 0.1, epochs: 5 };
    const end: EndEvent = { type: 'end', status: 'failed', epochs: 2, wallTime: 1, error: 'the training loss reached 17300000', diagnosis: null };
    const d = analyzeEvents([start, epochOf(1, 0.4, 0.4), epochOf(2, 0.4, 0.4), end]).diagnosis!;
    assert.equal(d.state, 'failed');
    assert.match(d.evidence, /17300000/);
  });

  it('judges imbalanced classes measured by plain error on the balanced error and says why', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error', classCounts: [2900, 100] });
    const found = Array.from({ length: 6 }, (_, i) => analyzer.addEpoch({
      type: 'epoch', epoch: i + 1, wallTime: i,
      train: { loss: 0.1, error: 0.024, balancedError: 0.35, balancedErrorStdErr: 0.02, n: 3000 },
      val: { loss: 0.1, error: 0.027, balancedError: 0.36, balancedErrorStdErr: 0.02, n: 3000 },
    }).insights).flat();
    const imbalance = found.filter((i) => i.kind === 'class-imbalance');
    assert.equal(imbalance.length, 1);
    assert.match(imbalance[0]!.message, /29:1.*0\.027.*0\.36/);
    const d = analyzer.diagnosis()!;
    assert.equal(d.regime, 'high-bias');
    assert.equal(d.metric, 'balanced-error');
    assert.equal(d.balancedError, 0.36);
    assert.ok(d.remedies.some((r) => /class/.test(r)));
  });

  it('says an ε below the noise floor is unreachable instead of asking for a bigger model', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.05, metric: 'error', noiseFloor: 0.15 });
    const found = Array.from({ length: 6 }, (_, i) => analyzer.addEpoch(epochOf(i + 1, 0.16, 0.17)).insights).flat();
    assert.ok(found.some((i) => i.kind === 'unreachable-epsilon'));
    const d = analyzer.diagnosis()!;
    assert.match(d.remedies[0]!, /noise floor/);
    assert.ok(!d.remedies.some((r) => /more complex model/.test(r)));
  });

  it('speaks of steps on a step axis', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error', axis: 'step' });
    for (let e = 1; e <= 5; e++) analyzer.addEpoch({ ...epochOf(e, 0.4, 0.4), step: e * 1000 - 1 });
    const d = analyzer.diagnosis()!;
    assert.equal(d.step, 4999);
    assert.match(d.summary, /since step \d+/);
  });
});

describe('RunAnalyzer insights', () => {
  it('reports vanishing gradients once even while they persist', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    const found = Array.from({ length: 30 }, (_, i) => analyzer.addEpoch(epochOf(i + 1, 0.5, 0.5, { layers: layers([5e-5, 2e-4, 1e-3, 5e-3, 0.1]) })).insights).flat();
    assert.deepEqual(found.filter((i) => i.kind === 'vanishing-gradients').map((i) => i.epoch), [2]);
    assert.deepEqual(analyzer.insightKinds.slice(0, 1), ['vanishing-gradients']);
  });

  it('reopens a flickering condition only after it stayed clear for rearmEpochs, as an update of the same insight', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error', thresholds: { gradientEpochs: 1, rearmEpochs: 3 } });
    const bad = layers([1e-6, 1e-4, 0.1]);
    const good = layers([0.1, 0.1, 0.1]);
    const pattern = [bad, good, bad, good, good, good, bad];
    const events = pattern.flatMap((l, i) => analyzer.addEpoch(epochOf(i + 1, 0.5, 0.5, { layers: l })).insights.filter((x) => x.kind === 'vanishing-gradients'));
    assert.deepEqual(events.map((x) => x.epoch), [1, 7]);
    assert.equal(events[1]!.update, true);
    assert.equal(events[1]!.since, 1);
  });

  it('puts the root cause first: vanishing gradients with high bias lead with ReLU, not a bigger model', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    for (let e = 1; e <= 10; e++) analyzer.addEpoch(epochOf(e, 0.5, 0.5, { layers: layers([5e-5, 2e-4, 1e-3, 5e-3, 0.1]) }));
    const d = analyzer.diagnosis()!;
    assert.equal(d.regime, 'high-bias');
    assert.match(d.remedies[0]!, /ReLU/);
    assert.ok(d.remedies.some((r) => /batch normalization/.test(r)));
    assert.ok(d.remedies.some((r) => /[Ii]nitiali[sz]e/.test(r)));
    assert.ok(!d.remedies.some((r) => /more complex model/.test(r)));
  });

  it('raises no plateau while a divergence is open, and shows no contradictory remedies', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    const losses = [1, 0.5, 0.4, ...Array.from({ length: 30 }, (_, i) => 2 + i * 0.0001)];
    const found = losses.flatMap((l, i) => analyzer.addEpoch({ ...epochOf(i + 1, 0.5, 0.5), train: { loss: l, error: 0.5, n: 1000, errorStdErr: 0.005 } }).insights);
    assert.ok(found.some((i) => i.kind === 'divergence'));
    assert.ok(!found.some((i) => i.kind === 'plateau'));
    const shown = [...analyzer.diagnosis()!.remedies, ...analyzer.openInsights.flatMap((i) => i.remedies)];
    assert.deepEqual(contradictions(shown), []);
  });

  it('does not call a validation loss creeping from 1.0e-4 to 1.2e-4 with no validation errors overfitting', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    const found = Array.from({ length: 80 }, (_, i) => {
      const e = i + 1;
      const valLoss = e < 40 ? 1e-4 : 1e-4 + 2e-5 * Math.min(1, (e - 40) / 5);
      return analyzer.addEpoch({ type: 'epoch', epoch: e, wallTime: e, train: { loss: 1e-3 / e, error: 0, n: 1000 }, val: { loss: valLoss, error: 0, n: 1000 } }).insights;
    }).flat();
    assert.ok(!found.some((i) => i.kind === 'overfitting-onset'));
  });

  it('does not call overfitting while the training error is still clearly above ε', () => {
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
    const found = Array.from({ length: 40 }, (_, i) => {
      const e = i + 1;
      return analyzer.addEpoch(epochOf(e, 0.4 - 0.001 * e, 0.45 + 0.002 * Math.max(0, e - 10), { train: { loss: 1 - 0.01 * e, error: 0.4 - 0.001 * e, n: 1000, errorStdErr: 0.005 } })).insights;
    }).flat();
    assert.ok(!found.some((i) => i.kind === 'overfitting-onset'));
  });

  it('honours threshold overrides', () => {
    const strict = new RunAnalyzer({ epsilon: 0.1, metric: 'error', thresholds: { vanishingRatio: 1e-6, vanishingFirstNorm: 1e-9 } });
    const found = [1, 2, 3].flatMap((e) => strict.addEpoch(epochOf(e, 0.5, 0.5, { layers: layers([5e-5, 1e-3, 0.1]) })).insights);
    assert.equal(found.some((i) => i.kind === 'vanishing-gradients'), false);
  });

  it('ranks errors first, then root causes, then the newest', () => {
    const ranked = rankInsights([
      { kind: 'plateau', severity: 'warning', epoch: 30 },
      { kind: 'vanishing-gradients', severity: 'warning', epoch: 2 },
      { kind: 'divergence', severity: 'error', epoch: 10 },
      { kind: 'plateau', severity: 'info', epoch: 40 },
    ] as const);
    assert.deepEqual(ranked.map((i) => `${i.kind}@${i.epoch}`), ['divergence@10', 'vanishing-gradients@2', 'plateau@30', 'plateau@40']);
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
