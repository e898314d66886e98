import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { summarize } from '../../bench/bench-report.js';
import { BenchRun, interleave, noiseVerdict, spread, summaryRow } from '../../bench/bench-run.js';

/** 1…100 shuffled: every quantile is known. */
const hundred = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);

test('the summary of 1…100 in any order is n 100, p50 51, p90 91, p99 100, max 100', () => {
  assert.deepEqual(summarize(hundred), { n: 100, p50: 51, p90: 91, p99: 100, max: 100 });
});

test('the summary of one sample is that sample everywhere', () => {
  assert.deepEqual(summarize([7.5]), { n: 1, p50: 7.5, p90: 7.5, p99: 7.5, max: 7.5 });
});

test('a summary row prints n, p50, p90, p99 and max in that order', () => {
  assert.equal(summaryRow('Fitcheck', summarize(hundred), 0), '| Fitcheck | 100 | 51 | 91 | 100 | 100 |');
});

test('spread is p90 over p50', () => {
  assert.equal(spread(summarize(hundred)), 91 / 51);
});

test('steady series pass the noise check', () => {
  const steady = [10, 10.2, 10.1, 10.4, 9.9, 10, 10.3, 10.1, 10, 10.2];
  assert.equal(noiseVerdict([{ label: 'Fitcheck', summary: summarize(steady) }], 1.2), undefined);
});

test('a series whose p90 is past the bound times its p50 is refused, naming it and its spread', () => {
  const loaded = [10, 10, 10, 10, 10, 10, 10, 10, 30, 30];
  const steady = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
  const verdict = noiseVerdict([{ label: 'peer', summary: summarize(steady) }, { label: 'Fitcheck', summary: summarize(loaded) }], 1.5);
  assert.ok(verdict, 'a 3× spread must be refused at a 1.5× bound');
  assert.match(verdict, /Fitcheck: p90 is 3\.00× p50 over 10 samples \(bound 1\.5×\)/);
  assert.doesNotMatch(verdict, /peer/);
});

test('a series gauged on its p99 is refused when its tail spreads, even with a steady p90', () => {
  const tail = [...Array.from({ length: 98 }, () => 5), 50, 50];
  const summary = summarize(tail);
  assert.equal(noiseVerdict([{ label: 'floor', summary }], 1.5), undefined);
  assert.match(noiseVerdict([{ label: 'floor', summary, gauge: 'p99' }], 1.5) ?? '', /floor: p99 is 10\.00× p50 over 100 samples/);
});

test('a series with no samples, or too few to show a spread, is refused', () => {
  assert.match(noiseVerdict([{ label: 'peer', summary: summarize([]) }], 1.5) ?? '', /peer: 0 samples, fewer than the 5/);
  assert.match(noiseVerdict([{ label: 'peer', summary: summarize([1, 1, 1, 1]) }], 1.5) ?? '', /peer: 4 samples/);
});

test('interleaving runs every contender once per round and rotates who goes first', async () => {
  const order: string[] = [];
  const make = (name: string, value: number) => ({ name, sample: () => { order.push(name); return value; } });
  const samples = await interleave(3, [make('a', 1), make('b', 2), make('c', 3)]);
  assert.deepEqual(order, ['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
  assert.deepEqual(samples.get('a'), [1, 1, 1]);
  assert.deepEqual(samples.get('c'), [3, 3, 3]);
});

test('interleaving keeps every sample of a contender that returns several per run', async () => {
  const samples = await interleave(2, [{ name: 'epochs', sample: async () => [1, 2] }]);
  assert.deepEqual(samples.get('epochs'), [1, 2, 1, 2]);
});

/** A repository root in the OS temp folder holding only a BENCHMARKS.md. */
function tempRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-bench-run-'));
  fs.writeFileSync(path.join(root, 'BENCHMARKS.md'), '# Benchmarks\n\n<!-- bench:x -->\nold figure\n<!-- /bench:x -->\n');
  return root;
}

test('a noisy run writes nothing to BENCHMARKS.md and exits non-zero', (t) => {
  const root = tempRoot();
  const exitCode = process.exitCode;
  t.after(() => { process.exitCode = exitCode; fs.rmSync(root, { recursive: true, force: true }); });
  const before = fs.readFileSync(path.join(root, 'BENCHMARKS.md'), 'utf8');
  const run = new BenchRun('bench:x', 1.5);
  run.measure('Fitcheck', [10, 10, 10, 10, 10, 10, 10, 10, 30, 30]);
  const quiet = console.error;
  console.error = () => {};
  let wrote: boolean;
  try { wrote = run.finish(root, 'new figure'); } finally { console.error = quiet; }
  const failed = process.exitCode;
  process.exitCode = exitCode;
  assert.equal(wrote, false);
  assert.equal(failed, 1);
  assert.equal(fs.readFileSync(path.join(root, 'BENCHMARKS.md'), 'utf8'), before);
});

test('a steady run replaces its section of BENCHMARKS.md', (t) => {
  const root = tempRoot();
  const noWrite = process.env['FITCHECK_BENCH_NO_WRITE'];
  delete process.env['FITCHECK_BENCH_NO_WRITE'];
  t.after(() => {
    if (noWrite !== undefined) process.env['FITCHECK_BENCH_NO_WRITE'] = noWrite;
    fs.rmSync(root, { recursive: true, force: true });
  });
  const run = new BenchRun('bench:x', 1.5);
  run.measure('Fitcheck', [10, 10.1, 10.2, 10, 10]);
  const quiet = [console.log, console.error] as const;
  console.log = () => {};
  console.error = () => {};
  let wrote: boolean;
  try { wrote = run.finish(root, 'new figure'); } finally { [console.log, console.error] = quiet; }
  assert.equal(wrote, true);
  const text = fs.readFileSync(path.join(root, 'BENCHMARKS.md'), 'utf8');
  assert.match(text, /<!-- bench:x -->\nnew figure\n<!-- \/bench:x -->/);
  assert.doesNotMatch(text, /old figure/);
});

test('the load line names the load average before and after and the cores', () => {
  assert.match(new BenchRun('bench:x', 1.5).loadLine(), /^load average \(1 \/ 5 \/ 15 min\) [\d.]+ \/ [\d.]+ \/ [\d.]+ before, [\d.]+ \/ [\d.]+ \/ [\d.]+ after, on \d+ cores$/);
});
