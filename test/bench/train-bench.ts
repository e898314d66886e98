/**
 * `npm run bench:train`: one MLP (64→128→128→1, ReLU, Adam, batch 128, 4,096×64 synthetic
 * regression, 5 epochs) on Fitcheck's trainer with every backend that loads here, and on PyTorch
 * CPU (Debian's python3-torch) with the same thread count. Prints a markdown table for BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EpochEvent, RunEvent } from '../../metrics/diagnosis/events.js';
import { loadBackend, type BackendChoice } from '../../trainer/backend.js';
import type { Dataset } from '../../trainer/data/dataset.js';
import { Random } from '../../trainer/data/random.js';
import type { RunSpec } from '../../trainer/spec/types.js';
import { trainRun } from '../../trainer/train.js';
import { writeSection } from './bench-report.js';

const SAMPLES = 4096;
const FEATURES = 64;
const EPOCHS = 5;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Row {
  engine: string;
  threads: number;
  /** Median samples/s over epochs 2…5 (epoch 1 includes kernel warm-up). */
  samplesPerSec: number;
  firstEpoch: number;
  wallSeconds: number;
  note?: string;
}

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

function summarize(perEpoch: number[]): { median: number; first: number } {
  const steady = perEpoch.slice(1).sort((a, b) => a - b);
  const median = steady.length === 0 ? perEpoch[0]! : steady[Math.floor(steady.length / 2)]!;
  return { median, first: perEpoch[0]! };
}

async function benchFitcheck(choice: BackendChoice, data: Dataset): Promise<Row | undefined> {
  let backend;
  try {
    backend = await loadBackend(choice);
  } catch (error) {
    console.error(`  ${choice}: not available (${(error as Error).message})`);
    return undefined;
  }
  const epochs: EpochEvent[] = [];
  const started = performance.now();
  await trainRun(spec, data, {
    tf: backend.tf, runId: `bench-${choice}`, backend: backend.backend, versions: backend.versions, includeSpec: false,
    emit: (e: RunEvent) => { if (e.type === 'epoch') epochs.push(e); },
  });
  const { median, first } = summarize(epochs.map((e) => e.samplesPerSec ?? 0));
  return { engine: `Fitcheck trainer, tfjs ${backend.versions.tfjs} ${backend.backend}`, threads: 1, samplesPerSec: median, firstEpoch: first, wallSeconds: (performance.now() - started) / 1000 };
}

/** Debian's python3 (with python3-torch); installs the package when it is missing and we are root. */
function torchPython(): string | undefined {
  const candidates = ['/usr/bin/python3', 'python3'];
  const works = (py: string) => spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  for (const py of candidates) if (works(py)) return py;
  if (process.getuid?.() === 0) {
    console.error('  installing python3-torch with apt-get …');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'python3-torch'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    for (const py of candidates) if (works(py)) return py;
  }
  return undefined;
}

function benchTorch(python: string, threads: number): Row | undefined {
  const script = path.join(repoRoot, 'scripts', 'bench-train-torch.py');
  const result = spawnSync(python, [script, '--threads', String(threads), '--samples', String(SAMPLES), '--features', String(FEATURES), '--epochs', String(EPOCHS)], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`  PyTorch (${threads} threads) failed: ${result.stderr.trim().split('\n').pop()}`);
    return undefined;
  }
  const report = JSON.parse(result.stdout) as { torch: string; threads: number; samplesPerSec: number[]; wallSeconds: number };
  const { median, first } = summarize(report.samplesPerSec);
  return { engine: `PyTorch ${report.torch} CPU`, threads: report.threads, samplesPerSec: median, firstEpoch: first, wallSeconds: report.wallSeconds };
}

const data = benchData();
console.error(`Training benchmark: 64→128→128→1 ReLU MLP, Adam, batch 128, ${SAMPLES}×${FEATURES} regression, ${EPOCHS} epochs`);
const rows: Row[] = [];
for (const choice of ['tensorflow', 'wasm', 'cpu'] as const) {
  const row = await benchFitcheck(choice, data);
  if (row) rows.push(row);
}
const python = torchPython();
if (python) {
  // tfjs' wasm and cpu backends run on one thread in Node, so PyTorch gets one too; all cores for reference.
  for (const threads of [...new Set([1, os.availableParallelism()])]) {
    const row = benchTorch(python, threads);
    if (row) rows.push(row);
  }
} else {
  console.error('  PyTorch: not available (install Debian\'s python3-torch)');
}

const torch1 = rows.find((r) => r.engine.startsWith('PyTorch') && r.threads === 1);
const lines = [
  `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, Node ${process.versions.node}, ${os.platform()} ${os.release()}`,
  '',
  '| engine | threads | samples/s (median, epochs 2–5) | epoch 1 samples/s | wall time (5 epochs) | vs PyTorch, 1 thread |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.engine} | ${r.threads} | ${Math.round(r.samplesPerSec).toLocaleString('en-US')} | ${Math.round(r.firstEpoch).toLocaleString('en-US')} | ${r.wallSeconds.toFixed(2)} s | ${torch1 ? `${(r.samplesPerSec / torch1.samplesPerSec).toFixed(2)}×` : 'n/a'} |`),
];
console.log(lines.join('\n'));
const wasm = rows.find((r) => r.engine.includes('wasm'));
writeSection(repoRoot, 'bench:train', `
## Training speed (\`npm run bench:train\`)

The same MLP (64→128→128→1, ReLU, Adam, batch 128, ${SAMPLES}×${FEATURES} synthetic regression, ${EPOCHS} epochs) on Fitcheck's
trainer with each available backend and on PyTorch CPU in one run, measured ${new Date().toISOString().slice(0, 10)}.
Fitcheck's numbers include the per-layer gradient norms it measures on every batch. tfjs-node cannot be installed
on these machines (its install downloads libtensorflow), so the tensorflow backend is absent.

${lines.join('\n')}

Target: the wasm backend at least half of PyTorch's throughput (same thread count):
**${wasm && torch1 ? `${(wasm.samplesPerSec / torch1.samplesPerSec).toFixed(2)}×` : 'n/a'}**.
`);
fs.mkdirSync(path.join(repoRoot, 'out', 'bench'), { recursive: true });
fs.writeFileSync(path.join(repoRoot, 'out', 'bench', 'train-bench.json'), `${JSON.stringify(rows, null, 2)}\n`);
