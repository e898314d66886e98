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
import { loadAverage, machine, noisy, summarize, type Summary, writeSection } from './bench-report.js';

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

const loadBefore = loadAverage();
const samples: { fitcheck: Sample[]; peer: Sample[] } = { fitcheck: [], peer: [] };
sample(fitcheck); // the first run of a process warms the disk cache for both
sample(peer);
for (let i = 0; i < ROUNDS; i++) {
  samples.fitcheck.push(sample(fitcheck));
  samples.peer.push(sample(peer));
}
const loadAfter = loadAverage();
fs.rmSync(dir, { recursive: true, force: true });

const total = { fitcheck: summarize(samples.fitcheck.map((s) => s.total)), peer: summarize(samples.peer.map((s) => s.total)) };
const evaluate = summarize(samples.fitcheck.map((s) => s.load));
const activate = summarize(samples.fitcheck.map((s) => s.activate));
const row = (name: string, s: Summary) => `| ${name} | ${s.n} | ${s.p50.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} |`;
const table = [
  '| ms | n | p50 | p90 | p99 | max |',
  '| --- | --- | --- | --- | --- | --- |',
  row('Fitcheck: evaluate + activate()', total.fitcheck),
  row('… evaluating extension.cjs', evaluate),
  row('… activate()', activate),
  row('peer: a language client alone', total.peer),
].join('\n');
console.log(table);
console.log(`load average ${loadBefore} before, ${loadAfter} after`);
const tooNoisy = [total.fitcheck, total.peer].find((s) => noisy(s, MAX_SPREAD));
if (tooNoisy) {
  console.error(`too noisy to record: p90 is ${(tooNoisy.p90 / tooNoisy.p50).toFixed(2)}× p50 (bound ${MAX_SPREAD}×); run it again on a quieter machine`);
  process.exit(1);
}
writeSection(repoRoot, 'bench:activation', `## Activation (\`npm run bench:activation\`)

What VS Code counts as activation: evaluating \`dist/extension.cjs\` (production build, ${(sizes.fitcheck / 1024).toFixed(0)} KiB) plus \`activate()\`,
each sample a fresh Node process with a stand-in for the \`vscode\` module, alternating with the peer: the smallest extension
of its kind, which creates and starts a language client for Python (${(sizes.peer / 1024).toFixed(0)} KiB, bundled the same way).
The language server itself starts in the background in both and is not counted. ${machine()}; load average ${loadBefore} before, ${loadAfter} after.

${table}

Fitcheck / peer at p50: **${(total.fitcheck.p50 / total.peer.p50).toFixed(2)}×**.`);
