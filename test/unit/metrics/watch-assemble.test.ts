/** Scalar series of another tool's run become Fitcheck epochs, regimes and insights. */
import assert from 'node:assert/strict';
import { encodeEvent } from '../../../metrics/diagnosis/codec.js';
import { describe, it } from 'node:test';
import type { EndEvent, EpochEvent, InsightEvent, RunEvent, StartEvent } from '../../../metrics/diagnosis/events.js';
import { addPoint, seriesOf, type ScalarSeries } from '../../../metrics/diagnosis/scalars.js';
import { assembleRun } from '../../../metrics/watch/assemble.js';

const T0 = 1_700_000_000;
function series(points: [string, number, number][]): Map<string, ScalarSeries> {
  const map = new Map<string, ScalarSeries>();
  for (const [tag, step, value] of points) addPoint(map, tag, step, value, T0 + step);
  return map;
}
const epochs = (events: RunEvent[]) => events.filter((e): e is EpochEvent => e.type === 'epoch');
const options = { runId: 'watch-x-1', name: 'x', source: 'tensorboard' };

/** A run whose training accuracy climbs to 1 while validation accuracy stays at 0.6 and its loss rises. */
function overfitting(n: number): [string, number, number][] {
  const points: [string, number, number][] = [];
  for (let e = 1; e <= n; e++) {
    points.push(['train/loss', e, 1 / e], ['train/accuracy', e, Math.min(1, 0.5 + e * 0.05)]);
    points.push(['val/loss', e, e < 6 ? 1 - e * 0.05 : 0.7 + (e - 6) * 0.1], ['val/accuracy', e, 0.6]);
  }
  return points;
}

describe('assembling a watched run', () => {
  it('dates a run whose tags it does not recognise by its first scalar, not 1970', () => {
    const run = assembleRun(series([['Reward/episode', 3, 1], ['Q/max', 1, 0.5]]), options);
    const start = run.events[0] as StartEvent;
    assert.equal(start.time, new Date((T0 + 1) * 1000).toISOString());
  });

  it('makes one epoch per validation step, with errors from accuracies, and diagnoses high variance', () => {
    const run = assembleRun(series(overfitting(20)), options);
    const list = epochs(run.events);
    assert.equal(list.length, 20);
    assert.equal(run.metric, 'error');
    assert.equal(list[19]!.step, 20);
    assert.ok(Math.abs(list[19]!.train.error - 0) < 1e-9);
    assert.ok(Math.abs(list[19]!.val!.error - 0.4) < 1e-9);
    assert.equal(list[19]!.regime, 'high-variance');
    const insights = run.events.filter((e): e is InsightEvent => e.type === 'insight');
    assert.ok(insights.some((i) => i.kind === 'overfitting-onset' && i.bestEpoch === 6), JSON.stringify(insights.map((i) => [i.kind, i.bestEpoch])));
    const start = run.events[0] as StartEvent;
    assert.equal(start.type, 'start');
    assert.equal(start.runId, 'watch-x-1');
    assert.equal(start.time, new Date((T0 + 1) * 1000).toISOString());
    assert.match(start.notes![0]!, /training loss: "train\/loss"/);
  });

  it('averages a per-batch training loss over each epoch between validation steps', () => {
    const points: [string, number, number][] = [];
    for (let step = 1; step <= 20; step++) points.push(['loss', step, step <= 10 ? 2 : 1]);
    points.push(['val_loss', 10, 2.5], ['val_loss', 20, 1.5]);
    const list = epochs(assembleRun(series(points), options).events);
    assert.deepEqual(list.map((e) => [e.step, e.train.loss, e.val?.loss]), [[10, 2, 2.5], [20, 1, 1.5]]);
  });

  it('compares the loss itself with ε when no accuracy was logged, and says so', () => {
    const run = assembleRun(series([['loss', 1, 0.5], ['loss', 2, 0.05]]), { ...options, epsilon: 0.1 });
    assert.equal(run.metric, 'loss');
    assert.deepEqual(epochs(run.events).map((e) => e.train.error), [0.5, 0.05]);
    assert.ok((run.events[0] as StartEvent).notes!.some((n) => /No accuracy was logged/.test(n)));
  });

  it('reads accuracy logged in percent as a fraction', () => {
    const list = epochs(assembleRun(series([['acc', 1, 80], ['acc', 2, 95]]), options).events);
    assert.deepEqual(list.map((e) => Number(e.train.error.toFixed(6))), [0.2, 0.05]);
  });

  it('keeps the last value of a step logged twice (a resumed run), as TensorBoard shows it', () => {
    const list = epochs(assembleRun(series([['loss', 1, 3], ['loss', 2, 2], ['loss', 2, 1.5]]), options).events);
    assert.deepEqual(list.map((e) => e.train.loss), [3, 1.5]);
  });

  it('turns per-layer gradient norms into layer statistics, averaging passes logged at one step', () => {
    const run = assembleRun(series([['loss', 1, 1], ['grad_norm/0', 1, 2], ['grad_norm/0', 1, 4], ['grad_norm/2', 1, 0.5], ['weight_norm/0', 1, 3]]), options);
    const [epoch] = epochs(run.events);
    assert.deepEqual(epoch!.layers!.map((l) => [l.name, l.gradNorm, l.weightNorm]), [['0', 3, 3], ['2', 0.5, Number.NaN]]);
    assert.deepEqual((run.events[0] as StartEvent).layers, ['0', '2']);
  });

  it("ends the run with the writer's status and the final diagnosis when the writer wrote an end", () => {
    const helper: RunEvent[] = [
      { type: 'start', format: 'fitcheck-metrics', version: 1, runId: 'r', time: '2026-01-01T00:00:00.000Z', backend: 'pytorch', versions: { torch: '1.13' }, task: 'multiclass', metric: 'error', epsilon: 0.05, epochs: 0 },
      { type: 'end', status: 'failed', error: 'RuntimeError: boom', wallTime: 9 } as unknown as EndEvent,
    ];
    const run = assembleRun(series(overfitting(8)), { ...options, events: helper });
    const start = run.events[0] as StartEvent;
    assert.equal(start.epsilon, 0.05);
    assert.equal(start.backend, 'pytorch');
    const end = run.events[run.events.length - 1] as EndEvent;
    assert.equal(end.type, 'end');
    assert.equal(end.status, 'failed');
    assert.equal(end.error, 'RuntimeError: boom');
    assert.equal(end.epochs, 8);
    assert.equal(end.diagnosis?.epoch, 8);
  });

  it('gives a start event and no epochs when no tag is a loss or an accuracy', () => {
    const run = assembleRun(series([['avg.reward/ep.', 1, 3]]), options);
    assert.equal(run.events.length, 1);
    assert.match((run.events[0] as StartEvent).notes![0]!, /No tag was recognised/);
  });

  it('keeps earlier events unchanged as epochs are added, so a live view can append', () => {
    const all = overfitting(12);
    const early = assembleRun(series(all.slice(0, 24)), options).events.map((e) => JSON.stringify(e));
    const later = assembleRun(series(all), options).events.map((e) => JSON.stringify(e));
    assert.deepEqual(later.slice(0, early.length), early);
    assert.ok(later.length > early.length);
  });

  it('compares losses on both splits when only the validation split logs an accuracy (HuggingFace Trainer)', () => {
    const run = assembleRun(series([['train/loss', 1, 0.35], ['eval/loss', 1, 0.4], ['eval/accuracy', 1, 0.85]]), options);
    assert.equal(run.metric, 'loss');
    const [epoch] = epochs(run.events);
    assert.deepEqual([epoch!.train.error, epoch!.val!.error, epoch!.val!.accuracy], [0.35, 0.4, 0.85]);
    assert.ok((run.events[0] as StartEvent).notes!.some((n) => /one split only/.test(n)));
  });

  it('groups a long per-batch loss with no validation into at most 1,000 epochs, without overflowing the stack', () => {
    const map = new Map<string, ScalarSeries>();
    const n = 150_000;
    map.set('loss', seriesOf('loss', Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => 1 / (1 + i / 1000)), Array.from({ length: n }, (_, i) => T0 + i)));
    const run = assembleRun(map, options);
    const list = epochs(run.events);
    assert.ok(list.length <= 1000 && list.length > 500, `${list.length} epochs`);
    assert.equal(list[list.length - 1]!.step, n - 1);
    assert.ok((run.events[0] as StartEvent).notes!.some((n) => /More than 1,000 logged steps: drawn as epochs of 256 steps/.test(n)));
  });

  it('grows a long per-batch run live by appending epochs: the events before are a prefix of the events after', () => {
    const run = (n: number) => {
      const map = new Map<string, ScalarSeries>();
      map.set('loss', seriesOf('loss', Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => 1 / (1 + i / 1000)), Array.from({ length: n }, (_, i) => T0 + i)));
      return assembleRun(map, { ...options, live: true }).events.map((e) => encodeEvent(e));
    };
    // 5,000 then 5,100 steps: the same grouping (8 steps an epoch), so only whole new groups are added.
    const before = run(5_000);
    const after = run(5_100);
    assert.ok(after.length > before.length);
    assert.deepEqual(after.slice(0, before.length), before, 'no earlier event changed (the start note included)');
  });

  it('holds back, while live, an epoch whose validation arrived before its training values', () => {
    const points: [string, number, number][] = [['loss', 1, 1], ['val_loss', 1, 1.1], ['loss', 2, 0.8], ['val_loss', 2, 0.9], ['val_loss', 3, 0.85]];
    assert.equal(epochs(assembleRun(series(points), { ...options, live: true }).events).length, 2);
    assert.equal(epochs(assembleRun(series(points), options).events).length, 3);
    assert.equal(epochs(assembleRun(series([...points, ['loss', 3, 0.7]]), { ...options, live: true }).events).length, 3);
  });

  it('raises no divergence for a loss that can be negative (a reinforcement-learning objective)', () => {
    const points: [string, number, number][] = [];
    for (let e = 1; e <= 30; e++) points.push(['total_loss', e, e < 10 ? -0.02 * e : 2 + e * 0.1]);
    const insights = assembleRun(series(points), options).events.filter((e): e is InsightEvent => e.type === 'insight');
    assert.ok(!insights.some((i) => i.kind === 'divergence'), insights.map((i) => i.message).join('\n'));
  });
});

describe('extending a live assembly', () => {
  /** A deterministic PRNG, so a failure names a reproducible run. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return s / 2 ** 32;
    };
  }

  it('extends a long per-batch run grouped into epochs, with exactly the events of a fresh assembly', () => {
    const grown = new Map<string, ScalarSeries>();
    const cache: { key: string } = { key: 'k' };
    let reused = 0;
    // 2,600 steps in appends of 37: the grouping goes from 1 to 2 to 4 steps an epoch on the way.
    for (let step = 1; step <= 2_600; step++) {
      addPoint(grown, 'loss', step, 1 / step, T0 + step);
      if (step % 37 !== 0) continue;
      const live = assembleRun(grown, { ...options, live: true, cache });
      assert.deepEqual(live.events.map((e) => encodeEvent(e)), assembleRun(grown, { ...options, live: true }).events.map((e) => encodeEvent(e)), `at step ${step}`);
      if ((live.kept ?? 0) > 1) reused += 1;
    }
    assert.ok(reused > 50, `reused in ${reused} updates`);
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`gives exactly the events of a fresh assembly after every append, and reuses the earlier ones (run ${seed})`, () => {
      const random = rng(seed);
      // Points of a run in the order a writer logs them: per-batch train loss and lr, per-epoch
      // validation loss and accuracy (in percent for some seeds), gradient norms of two layers.
      const points: [string, number, number][] = [];
      const percent = seed % 2 === 0;
      for (let e = 1; e <= 60; e++) {
        // Seed 3's validation writer flushes first: the live epoch waits for its training values.
        if (seed === 3) points.push(['val/loss', e * 10 + 3, 2.2 / e], ['val/accuracy', e * 10 + 3, 0.5 + e / 200]);
        for (let b = 0; b < 4; b++) {
          const step = e * 10 + b;
          points.push(['train/loss', step, 2 / e + random() * 0.1], ['lr', step, 0.01 / e]);
          if (b === 3) points.push(['grad_norm/dense', step, random()], ['grad_norm/out', step, random()]);
        }
        const at = e * 10 + 3;
        if ((seed !== 6 || e !== 30) && seed !== 3) points.push(['val/loss', at, 2.2 / e + random() * 0.1], ['val/accuracy', at, (0.5 + e / 200) * (percent ? 100 : 1)]);
        // Seed 5 logs a point late, for a window already closed: the assembly must start over.
        if (seed === 5 && e === 40) points.push(['lr', 15, 0.5]);
      }
      const grown = new Map<string, ScalarSeries>();
      const cache: { key: string } = { key: 'k' };
      let reused = 0;
      let appends = 0;
      for (let i = 0; i < points.length;) {
        const n = 1 + Math.floor(random() * 12);
        for (const [tag, step, value] of points.slice(i, i + n)) addPoint(grown, tag, step, value, T0 + step);
        i += n;
        appends += 1;
        const live = assembleRun(grown, { ...options, live: true, cache });
        const fresh = assembleRun(grown, { ...options, live: true });
        assert.deepEqual(live.events.map((e) => encodeEvent(e)), fresh.events.map((e) => encodeEvent(e)), `after ${i} points`);
        if ((live.kept ?? 0) > 1) reused += 1;
      }
      assert.ok(reused > appends / 2, `the earlier events were reused in ${reused} of ${appends} updates`);
    });
  }

  it('starts over when the caller says earlier points changed (a file rewritten)', () => {
    const map = series(overfitting(10));
    const cache: { key: string } = { key: 'a' };
    assembleRun(map, { ...options, live: true, cache });
    assert.ok((assembleRun(map, { ...options, live: true, cache }).kept ?? 0) > 1);
    cache.key = 'b';
    assert.equal(assembleRun(map, { ...options, live: true, cache }).kept, 0);
  });
});
