/**
 * The custom training loop: mini-batch steps that measure per-layer gradient norms, weight norms
 * and update/weight ratios, an inference-mode evaluation of both splits every epoch, early
 * stopping, and the diagnosis from `metrics/diagnosis/insights`, all reported as metric events.
 */
import type { EndEvent, EpochEvent, ErrorMetric, InsightEvent, LayerStats, RunEvent, StartEvent, Task } from '../metrics/diagnosis/events.js';
import { METRICS_FORMAT, METRICS_FORMAT_VERSION } from '../metrics/diagnosis/events.js';
import { RunAnalyzer } from '../metrics/diagnosis/insights.js';
import { remedyTexts } from '../metrics/diagnosis/remedies.js';
import type { Dataset } from './data/dataset.js';
import { Random } from './data/random.js';
import { EarlyStopping } from './early-stopping.js';
import { evaluate, type SplitTensors } from './evaluate.js';
import { batchLoss } from './model/losses.js';
import { Network } from './model/network.js';
import { createOptimizer, learningRateAt, PlateauScheduler } from './model/optimizers.js';
import type { RunSpec } from './spec/types.js';
import type { Scalar, Tensor, Tensor1D, Tf, Variable } from './tf.js';

export interface TrainContext {
  tf: Tf;
  runId: string;
  backend: string;
  versions: Record<string, string>;
  /** Notes for the start event (backend fallback, skipped rows). */
  notes?: string[];
  emit(event: RunEvent): void;
  /** Polled between batches; true ends the run with status `stopped`. */
  shouldStop?(): boolean;
  /** Awaited now and then between batches, so a child process can receive a stop message. */
  yieldToEvents?(): Promise<void>;
  /** Set false to leave the (large) spec out of the start event. */
  includeSpec?: boolean;
}

/** How often (ms) the loop yields to the event loop. */
const YIELD_EVERY_MS = 25;

/** The error a spec is diagnosed with. */
export function resolveMetric(spec: RunSpec, data: Pick<Dataset, 'task'>): ErrorMetric {
  if (spec.diagnosis.metric !== 'auto') return spec.diagnosis.metric;
  return data.task === 'regression' ? 'normalized-mse' : 'error';
}

/** Per-example class weights for `loss.classWeights` ("balanced": n / (classes · count)). */
export function classWeightsFor(spec: RunSpec, data: Dataset): number[] | undefined {
  const weights = spec.loss.classWeights;
  if (weights === undefined || data.task !== 'classification' || !data.classCounts) return undefined;
  if (weights !== 'balanced') return weights;
  const n = data.train.n;
  const k = data.classCounts.length;
  return data.classCounts.map((count) => (count > 0 ? n / (k * count) : 0));
}

/** Trains `spec` on `data`, emitting events; resolves to the end event (also emitted). Never throws for training failures. */
export async function trainRun(spec: RunSpec, data: Dataset, ctx: TrainContext): Promise<EndEvent> {
  const { tf } = ctx;
  const started = performance.now();
  const wallTime = () => (performance.now() - started) / 1000;
  const metric = resolveMetric(spec, data);
  const task: Task = data.task === 'regression' ? 'regression' : spec.loss.type === 'binary-crossentropy' ? 'binary' : 'multiclass';
  const analyzer = new RunAnalyzer({
    epsilon: spec.diagnosis.epsilon,
    metric,
    ...(spec.diagnosis.thresholds ? { thresholds: spec.diagnosis.thresholds } : {}),
    ...(data.classCounts ? { classCounts: data.classCounts } : {}),
    sizes: { train: data.train.n, validation: data.val.n },
    ...(data.noiseFloor !== undefined ? { noiseFloor: data.noiseFloor } : {}),
  });

  const rng = new Random(spec.training.seed);
  const initRng = rng.fork();
  const shuffleRng = rng.fork();
  const dropoutRng = rng.fork();
  const net = new Network(tf, spec.model.layers, data.features, initRng);
  const variables = net.trainableVariables();
  const optimizer = createOptimizer(tf, spec.optimizer);
  const weights = classWeightsFor(spec, data);
  const train = toTensors(tf, data, 'train', weights);
  const val = data.val.n > 0 ? toTensors(tf, data, 'val', weights) : undefined;
  const batchSize = spec.training.batchSize === 'full' ? data.train.n : Math.min(spec.training.batchSize, data.train.n);
  const batchesPerEpoch = Math.ceil(data.train.n / batchSize);
  const earlyStopping = spec.training.earlyStopping ? new EarlyStopping(spec.training.earlyStopping) : undefined;
  const schedule = spec.optimizer.schedule;
  const plateau = schedule?.type === 'reduce-on-plateau' ? new PlateauScheduler(spec.optimizer.learningRate, schedule) : undefined;
  let snapshot: Tensor[] | undefined;
  let bestEpoch: number | undefined;
  let lastEpoch: EpochEvent | undefined;
  let step = 0;
  let lastYield = performance.now();

  const start: StartEvent = {
    type: 'start',
    format: METRICS_FORMAT,
    version: METRICS_FORMAT_VERSION,
    runId: ctx.runId,
    time: new Date().toISOString(),
    backend: ctx.backend,
    versions: ctx.versions,
    task,
    metric,
    epsilon: spec.diagnosis.epsilon,
    epochs: spec.training.epochs,
    batchesPerEpoch,
    data: {
      train: data.train.n,
      validation: data.val.n,
      features: data.features,
      ...(data.classes !== undefined ? { classes: data.classes } : {}),
      ...(data.classCounts ? { classCounts: data.classCounts } : {}),
      ...(data.noiseFloor !== undefined ? { noiseFloor: data.noiseFloor } : {}),
    },
    layers: net.groups.map((g) => g.name),
  };
  if (spec.name) start.name = spec.name;
  if (ctx.includeSpec !== false) start.spec = spec;
  const notes = [...(ctx.notes ?? []), ...data.notes];
  if (notes.length > 0) start.notes = notes;
  ctx.emit(start);

  const finish = (status: EndEvent['status'], extra: Partial<EndEvent> = {}): EndEvent => {
    const restoredBest = extra.restoredBest === true;
    const end: EndEvent = {
      type: 'end',
      status,
      epochs: lastEpoch?.epoch ?? 0,
      wallTime: wallTime(),
      ...extra,
      diagnosis: analyzer.diagnosis(restoredBest ? bestEpoch : undefined, status === 'failed' ? extra.error ?? extra.reason ?? 'the run failed' : undefined),
      insights: analyzer.insightKinds,
    };
    ctx.emit(end);
    return end;
  };

  try {
    for (let epoch = 1; epoch <= spec.training.epochs; epoch++) {
      const lr = plateau ? plateau.current : learningRateAt(spec.optimizer.learningRate, spec.optimizer.schedule, epoch, spec.training.epochs);
      const order = Array.from({ length: data.train.n }, (_, i) => i);
      if (spec.training.shuffle) shuffleRng.shuffle(order);
      const groups = net.groups.length;
      const gradSums = new Float64Array(groups);
      const ratioSums = new Float64Array(groups);
      let objectiveSum = 0;
      const loopStart = performance.now();

      for (let b = 0; b < batchesPerEpoch; b++) {
        const indices = order.slice(b * batchSize, Math.min(data.train.n, (b + 1) * batchSize));
        step += 1;
        const stats = trainStep(tf, spec, net, variables, optimizer, train, indices, lr, step, dropoutRng);
        const objective = stats[0]!;
        if (!Number.isFinite(objective)) {
          const insight = nonFiniteInsight(epoch, b + 1, objective);
          analyzer.noteInsight(insight);
          ctx.emit(insight);
          return finish('failed', { reason: insight.message, error: insight.message });
        }
        objectiveSum += objective * indices.length;
        for (let g = 0; g < groups; g++) {
          gradSums[g]! += Math.sqrt(stats[1 + g]!);
          const weightNorm = Math.sqrt(stats[1 + 2 * groups + g]!);
          ratioSums[g]! += weightNorm > 0 ? Math.sqrt(stats[1 + groups + g]!) / weightNorm : 0;
        }
        if (spec.training.logEveryBatches > 0 && (b + 1) % spec.training.logEveryBatches === 0) {
          const gradNorms = Array.from({ length: groups }, (_, g) => Math.sqrt(stats[1 + g]!));
          ctx.emit({ type: 'batch', epoch, batch: b + 1, step, loss: objective, lr, gradNorms, wallTime: wallTime() });
        }
        if (ctx.yieldToEvents && performance.now() - lastYield > YIELD_EVERY_MS) {
          await ctx.yieldToEvents();
          lastYield = performance.now();
        }
        if (ctx.shouldStop?.()) return finish('stopped', { reason: 'stopped by request' });
      }
      const loopSeconds = (performance.now() - loopStart) / 1000;

      const trainEval = evaluate(tf, net, spec.loss, data, metric, train, true);
      const event: EpochEvent = {
        type: 'epoch',
        epoch,
        train: trainEval.metrics,
        runningLoss: objectiveSum / data.train.n,
        lr,
        layers: layerStats(tf, net, gradSums, ratioSums, batchesPerEpoch, trainEval.deadFractions),
        samplesPerSec: loopSeconds > 0 ? data.train.n / loopSeconds : 0,
        wallTime: 0,
      };
      if (val) event.val = evaluate(tf, net, spec.loss, data, metric, val).metrics;
      if (net.penalized) event.penalty = tf.tidy(() => net.penalty().dataSync()[0]!);
      event.wallTime = wallTime();
      const { regime, insights: found } = analyzer.addEpoch(event);
      if (regime) event.regime = regime;
      ctx.emit(event);
      for (const insight of found) ctx.emit(insight);
      lastEpoch = event;
      // Like Keras' and PyTorch's ReduceLROnPlateau: the validation loss when there is one.
      plateau?.update(event.val?.loss ?? event.train.loss);

      if (found.some((i) => i.kind === 'non-finite')) {
        return finish('failed', { reason: found.find((i) => i.kind === 'non-finite')!.message, error: 'non-finite loss or gradients' });
      }
      if (earlyStopping) {
        const { improved, stop } = earlyStopping.update(event);
        if (improved) {
          bestEpoch = epoch;
          if (spec.training.earlyStopping!.restoreBest) {
            tf.dispose(snapshot ?? []);
            snapshot = net.allVariables().map((v) => tf.clone(v));
          }
        }
        if (stop && epoch < spec.training.epochs) {
          const restoredBest = restore(net, snapshot, epoch, bestEpoch);
          return finish('completed', { reason: earlyStopping.reason(), ...bestFields(bestEpoch, restoredBest) });
        }
      }
    }
    const restoredBest = earlyStopping ? restore(net, snapshot, lastEpoch?.epoch ?? 0, bestEpoch) : false;
    return finish('completed', bestFields(bestEpoch ?? analyzer.bestValEpoch(), restoredBest));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return finish('failed', { reason: `training failed: ${message}`, error: message });
  } finally {
    tf.dispose(snapshot ?? []);
    tf.dispose([train.x, train.y, ...(train.w ? [train.w] : []), ...(val ? [val.x, val.y, ...(val.w ? [val.w] : [])] : [])]);
    optimizer.dispose();
    net.dispose();
  }
}

/**
 * One optimizer step. Returns [objective, gradient² per group, update² per group, weight² per group]
 * read back in a single transfer.
 */
function trainStep(
  tf: Tf, spec: RunSpec, net: Network, variables: Variable[], optimizer: ReturnType<typeof createOptimizer>,
  train: SplitTensors, indices: number[], lr: number, step: number, dropoutRng: Random,
): Float32Array {
  const result = tf.tidy(() => {
    const idx = tf.tensor1d(indices, 'int32');
    const x = tf.gather(train.x, idx);
    const y = tf.gather(train.y, idx);
    const w = train.w ? (tf.gather(train.w, idx) as Tensor1D) : undefined;
    const updates: Parameters<Network['applyBatchNormUpdates']>[0] = [];
    const { value, grads } = tf.variableGrads(() => {
      const out = net.forward(x, { training: true, rng: dropoutRng, batchNormUpdates: updates });
      const loss = batchLoss(tf, spec.loss, out, y, w);
      return (net.penalized ? tf.add(loss, net.penalty()) : loss) as Scalar;
    }, variables);
    net.applyBatchNormUpdates(updates);

    const clip = spec.training.gradientClip;
    const groupSquares = (f: (v: Variable) => Tensor) => net.groups.map((g) => tf.addN(g.variables.map((v) => tf.sum(tf.square(f(v))))));
    const gradSq = groupSquares((v) => grads[v.name]!);
    let scale: Tensor | undefined;
    if (clip?.norm !== undefined) {
      const norm = tf.sqrt(tf.addN(gradSq));
      scale = tf.minimum(tf.scalar(1), tf.div(tf.scalar(clip.norm), tf.maximum(norm, tf.scalar(1e-12))));
    }
    const weightSq = groupSquares((v) => v);
    const decay = spec.optimizer.weightDecay;
    const kernels = new Set(net.groups.flatMap((g) => (g.kernel ? [g.kernel.name] : [])));
    const deltas = new Map<string, Tensor>();
    for (const v of variables) {
      let g: Tensor = grads[v.name]!;
      if (clip?.value !== undefined) g = tf.clipByValue(g, -clip.value, clip.value);
      if (scale) g = tf.mul(g, scale);
      let delta = optimizer.delta(v, g, lr, step);
      // Decoupled weight decay (AdamW): shrink the weights directly, outside the adaptive scaling.
      if (decay > 0 && kernels.has(v.name)) delta = tf.sub(delta, tf.mul(v, tf.scalar(lr * decay)));
      deltas.set(v.name, delta);
    }
    const updateSq = net.groups.map((g) => tf.addN(g.variables.map((v) => tf.sum(tf.square(deltas.get(v.name)!)))));
    const packed = tf.concat([tf.reshape(value, [1]), ...[...gradSq, ...updateSq, ...weightSq].map((t) => tf.reshape(t, [1]))]);
    for (const v of variables) v.assign(tf.add(v, deltas.get(v.name)!));
    return packed;
  });
  const values = result.dataSync() as Float32Array;
  result.dispose();
  return values;
}

function layerStats(tf: Tf, net: Network, gradSums: Float64Array, ratioSums: Float64Array, batches: number, dead?: Map<string, number>): LayerStats[] {
  const norms = tf.tidy(() => tf.stack(net.groups.map((g) => tf.sqrt(tf.addN(g.variables.map((v) => tf.sum(tf.square(v))))))).dataSync());
  return net.groups.map((g, i) => {
    const stats: LayerStats = {
      name: g.name,
      kind: g.kind,
      index: g.index,
      gradNorm: gradSums[i]! / batches,
      weightNorm: norms[i]!,
      updateRatio: ratioSums[i]! / batches,
    };
    const fraction = dead?.get(g.name);
    if (fraction !== undefined) stats.deadFraction = fraction;
    return stats;
  });
}

function toTensors(tf: Tf, data: Dataset, which: 'train' | 'val', weights?: number[]): SplitTensors {
  const split = data[which];
  const x = tf.tensor2d(split.x, [split.n, data.features]);
  const y = data.task === 'regression' ? tf.tensor2d(split.y, [split.n, 1]) : tf.tensor1d(split.y, 'float32');
  const out: SplitTensors = { x, y, split };
  if (weights) out.w = tf.tensor1d(Array.from(split.y, (label) => weights[label] ?? 1), 'float32');
  return out;
}

/** Puts back the best epoch's weights; true when it did. */
function restore(net: Network, snapshot: Tensor[] | undefined, lastEpoch: number, bestEpoch: number | undefined): boolean {
  if (!snapshot || bestEpoch === undefined || bestEpoch === lastEpoch) return false;
  net.allVariables().forEach((v, i) => v.assign(snapshot[i]!));
  return true;
}

function bestFields(bestEpoch: number | undefined, restoredBest: boolean): Partial<EndEvent> {
  return bestEpoch === undefined ? {} : { bestEpoch, restoredBest };
}

function nonFiniteInsight(epoch: number, batch: number, value: number): InsightEvent {
  return {
    type: 'insight',
    kind: 'non-finite',
    epoch,
    severity: 'error',
    message: `Non-finite values: the training loss became ${value} at epoch ${epoch}, batch ${batch}; the run cannot continue.`,
    evidence: { batch, loss: value },
    remedies: remedyTexts('non-finite'),
  };
}
