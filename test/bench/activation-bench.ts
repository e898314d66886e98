/**
 * `npm run bench:activation`: what activating Fitcheck costs the extension host, as VS Code counts it —
 * evaluating dist/extension.cjs plus `activate()` — beside the smallest extension of its kind (a
 * language client for Python, bundled by esbuild the same way). Each sample is a fresh Node process
 * with a `vscode` stand-in; Fitcheck and the peer alternate. Writes the `bench:activation` section of
 * BENCHMARKS.md, or fails without writing when the machine was too noisy for the figures to mean anything.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { machine, summarize } from './bench-report.js';
import { BenchRun, interleave, summaryHeader, summaryRow } from './bench-run.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ROUNDS = Number(process.env.FITCHECK_BENCH_ROUNDS ?? 30);
/** The largest p90/p50 spread accepted before the run is called too noisy. */
const MAX_SPREAD = 1.5;
const probe = path.join(repoRoot, 'test/bench/activation/probe.cjs');

interface Sample { load: number; activate: number; total: number }

function sample(bundle: string): Sample {
  const result = spawnSync(process.execPath, [probe, bundle], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`activating ${bundle} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Sample;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-activation-'));
const peer = path.join(dir, 'dist', 'peer.cjs');
await build({ entryPoints: [path.join(repoRoot, 'test/bench/activation/peer-extension.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, external: ['vscode'], outfile: peer, logLevel: 'warning' });
const fitcheck = path.join(repoRoot, 'dist', 'extension.cjs');
const sizes = { fitcheck: fs.statSync(fitcheck).size, peer: fs.statSync(peer).size };

const run = new BenchRun('bench:activation', MAX_SPREAD);
sample(fitcheck); // the first run of a process warms the disk cache for both
sample(peer);
const samples = { fitcheck: [] as Sample[], peer: [] as Sample[] };
await interleave(ROUNDS, [
  { name: 'fitcheck', sample: () => { const s = sample(fitcheck); samples.fitcheck.push(s); return s.total; } },
  { name: 'peer', sample: () => { const s = sample(peer); samples.peer.push(s); return s.total; } },
]);
fs.rmSync(dir, { recursive: true, force: true });

const total = { fitcheck: run.measure('Fitcheck: evaluate + activate()', samples.fitcheck.map((s) => s.total)), peer: run.measure('peer: a language client alone', samples.peer.map((s) => s.total)) };
const evaluate = summarize(samples.fitcheck.map((s) => s.load));
const activate = summarize(samples.fitcheck.map((s) => s.activate));
const table = [
  summaryHeader('ms', 'activation'),
  summaryRow('Fitcheck: evaluate + activate()', total.fitcheck),
  summaryRow('… evaluating extension.cjs', evaluate),
  summaryRow('… activate()', activate),
  summaryRow('peer: a language client alone', total.peer),
].join('\n');
run.finish(repoRoot, `## Activation (\`npm run bench:activation\`)

What VS Code counts as activation: evaluating \`dist/extension.cjs\` (production build, ${(sizes.fitcheck / 1024).toFixed(0)} KiB) plus \`activate()\`,
each sample a fresh Node process with a stand-in for the \`vscode\` module, interleaved with the peer (who goes first rotates), ${ROUNDS} rounds: the smallest extension
of its kind, which creates and starts a language client for Python (${(sizes.peer / 1024).toFixed(0)} KiB, bundled the same way).
The language server itself starts in the background in both and is not counted. Noise bound: p90 ≤ ${MAX_SPREAD}× p50 for both, else nothing is recorded.
Measured ${new Date().toISOString().slice(0, 10)}; ${machine()}; ${run.loadLine()}.

${table}

Fitcheck / peer at p50: **${(total.fitcheck.p50 / total.peer.p50).toFixed(2)}×** (goal ≤ 1.2×).`);
