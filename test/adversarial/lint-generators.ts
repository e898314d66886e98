/** Generators of hostile lint input and the helpers the adversarial lint tests share. */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../unit/helpers.js';

/** A few lines that make the file a PyTorch script with one real error (FC101), so analysis does run. */
export const TORCH_HEADER = 'import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(2, 2), nn.Softmax(dim=1))\nloss_fn = nn.CrossEntropyLoss()\n';

/** Python nested `n` deep in every way the grammar allows: brackets, calls, operators, blocks. */
export const DEEP_PYTHON: Record<string, (n: number) => string> = {
  'nested lists': (n) => `x = ${'['.repeat(n)}${']'.repeat(n)}`,
  'nested method calls': (n) => `x = ${'a.b('.repeat(n)}${')'.repeat(n)}`,
  'nested parentheses around a call': (n) => `x = ${'f(('.repeat(n)}1${'))'.repeat(n)}`,
  'a long + chain': (n) => `x = 1${' + 1'.repeat(n)}`,
  'a long attribute chain': (n) => `x = a${'.b'.repeat(n)}`,
  'repeated unary minus': (n) => `x = ${'-'.repeat(n)}1`,
  'repeated not': (n) => `x = ${'not '.repeat(n)}1`,
  'chained conditional expressions': (n) => `x = ${'1 if a else '.repeat(n)}2`,
  'nested lambdas': (n) => `x = ${'lambda: '.repeat(n)}1`,
  'a long subscript chain': (n) => `x = a${'[0]'.repeat(n)}`,
  'nested dicts': (n) => `x = ${'{1: '.repeat(n)}1${'}'.repeat(n)}`,
  'nested keyword arguments': (n) => `x = ${'f(a='.repeat(n)}1${')'.repeat(n)}`,
  'nested Sequential models': (n) => `m = ${'nn.Sequential('.repeat(n)}nn.Linear(2, 2)${')'.repeat(n)}`,
  'nested if blocks': (n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}if a:`).join('\n') + `\n${' '.repeat(n)}pass`,
  'nested for loops': (n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}for i in range(3):`).join('\n') + `\n${' '.repeat(n)}loss_fn(model(i), i).backward()`,
};

/** A run spec whose model has `layers` layers (sigmoid dense layers, every third a dropout of 0.95). */
export function runSpecWithLayers(layers: number): string {
  const list = Array.from({ length: layers }, (_, i) => (i % 3 === 2 ? { type: 'dropout', rate: 0.95 } : { type: 'dense', units: 4, activation: 'sigmoid' }));
  list.push({ type: 'dense', units: 1 } as (typeof list)[number]);
  return JSON.stringify({ data: { kind: 'two-moons' }, model: { layers: list }, loss: { type: 'binary-crossentropy', fromLogits: true }, optimizer: { type: 'adam' } }, null, 1);
}

/** A valid minimal run spec. */
export const MINIMAL_SPEC = '{"data":{"kind":"two-moons"},"model":{"layers":[{"type":"dense","units":1}]},"loss":{"type":"binary-crossentropy","fromLogits":true},"optimizer":{"type":"adam"}}';

const made: string[] = [];
process.on('exit', () => { for (const dir of made) fs.rmSync(dir, { recursive: true, force: true }); });

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fitcheck-adv-${name}-`));
  made.push(dir);
  return dir;
}

/** Runs the bundled CLI with a wall-clock limit and a heap cap, as a user would run it. */
export function cli(args: string[], options: { cwd?: string; timeoutMs?: number; heapMb?: number } = {}): SpawnSyncReturns<string> & { ms: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [`--max-old-space-size=${options.heapMb ?? 512}`, path.join(repoRoot, 'dist', 'cli.mjs'), ...args], {
    encoding: 'utf8', cwd: options.cwd ?? repoRoot, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024,
  });
  return Object.assign(result, { ms: performance.now() - started });
}

/** The best of `runs` timings of `work` in milliseconds (the best is the least disturbed by a busy machine). */
export function bestTime(work: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * Asserts that doubling the input at most about doubles the time: `work(2n)` may take 3× `work(n)`
 * plus 50 ms of slack (a quadratic algorithm takes 4×). Returns both timings for the log.
 */
export function assertLinear(what: string, work: (n: number) => () => void, n: number): { small: number; large: number } {
  const small = bestTime(work(n));
  const large = bestTime(work(2 * n));
  assert.ok(large <= 3 * small + 50, `${what}: ${n} took ${small.toFixed(0)} ms but ${2 * n} took ${large.toFixed(0)} ms (more than linear)`);
  return { small, large };
}

/** The heap grown by `work`, in MB, after a collection when `--expose-gc` is on. */
export function heapGrowthMb(work: () => void): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  work();
  gc?.();
  return (process.memoryUsage().heapUsed - before) / 1e6;
}
