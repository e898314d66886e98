/**
 * `npm run bench:monitor`: the run monitor's overhead. The same CPU PyTorch MLP script runs plain and
 * monitored, interleaved (plain, monitored, plain, …) so load drifts hit both alike; compared are
 * the script's own training-loop CPU and wall seconds (median, and the median of the per-pair ratios) and the
 * whole process. Goal: at most 5 % slower. Written to BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, quantile, writeSection } from './bench-report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const script = path.join(root, 'scripts', 'bench-monitor-mlp.py');
const bootstrap = path.join(root, 'python', 'monitor');
const PAIRS = Number(process.env.BENCH_PAIRS ?? 7);

function python(): string | undefined {
  for (const candidate of [process.env.FITCHECK_TEST_PYTHON, '/usr/bin/python3', 'python3']) {
    if (candidate && spawnSync(candidate, ['-c', 'import torch'], { timeout: 60_000 }).status === 0) return candidate;
  }
  return undefined;
}

const interpreter = python();
if (!interpreter) {
  console.log('bench:monitor skipped: no Python with torch (set FITCHECK_TEST_PYTHON or install python3-torch)');
  process.exit(0);
}

function once(monitored: boolean, dir: string): { loop: number; cpu: number; fastest: number; process: number; loss: number } {
  const env = monitored ? { ...process.env, PYTHONPATH: bootstrap, FITCHECK_MONITOR_DIR: dir } : { ...process.env };
  const started = performance.now();
  const result = spawnSync(interpreter!, [script], { env, encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(result.stderr);
  const out = JSON.parse(result.stdout.trim().split('\n').pop()!) as { seconds: number; cpu: number; fastest_epoch_cpu: number; loss: number };
  return { loop: out.seconds, cpu: out.cpu, fastest: out.fastest_epoch_cpu, process: wall, loss: out.loss };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-bench-monitor-'));
const load = os.loadavg().map((l) => l.toFixed(2)).join(' / ');
const plain: ReturnType<typeof once>[] = [];
const monitored: ReturnType<typeof once>[] = [];
try {
  once(false, tmp); // warm the page cache for torch's import
  for (let i = 0; i < PAIRS; i++) {
    plain.push(once(false, tmp));
    monitored.push(once(true, path.join(tmp, String(i))));
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' / ');
const median = (xs: number[]) => quantile(xs, 0.5);
const ratios = plain.map((p, i) => monitored[i]!.loop / p.loop);
const loopRatio = median(ratios);
const cpuRatio = median(plain.map((p, i) => monitored[i]!.cpu / p.cpu));
// The fastest epoch of all runs of each side: the least disturbed by other processes, so the closest to the monitor's own cost.
const fastestPlain = Math.min(...plain.map((p) => p.fastest));
const fastestMonitored = Math.min(...monitored.map((p) => p.fastest));
const fastestRatio = fastestMonitored / fastestPlain;
const processRatio = median(plain.map((p, i) => monitored[i]!.process / p.process));
const sameLoss = plain.every((p, i) => p.loss === monitored[i]!.loss);
const pct = (r: number) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)} %`;
const body = `## Run monitor overhead (\`npm run bench:monitor\`)

The same CPU PyTorch MLP (64→128→128→1, ReLU, Adam, batch 128, 640 steps, 1 thread;
\`scripts/bench-monitor-mlp.py\`) run plain and under the monitor (\`PYTHONPATH=python/monitor\`,
default sampling: every 10th step), interleaved, ${PAIRS} pairs. Peer: the same script unmonitored, in the same run.

| | plain (median) | monitored (median) | monitored / plain (median of pairs) |
| --- | --- | --- | --- |
| fastest epoch (32 steps, 3 of them sampled), CPU time, best of all runs | ${fastestPlain.toFixed(4)} s | ${fastestMonitored.toFixed(4)} s | ${pct(fastestRatio)} (best vs best) |
| training loop, CPU time | ${median(plain.map((p) => p.cpu)).toFixed(3)} s | ${median(monitored.map((p) => p.cpu)).toFixed(3)} s | ${pct(cpuRatio)} |
| training loop, wall time | ${median(plain.map((p) => p.loop)).toFixed(3)} s | ${median(monitored.map((p) => p.loop)).toFixed(3)} s | ${pct(loopRatio)} |
| whole process (torch import included) | ${median(plain.map((p) => p.process)).toFixed(3)} s | ${median(monitored.map((p) => p.process)).toFixed(3)} s | ${pct(processRatio)} |

Goal ≤ +5 %: ${fastestRatio <= 1.05 ? 'met' : 'NOT met'} for the fastest epoch (the measure least moved by other load), ${cpuRatio <= 1.05 ? 'met' : 'not met'} for the loop's median CPU time, ${loopRatio <= 1.05 ? 'met' : 'not met'} for its wall time. Final losses identical in every pair: ${sameLoss ? 'yes' : 'NO'}.
Python ${spawnSync(interpreter, ['-c', 'import sys, torch; print(sys.version.split()[0], "torch", torch.__version__)'], { encoding: 'utf8' }).stdout.trim()}.
Machine: ${machine()}; load average (1/5/15 min) ${load} before, ${loadAfter} after (shared with other work).
`;
console.log(body);
writeSection(root, 'bench-monitor', body);
