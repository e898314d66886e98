/**
 * `npm run bench:train`: one MLP (64→128→128→1, ReLU, Adam, batch 128, 4,096×64 synthetic
 * regression, 5 epochs) on Fitcheck's trainer with every backend that loads here, interleaved with
 * PyTorch CPU: Debian's python3-torch and a standard PyPI build (the Python named by
 * FITCHECK_TORCH_PYTHON, else ~/.cache/fitcheck/py-frameworks/bin/python), at 1 thread and all cores.
 * Writes the `bench:train` section of BENCHMARKS.md, or refuses (exit 1) when the run was too noisy.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EpochEvent, RunEvent } from '../../metrics/diagnosis/events.js';
import { loadBackend, type BackendChoice } from '../../trainer/backend.js';
import type { Dataset } from '../../trainer/data/dataset.js';
import { Random } from '../../trainer/data/random.js';
import type { RunSpec } from '../../trainer/spec/types.js';
import { trainRun } from '../../trainer/train.js';
import { machine } from './bench-report.js';
import { BenchRun, interleave, summaryHeader, summaryRow, type Contender } from './bench-run.js';

const SAMPLES = 4096;
const FEATURES = 64;
const EPOCHS = 5;
/** Measured rounds (FITCHECK_BENCH_ROUNDS): every engine runs once per round. */
const ROUNDS = Number(process.env['FITCHECK_BENCH_ROUNDS'] ?? 6);
/** Fitcheck backends to measure (FITCHECK_BENCH_BACKENDS, comma-separated). */
const BACKENDS = (process.env['FITCHECK_BENCH_BACKENDS'] ?? 'tensorflow,wasm,cpu').split(',') as BackendChoice[];
/** The largest p90/p50 of any engine's epoch times before the run is refused as too noisy. */
const MAX_SPREAD = 1.3;
/**
 * PyTorch on every core too (FITCHECK_BENCH_TORCH_ALL_CORES=1): off by default, because on a small shared
 * machine its OpenMP threads wait at a barrier for whichever one was descheduled, and its epochs swing
 * 4–7× (measured on 2 cores), so the run is refused whatever the one-thread engines did.
 */
const ALL_CORES = process.env['FITCHECK_BENCH_TORCH_ALL_CORES'] === '1';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function benchData(): Dataset {
  const rng = new Random(0);
  const w = Array.from({ length: FEATURES }, () => rng.normal(0, 1 / Math.sqrt(FEATURES)));
  const x = new Float32Array(SAMPLES * FEATURES);
  const y = new Float32Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    let dot = 0;
    for (let j = 0; j < FEATURES; j++) {
      const v = rng.normal();
      x[i * FEATURES + j] = v;
      dot += v * w[j]!;
    }
    y[i] = Math.sin(dot) + rng.normal(0, 0.1);
  }
  return { task: 'regression', features: FEATURES, featureNames: [], train: { x, y, n: SAMPLES }, val: { x: new Float32Array(0), y: new Float32Array(0), n: 0 }, targetVariance: 1, notes: [] };
}

const dense = (units: number, activation: 'relu' | 'linear') => ({ type: 'dense' as const, units, activation, alpha: 0.01, useBias: true, kernelInitializer: 'he-uniform' as const, initStddev: 0.05, l1: 0, l2: 0 });

const spec: RunSpec = {
  name: 'bench-mlp',
  data: { kind: 'hours-vs-score', samples: SAMPLES, noise: 0, polynomialDegree: 1, validationFraction: 0, normalize: false },
  model: { layers: [dense(128, 'relu'), dense(128, 'relu'), dense(1, 'linear')] },
  loss: { type: 'mse', fromLogits: false },
  optimizer: { type: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  training: { epochs: EPOCHS, batchSize: 128, shuffle: true, seed: 0, logEveryBatches: 0 },
  diagnosis: { epsilon: 0.1, metric: 'normalized-mse' },
};

/** Fitcheck's trainer on one backend, as an interleaved contender: each sample is one fresh 5-epoch run, reported as ms per epoch for epochs 2…5. */
async function fitcheckContender(choice: BackendChoice, data: Dataset): Promise<{ contender: Contender; engine: string } | undefined> {
  let backend;
  try {
    backend = await loadBackend(choice);
  } catch (error) {
    console.error(`  Fitcheck ${choice}: not available (${(error as Error).message})`);
    return undefined;
  }
  const engine = `Fitcheck trainer, tfjs ${backend.versions.tfjs} ${backend.backend}`;
  const sample = async () => {
    // tfjs has one global backend: the engine loaded last would otherwise run every contender's samples.
    if (!(await backend.tf.setBackend(backend.backend))) throw new Error(`the ${backend.backend} backend did not initialize again`);
    const epochs: EpochEvent[] = [];
    await trainRun(spec, data, {
      tf: backend.tf, runId: `bench-${choice}`, backend: backend.backend, versions: backend.versions, includeSpec: false,
      emit: (e: RunEvent) => { if (e.type === 'epoch') epochs.push(e); },
    });
    // Epoch 1 includes kernel compilation and warm-up: steady epochs only.
    return epochs.slice(1).map((e) => (SAMPLES / (e.samplesPerSec ?? Number.NaN)) * 1000);
  };
  return { contender: { name: `${engine}, 1 thread`, sample }, engine };
}

/** One PyTorch interpreter serving training runs (scripts/bench-train-torch.py): imported once, then one run per sample. */
class TorchPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  constructor(python: string, readonly threads: number) {
    const script = path.join(repoRoot, 'scripts', 'bench-train-torch.py');
    this.child = spawn(python, [script, '--threads', String(threads), '--samples', String(SAMPLES), '--features', String(FEATURES), '--epochs', String(EPOCHS)]);
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  private async next(): Promise<unknown> {
    const line = await this.lines.next();
    if (line.done) throw new Error(`the PyTorch peer (${this.threads} threads) exited`);
    return JSON.parse(line.value) as unknown;
  }

  /** The build's description: version, threads, BLAS. */
  async describe(): Promise<{ torch: string; threads: number; blas: string }> {
    return await this.next() as { torch: string; threads: number; blas: string };
  }

  /** One 5-epoch run: ms per epoch for epochs 2…5. */
  async sample(): Promise<number[]> {
    this.child.stdin.write('run\n');
    const { epochSeconds } = await this.next() as { epochSeconds: number[] };
    return epochSeconds.slice(1).map((s) => s * 1000);
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** The interpreters whose torch is the peer: Debian's python3-torch, and a standard PyPI build (FITCHECK_TORCH_PYTHON, else the provisioning cache's venv). */
function torchPythons(): { python: string; origin: string }[] {
  const hasTorch = (py: string) => fs.existsSync(py) && spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 }).status === 0;
  const found: { python: string; origin: string }[] = [];
  if (hasTorch('/usr/bin/python3')) found.push({ python: '/usr/bin/python3', origin: 'Debian' });
  else console.error('  Debian PyTorch: /usr/bin/python3 has no torch (apt-get install python3-torch)');
  const cache = path.join(os.homedir(), '.cache', 'fitcheck', 'py-frameworks', 'bin', 'python');
  const standard = process.env['FITCHECK_TORCH_PYTHON'] || cache;
  if (hasTorch(standard)) found.push({ python: standard, origin: 'PyPI wheel' });
  else console.error(`  standard PyTorch: ${standard} has no torch (pip install torch into a venv and set FITCHECK_TORCH_PYTHON)`);
  return found;
}

const data = benchData();
console.error(`Training benchmark: 64→128→128→1 ReLU MLP, Adam, batch 128, ${SAMPLES}×${FEATURES} regression, ${EPOCHS} epochs per run, ${ROUNDS} interleaved rounds`);
const run = new BenchRun('bench:train', MAX_SPREAD);
const contenders: Contender[] = [];
const engines = new Map<string, { engine: string; threads: number }>();
for (const choice of BACKENDS) {
  const got = await fitcheckContender(choice, data);
  if (!got) continue;
  contenders.push(got.contender);
  engines.set(got.contender.name, { engine: got.engine, threads: 1 });
}
const peers: TorchPeer[] = [];
try {
  for (const { python, origin } of torchPythons()) {
    // tfjs' wasm and cpu backends run on one thread in Node, so PyTorch gets one too; all cores only when asked.
    for (const threads of [...new Set([1, ALL_CORES ? os.availableParallelism() : 1])]) {
      const peer = new TorchPeer(python, threads);
      peers.push(peer);
      const build = await peer.describe();
      const name = `PyTorch ${build.torch} (${origin}), ${build.threads} thread${build.threads > 1 ? 's' : ''}`;
      engines.set(name, { engine: `PyTorch ${build.torch} (${origin}, \`${python}\`), run on the CPU; BLAS: ${build.blas}`, threads: build.threads });
      contenders.push({ name, sample: () => peer.sample() });
    }
  }
  // One unmeasured round warms every engine (page cache, allocator, JIT) before the measured ones.
  await interleave(1, contenders);
  const samples = await interleave(ROUNDS, contenders);
  const summaries = contenders.map((c) => ({ name: c.name, summary: run.measure(c.name, samples.get(c.name)!) }));
  const perSecond = (msPerEpoch: number) => Math.round(SAMPLES / (msPerEpoch / 1000)).toLocaleString('en-US');
  const torchOneThread = summaries.filter((s) => s.name.startsWith('PyTorch') && engines.get(s.name)!.threads === 1);
  const wasm = summaries.find((s) => s.name.includes(' wasm'));
  const ratios = torchOneThread.map((t) => `${t.name.replace(/, 1 thread$/, '')}: **${wasm ? (t.summary.p50 / wasm.summary.p50).toFixed(2) : 'n/a'}×**`);
  const builds = [...new Set([...engines.values()].filter((e) => e.engine.startsWith('PyTorch')).map((e) => `- ${e.engine}`))];
  const body = `## Training speed (\`npm run bench:train\`)

The same MLP (64→128→128→1, ReLU, Adam, batch 128, ${SAMPLES}×${FEATURES} synthetic regression) on Fitcheck's trainer and on
PyTorch CPU, interleaved in one run: ${ROUNDS} rounds after a warm-up round, each round one fresh ${EPOCHS}-epoch run of every engine
(who goes first rotates); PyTorch on one thread, like tfjs' backends${ALL_CORES ? ', and on every core' : ' (on every core only with FITCHECK_BENCH_TORCH_ALL_CORES=1: on a small shared machine its OpenMP threads make the epochs swing too much to record)'}; a sample is one steady epoch (epochs 2–${EPOCHS}; the first includes warm-up), in ms, lower is better.
Fitcheck's epochs include the per-layer gradient norms it measures on every batch; tfjs runs one backend at a time, so each
Fitcheck sample selects its own backend first. Each PyTorch peer is one Python process
that imports torch once and then trains on request (the import is never timed). tfjs-node cannot be installed here (its install
downloads libtensorflow), so the tensorflow backend is absent.
Measured ${new Date().toISOString().slice(0, 10)}; ${machine()}; ${run.loadLine()}. Noise bound: every series' p90 ≤ ${MAX_SPREAD}× its p50, else nothing is recorded.

${summaryHeader('ms', 'engine (ms per epoch)')}
${summaries.map((s) => summaryRow(s.name, s.summary)).join('\n')}

Throughput at p50 (samples/s): ${summaries.map((s) => `${s.name}: ${perSecond(s.summary.p50)}`).join('; ')}.

PyTorch builds measured:
${builds.join('\n')}

Target: the wasm backend at least half of PyTorch's throughput, same thread count (Fitcheck wasm / PyTorch at p50):
${ratios.join('; ')}.
`;
  run.finish(repoRoot, body);
} finally {
  for (const peer of peers) peer.close();
}
