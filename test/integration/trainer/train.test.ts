/** The training loop, run in this process: events, measurements, determinism, early stopping, failures. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import type { EndEvent, EpochEvent, InsightEvent, RunEvent, StartEvent } from '../../../metrics/diagnosis/events.js';
import { loadDataset } from '../../../trainer/data/dataset.js';
import { backendFor, runInProcess } from '../../../trainer/in-process.js';
import type { RunSpec } from '../../../trainer/spec/types.js';
import { validateSpec } from '../../../trainer/spec/validate.js';
import { classWeightsFor, trainRun } from '../../../trainer/train.js';
import { runspecFixture } from '../../unit/trainer/paths.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits the raw JSON freely
type RawSpec = Record<string, any>;

function spec(name: string, change: (raw: RawSpec) => void = () => undefined): RunSpec {
  const raw = JSON.parse(fs.readFileSync(runspecFixture(name), 'utf8')) as RawSpec;
  change(raw);
  const { spec: parsed, errors } = validateSpec(JSON.stringify(raw));
  assert.deepEqual(errors, []);
  return parsed!;
}

const run = (s: RunSpec) => runInProcess(s, { backend: 'wasm', runId: 'test' });
const epochs = (events: RunEvent[]) => events.filter((e): e is EpochEvent => e.type === 'epoch');

describe('trainRun', () => {
  it('emits start, batch, epoch and end events with the documented fields', async () => {
    const { events, end } = await run(spec('tiny.fitrun.json'));
    const start = events[0] as StartEvent;
    assert.equal(start.type, 'start');
    assert.equal(start.format, 'fitcheck-metrics');
    assert.equal(start.version, 1);
    assert.equal(start.backend, 'wasm');
    assert.equal(start.task, 'binary');
    assert.equal(start.metric, 'error');
    assert.deepEqual(start.data, { train: 90, validation: 30, features: 2, classes: 2, classCounts: [45, 45] });
    assert.deepEqual(start.layers, ['dense1', 'dense2']);
    assert.ok(start.versions.tfjs && start.versions.node);
    // 90 examples in batches of 30 is 3 batches; logEveryBatches 2 gives one batch event per epoch.
    const batches = events.filter((e) => e.type === 'batch');
    assert.equal(batches.length, 8);
    assert.ok(batches.every((b) => b.type === 'batch' && b.batch === 2 && b.gradNorms!.length === 2 && b.gradNorms!.every((g) => g > 0)));
    const all = epochs(events);
    assert.deepEqual(all.map((e) => e.epoch), [1, 2, 3, 4, 5, 6, 7, 8]);
    // Epochs carry the confirmed regime once there is one (none while undecided).
    assert.ok(end.diagnosis?.state !== 'decided' || all.at(-1)!.regime === end.diagnosis.regime);
    for (const e of all) {
      assert.ok(e.val && e.lr === 0.02 && e.samplesPerSec! > 0 && e.wallTime > 0);
      assert.equal(e.layers!.length, 2);
      for (const layer of e.layers!) assert.ok(layer.gradNorm > 0 && layer.weightNorm > 0 && layer.updateRatio > 0, layer.name);
      assert.ok(e.layers![0]!.deadFraction !== undefined, 'ReLU layers report dead units');
    }
    assert.ok(all[7]!.train.loss < all[0]!.train.loss, 'it learns');
    assert.equal(end.status, 'completed');
    assert.equal(end.epochs, 8);
    assert.ok(end.diagnosis && end.diagnosis.epoch === 8);
    assert.equal(events[events.length - 1], end);
  });

  it('repeats exactly for a seed and a backend', async () => {
    const losses = async (seed: number) => epochs((await run(spec('tiny.fitrun.json', (r) => { r.training.seed = seed; }))).events).map((e) => [e.train.loss, e.val!.loss]);
    const a = await losses(1);
    assert.deepEqual(await losses(1), a);
    assert.notDeepEqual(await losses(2), a);
  });

  it('stops early, restores the best epoch and diagnoses that epoch', async () => {
    const s = spec('tiny.fitrun.json', (r) => {
      r.training.epochs = 200;
      r.training.logEveryBatches = 0;
      r.optimizer.learningRate = 0.2;
      r.training.earlyStopping = { patience: 3 };
    });
    const { end } = await run(s);
    assert.equal(end.status, 'completed');
    assert.ok(end.epochs < 200);
    assert.match(end.reason!, /^early stopping: val_loss did not improve for 3 epochs \(best .* at epoch \d+\)$/);
    assert.equal(end.restoredBest, true);
    assert.equal(end.diagnosis!.epoch, end.bestEpoch);
  });

  it('fails the run with a non-finite insight when the loss overflows', async () => {
    const { events, end } = await run(spec('diverges.fitrun.json'));
    const insight = events.find((e): e is InsightEvent => e.type === 'insight' && e.kind === 'non-finite');
    assert.ok(insight, 'a non-finite insight');
    assert.equal(insight.severity, 'error');
    assert.equal(end.status, 'failed');
    assert.match(end.error!, /training loss became (NaN|Infinity)/);
    assert.ok(end.insights!.includes('non-finite'));
  });

  it('ends with status stopped when asked to stop', async () => {
    const s = spec('tiny.fitrun.json');
    const backend = await backendFor('wasm');
    let seen = 0;
    const end: EndEvent = await trainRun(s, loadDataset(s, '.'), {
      tf: backend.tf, runId: 'stop', backend: backend.backend, versions: backend.versions,
      emit: (e) => { if (e.type === 'epoch') seen = e.epoch; },
      shouldStop: () => seen >= 3,
    });
    assert.equal(end.status, 'stopped');
    assert.equal(end.epochs, 3);
    assert.equal(end.diagnosis!.epoch, 3);
  });

  it('reports the L1/L2 penalty and shrinks weights with decoupled weight decay', async () => {
    const penalized = epochs((await run(spec('tiny.fitrun.json', (r) => { r.model.layers[0].l2 = 0.01; }))).events);
    assert.ok(penalized.every((e) => e.penalty! > 0));
    const norm = async (weightDecay: number) => epochs((await run(spec('tiny.fitrun.json', (r) => { r.optimizer.weightDecay = weightDecay; }))).events).at(-1)!.layers![0]!.weightNorm;
    assert.ok(await norm(5) < await norm(0));
  });

  it('trains with every optimizer, schedule and clipping option', async () => {
    const optimizers = [
      { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, schedule: { type: 'step', stepSize: 2, gamma: 0.5 } },
      { type: 'adagrad', learningRate: 0.1, schedule: { type: 'exponential', gamma: 0.9 } },
      { type: 'rmsprop', learningRate: 0.01, momentum: 0.5 },
      { type: 'adam', learningRate: 0.01, weightDecay: 0.01 },
    ];
    for (const optimizer of optimizers) {
      const { events, end } = await run(spec('tiny.fitrun.json', (r) => { r.optimizer = optimizer; r.training.gradientClip = { norm: 1, value: 0.5 }; r.training.epochs = 4; }));
      assert.equal(end.status, 'completed', optimizer.type);
      const all = epochs(events);
      assert.ok(all[3]!.train.loss < all[0]!.train.loss, `${optimizer.type} learns`);
      if (optimizer.schedule?.type === 'step') assert.deepEqual(all.map((e) => e.lr), [0.1, 0.1, 0.05, 0.05]);
    }
  });

  it('trains batch norm, dropout and every activation', async () => {
    const layers = [
      { type: 'dense', units: 8, activation: 'linear' }, { type: 'batch-norm' }, { type: 'activation', activation: 'leaky-relu' },
      { type: 'dense', units: 8, activation: 'elu' }, { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 8, activation: 'selu', kernelInitializer: 'lecun-normal' },
      { type: 'dense', units: 8, activation: 'tanh' }, { type: 'dense', units: 8, activation: 'sigmoid' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ];
    const { events, end } = await run(spec('tiny.fitrun.json', (r) => { r.model.layers = layers; r.loss = { type: 'categorical-crossentropy' }; r.training.epochs = 3; }));
    assert.equal(end.status, 'completed');
    assert.deepEqual((events[0] as StartEvent).layers, ['dense1', 'batchnorm1', 'dense2', 'dense3', 'dense4', 'dense5', 'dense6']);
  });

  it('weights classes by n / (classes · count) when asked for balanced weights', () => {
    const s = spec('tiny.fitrun.json', (r) => { r.data.classRatio = [3, 1]; r.loss.classWeights = 'balanced'; });
    const data = loadDataset(s, '.');
    const [w0, w1] = classWeightsFor(s, data)!;
    assert.ok(Math.abs(w0! * data.classCounts![0]! - w1! * data.classCounts![1]!) < 1e-9, 'each class weighs the same in total');
  });
});
