/**
 * `npm run bench:lint:package`: a whole package linted as whole processes, interleaved round by round:
 * `fitcheck lint <folder>` with every core (the CLI's --threads pool) and serially (--threads 1),
 * native `ruff check` (FITCHECK_RUFF, else `ruff` on PATH, else the provisioning cache's venv), and
 * the bare parse of the same files by the same parser in its own process (parse-folder.ts). The
 * package: FITCHECK_BENCH_PACKAGE_DIR, else Debian's python3-torch (every file of torch/). TorchFix
 * (`flake8 --select=TOR`) is not installable on this machine, so it is not a peer here. Writes the
 * `bench:lint:package` section of BENCHMARKS.md, or refuses (exit 1) when the run was too noisy.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, quantile } from './bench-report.js';
import { BenchRun, interleave, summaryRow, type Contender } from './bench-run.js';
import { pythonFiles } from './parse-folder.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const PACKAGE = process.env['FITCHECK_BENCH_PACKAGE_DIR'] ?? '/usr/lib/python3/dist-packages/torch';
/** Interleaved rounds (FITCHECK_BENCH_ROUNDS): one whole process of every contender each. */
const ROUNDS = Number(process.env['FITCHECK_BENCH_ROUNDS'] ?? 5);
/** The largest p90/p50 of any contender's wall time before the run is refused as too noisy. */
const MAX_SPREAD = 1.3;
const cores = os.availableParallelism();

/** A whole process, timed from spawn to exit (ms); throws with its stderr when it fails. */
function wall(command: string, args: string[], ok: (status: number | null) => boolean = (s) => s === 0): { ms: number; stdout: string; stderr: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  if (!ok(result.status)) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-500)}`);
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Node's flags that make a Node process report the CPU time it used, all its threads together, on
 * its last line of stderr (what a neighbour's load changes far less than the wall time on few cores).
 */
const CPU_REPORT = ['--import', 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\ncpu-us "+JSON.stringify(process.cpuUsage())+"\\n"))'];

/** Node running `args` (a script and its arguments), timed: wall ms, and user + system CPU ms from {@link CPU_REPORT}. */
function nodeProcess(args: string[], ok?: (status: number | null) => boolean): { ms: number; cpuMs: number; stdout: string } {
  const { ms, stdout, stderr } = wall(process.execPath, [...CPU_REPORT, ...args], ok);
  const report = /cpu-us (\{.*\})\s*$/.exec(stderr);
  if (!report) throw new Error(`no CPU report from node ${args.join(' ')}: ${stderr.slice(-300)}`);
  const { user, system } = JSON.parse(report[1]!) as { user: number; system: number };
  return { ms, cpuMs: (user + system) / 1000, stdout };
}

/** CPU seconds of each Node contender's samples, in sample order. */
const cpuSeconds = new Map<string, number[]>();

/** Native ruff: FITCHECK_RUFF, else on PATH, else the provisioning cache's venv; undefined with the reason printed. */
function findRuff(): { ruff: string; version: string } | undefined {
  const candidates = [process.env['FITCHECK_RUFF'], 'ruff', path.join(os.homedir(), '.cache', 'fitcheck', 'py-frameworks', 'bin', 'ruff')].filter((c): c is string => !!c);
  for (const ruff of candidates) {
    const probe = spawnSync(ruff, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return { ruff, version: probe.stdout.trim() };
  }
  console.error(`  native ruff: not found (tried ${candidates.join(', ')}; pip install ruff into a venv and set FITCHECK_RUFF)`);
  return undefined;
}

if (!fs.existsSync(PACKAGE)) {
  console.error(`bench:lint:package skipped: ${PACKAGE} does not exist (apt-get install python3-torch, or set FITCHECK_BENCH_PACKAGE_DIR)`);
  process.exit(0);
}
const cli = path.join(repoRoot, 'dist', 'cli.mjs');
if (!fs.existsSync(cli)) throw new Error('dist/cli.mjs is missing: run node esbuild.mjs');
const files = pythonFiles(PACKAGE);
const lines = files.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').length, 0);
const findings = new Map<string, number>();
const fitcheck = (threads: number): Contender => ({
  name: `fitcheck-${threads}`,
  sample: () => {
    // Exit 1 means an error-level finding: a result, not a failure.
    const { ms, cpuMs, stdout } = nodeProcess([cli, 'lint', PACKAGE, '--format', 'json', '--threads', String(threads)], (s) => s === 0 || s === 1);
    findings.set(`fitcheck-${threads}`, (JSON.parse(stdout) as unknown[]).length);
    cpuOf(`fitcheck-${threads}`).push(cpuMs / 1000);
    return ms;
  },
});
const contenders: Contender[] = [fitcheck(cores), fitcheck(1)];
const labels = new Map<string, string>([[`fitcheck-${cores}`, `Fitcheck \`lint --threads ${cores}\` (every core)`], ['fitcheck-1', 'Fitcheck `lint --threads 1` (serial)']]);
const ruff = findRuff();
if (ruff) {
  labels.set('ruff', `${ruff.version} \`check\` (native, default rules, its own threads)`);
  contenders.push({
    name: 'ruff',
    sample: () => {
      const { ms, stdout } = wall(ruff.ruff, ['check', '--no-cache', '--isolated', '--exit-zero', '--output-format', 'json', PACKAGE]);
      findings.set('ruff', (JSON.parse(stdout) as unknown[]).length);
      return ms;
    },
  });
}
labels.set('parse', 'bare parse, same parser (web-tree-sitter), one process, serial');
contenders.push({
  name: 'parse',
  sample: () => {
    const { ms, cpuMs } = nodeProcess([path.join(here, 'parse-folder.js'), PACKAGE]);
    cpuOf('parse').push(cpuMs / 1000);
    return ms;
  },
});

/** The CPU samples of a contender, made on first use. */
function cpuOf(name: string): number[] {
  let list = cpuSeconds.get(name);
  if (!list) cpuSeconds.set(name, (list = []));
  return list;
}

console.error(`Whole-package lint: ${PACKAGE}, ${files.length} files, ${lines.toLocaleString('en-US')} lines; ${ROUNDS} rounds after a warm-up round`);
const run = new BenchRun('bench:lint:package', MAX_SPREAD);
await interleave(1, contenders); // warms the page cache and the ruff/node binaries for every contender
cpuSeconds.clear(); // the warm-up round's are not recorded
const samples = await interleave(ROUNDS, contenders);
const summaries = new Map(contenders.map((c) => [c.name, run.measure(labels.get(c.name)!, samples.get(c.name)!.map((ms) => ms / 1000))]));
const pool = summaries.get(`fitcheck-${cores}`)!;
const parse = summaries.get('parse')!;
const ruffSummary = summaries.get('ruff');
// Round by round, the pool and the bare parse ran seconds apart: their ratio in each round is less
// moved by a neighbour's load than the ratio of two medians taken from different rounds.
const paired = samples.get(`fitcheck-${cores}`)!.map((ms, round) => ms / samples.get('parse')![round]!);
const cpu = (name: string) => quantile(cpuSeconds.get(name)!, 0.5);
const rows = contenders.map((c) => {
  const s = summaries.get(c.name)!;
  const found = findings.get(c.name);
  const cpuP50 = cpuSeconds.has(c.name) ? cpu(c.name).toFixed(2) : '—';
  return `${summaryRow(labels.get(c.name)!, s, 2)} ${Math.round(lines / s.p50).toLocaleString('en-US')} | ${cpuP50} | ${found === undefined ? '—' : found.toLocaleString('en-US')} |`;
});
run.finish(repoRoot, `## Whole-package lint (\`npm run bench:lint:package\`)

\`${PACKAGE}\` (Debian's python3-torch when not told otherwise): ${files.length} files, ${lines.toLocaleString('en-US')} lines.
Each sample is one whole process, start-up included, from spawn to exit; the contenders run interleaved, one process each per round,
${ROUNDS} rounds after a warm-up round (who goes first rotates). Noise bound: every contender's p90 ≤ ${MAX_SPREAD}× its p50, else nothing is recorded.
Measured ${new Date().toISOString().slice(0, 10)}; ${machine()}; ${run.loadLine()}.

| process (wall seconds) | n | p50 s | p90 s | p99 s | max s | lines/s at p50 | CPU s at p50 (all threads) | findings |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Fitcheck with every core / the bare parse at p50: **${(pool.p50 / parse.p50).toFixed(2)}×** (goal ≤ 1.3×)${ruffSummary ? `; / native ruff: **${(pool.p50 / ruffSummary.p50).toFixed(1)}×**` : ''}.
The same ratio round by round (both processes ran in the same round, seconds apart): median **${quantile(paired, 0.5).toFixed(2)}×**, from ${Math.min(...paired).toFixed(2)}× to ${Math.max(...paired).toFixed(2)}×.
CPU time at p50, every thread of the process counted: Fitcheck with every core ${cpu(`fitcheck-${cores}`).toFixed(2)} s, serially ${cpu('fitcheck-1').toFixed(2)} s, the bare parse ${cpu('parse').toFixed(2)} s (${(cpu(`fitcheck-${cores}`) / cpu('parse')).toFixed(2)}×).
The bare parse runs on one core (it is the floor of the work, not of the wall time on ${cores} cores). Findings: Fitcheck's rules and ruff's default
rules are different catalogs; the counts only show each tool did the whole job. TorchFix (\`flake8 --select=TOR\`) cannot be installed here
(it is in neither local package index), so it is not measured.`);
