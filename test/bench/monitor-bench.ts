/**
 * `npm run bench:monitor`: the run monitor's overhead. The same CPU PyTorch MLP script runs plain and
 * monitored, interleaved (plain, monitored, plain, …) so load drifts hit both alike; compared are
 * the script's own training-loop CPU and wall seconds (median, and the median of the per-pair ratios) and the
 * whole process. Goal: at most 5 % slower. Written to BENCHMARKS.md, or refused (exit 1) when the
 * run was too noisy.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, quantile, summarize } from './bench-report.js';
import { BenchRun, interleave, summaryHeader, summaryRow } from './bench-run.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const script = path.join(root, 'scripts', 'bench-monitor-mlp.py');
const bootstrap = path.join(root, 'python', 'monitor');
const PAIRS = Number(process.env['BENCH_PAIRS'] ?? 7);
/** The largest p90/p50 of the loop's CPU or wall seconds before the run is refused as too noisy. */
const MAX_SPREAD = 1.3;

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
const run = new BenchRun('bench-monitor', MAX_SPREAD);
let samples: Map<string, number[]>;
const results: { plain: ReturnType<typeof once>[]; monitored: ReturnType<typeof once>[] } = { plain: [], monitored: [] };
try {
  once(false, tmp); // warm the page cache for torch's import
  let i = 0;
  // Each sample is the training loop's CPU seconds; the other measures ride along in `results`.
  samples = await interleave(PAIRS, [
    { name: 'plain', sample: () => { const r = once(false, tmp); results.plain.push(r); return r.cpu; } },
    { name: 'monitored', sample: () => { const r = once(true, path.join(tmp, String(i++))); results.monitored.push(r); return r.cpu; } },
  ]);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const { plain, monitored } = results;
const median = (xs: number[]) => quantile(xs, 0.5);
const cpu = { plain: run.measure('plain, loop CPU', samples.get('plain')!), monitored: run.measure('monitored, loop CPU', samples.get('monitored')!) };
const wall = { plain: run.measure('plain, loop wall', plain.map((p) => p.loop)), monitored: run.measure('monitored, loop wall', monitored.map((p) => p.loop)) };
const whole = { plain: summarize(plain.map((p) => p.process)), monitored: summarize(monitored.map((p) => p.process)) };
const cpuRatio = median(plain.map((p, i) => monitored[i]!.cpu / p.cpu));
const loopRatio = median(plain.map((p, i) => monitored[i]!.loop / p.loop));
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
default sampling: every 10th step), interleaved (who goes first rotates), ${PAIRS} runs each. Peer: the same script unmonitored, in the same run.
Noise bound: the loop's CPU and wall seconds of each side with p90 ≤ ${MAX_SPREAD}× p50, else nothing is recorded.
Measured ${new Date().toISOString().slice(0, 10)}; Python ${spawnSync(interpreter, ['-c', 'import sys, torch; print(sys.version.split()[0], "torch", torch.__version__)'], { encoding: 'utf8' }).stdout.trim()}; ${machine()}; ${run.loadLine()}.

${summaryHeader('s', 'seconds per run')}
${summaryRow('training loop CPU, plain', cpu.plain, 3)}
${summaryRow('training loop CPU, monitored', cpu.monitored, 3)}
${summaryRow('training loop wall, plain', wall.plain, 3)}
${summaryRow('training loop wall, monitored', wall.monitored, 3)}
${summaryRow('whole process (torch import included), plain', whole.plain, 3)}
${summaryRow('whole process, monitored', whole.monitored, 3)}

Monitored / plain, median of the per-pair ratios: loop CPU ${pct(cpuRatio)}, loop wall ${pct(loopRatio)}, whole process ${pct(processRatio)};
fastest epoch (32 steps, 3 of them sampled; CPU, best of all runs) ${fastestPlain.toFixed(4)} s plain, ${fastestMonitored.toFixed(4)} s monitored: ${pct(fastestRatio)}.
Goal ≤ +5 %: ${fastestRatio <= 1.05 ? 'met' : 'NOT met'} for the fastest epoch, ${cpuRatio <= 1.05 ? 'met' : 'not met'} for the loop's CPU time, ${loopRatio <= 1.05 ? 'met' : 'not met'} for its wall time. Final losses identical in every pair: ${sameLoss ? 'yes' : 'NO'}.
`;
run.finish(root, body);
