/**
 * Adversarial inputs for the trainer (issue 20): generated large CSVs, data paths that escape the
 * workspace, junk and non-regular files, oversized specs, runs started in the same second and a
 * disk that fills up. Each class asserts a clear message, a sane exit code, bounded time (linear
 * scaling at two sizes) and bounded memory. Heavy cases run in child processes (this file run with
 * `--probe`), so a hang or a memory blow-up is measured, not suffered.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseEvents } from '../../metrics/diagnosis/codec.js';
import type { EndEvent } from '../../metrics/diagnosis/events.js';
import { createRunFolder, listRuns, readRun } from '../../metrics/store/run-store.js';
import { csvToRaw, DataError } from '../../trainer/data/csv.js';
import { loadDataset, prepare } from '../../trainer/data/dataset.js';
import { estimateMemory, LIMITS } from '../../trainer/limits.js';
import { startRun } from '../../trainer/run.js';
import type { RunSpec } from '../../trainer/spec/types.js';
import { validateSpec } from '../../trainer/spec/validate.js';
import { random } from '../unit/fuzz-mutations.js';

const thisFile = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(thisFile), '../../..');
const cliEntry = path.join(repoRoot, 'out', 'cli', 'bin.js');
const CANARY = 'CANARY7f3a9SECRET';

/** A CSV of `rows` rows: three features and a class label 0–3. */
function bigCsv(rows: number): string {
  const lines = new Array<string>(rows + 1);
  lines[0] = 'a,b,c,y';
  for (let i = 0; i < rows; i++) lines[i + 1] = `${i % 97},${(i * 7) % 13},${(i * 0.37).toFixed(2)},${i % 4}`;
  return `${lines.join('\n')}\n`;
}

// ---- probe mode: one measured piece of work in a fresh process, reported as JSON on stdout ----
if (process.argv[2] === '--probe') {
  const [kind, arg] = process.argv.slice(3);
  const started = performance.now();
  if (kind === 'csv') {
    const text = bigCsv(Number(arg));
    const parseStart = performance.now();
    const { raw } = csvToRaw(text, { target: 'y', header: true, delimiter: ',', onBadRow: 'error', classification: true });
    const data = prepare(raw, { validationFraction: 0.2, seed: 1, normalize: true, polynomialDegree: 2 });
    process.stdout.write(JSON.stringify({ n: data.train.n + data.val.n, ms: performance.now() - parseStart, maxRssKb: process.resourceUsage().maxRSS }));
  } else if (kind === 'quotes' || kind === 'columns') {
    // Pathological CSVs: a file of nothing but quote characters, or one very wide header.
    const n = Number(arg);
    const text = kind === 'quotes' ? `x,y\n${'"'.repeat(n)}` : `${Array.from({ length: n }, (_, i) => `c${i}`).join(',')}\n`;
    const parseStart = performance.now();
    let message = '';
    try {
      csvToRaw(text, { target: 'y', header: true, delimiter: ',', onBadRow: 'error', classification: false });
    } catch (error) {
      message = error instanceof DataError ? error.message : `not a DataError: ${String(error)}`;
    }
    process.stdout.write(JSON.stringify({ message, ms: performance.now() - parseStart, maxRssKb: process.resourceUsage().maxRSS }));
  } else if (kind === 'ids') {
    const ids: string[] = [];
    const now = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < Number(process.argv[5]); i++) ids.push(createRunFolder(arg!, 'same-second', { now }).runId);
    process.stdout.write(JSON.stringify(ids));
  }
  void started;
} else {
  registerTests();
}

/** Runs this file as a probe in a child process; resolves to its JSON output. */
function probe<T>(args: string[], timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [thisFile, '--probe', ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`probe ${args.join(' ')} failed: ${error.message} ${stderr}`));
      else resolve(JSON.parse(stdout) as T);
    });
  });
}

/** `fitcheck <args>` in a child process with a hard time limit; `shell` wraps it (e.g. with ulimit). */
function fitcheck(args: string[], options: { cwd: string; timeoutMs?: number; shellPrefix?: string }) {
  const started = performance.now();
  const result = options.shellPrefix
    ? spawnSync('bash', ['-c', `${options.shellPrefix} exec "$0" "$@"`, process.execPath, cliEntry, ...args], { cwd: options.cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 })
    : spawnSync(process.execPath, [cliEntry, ...args], { cwd: options.cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, seconds: (performance.now() - started) / 1000 };
}

function writeSpec(dir: string, name: string, spec: object): string {
  const file = path.join(dir, `${name}.fitrun.json`);
  fs.writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

const tinyModel = { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 1 }] };

function registerTests(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-adv-trainer-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('large CSV files (no spread of data-sized arrays)', () => {
    it('loads 150,000 and 300,000 rows in time and memory linear in the rows', async () => {
      const small = await probe<{ n: number; ms: number; maxRssKb: number }>(['csv', '150000']);
      const large = await probe<{ n: number; ms: number; maxRssKb: number }>(['csv', '300000']);
      assert.equal(small.n, 150_000);
      assert.equal(large.n, 300_000);
      // Twice the rows: about twice the time (loosely: under 3.5×, so a quadratic step fails).
      assert.ok(large.ms / small.ms < 3.5, `time ${small.ms.toFixed(0)} ms → ${large.ms.toFixed(0)} ms`);
      assert.ok(large.maxRssKb < 1.5 * 1024 * 1024, `peak memory ${(large.maxRssKb / 1024).toFixed(0)} MB`);
      assert.ok(large.maxRssKb / small.maxRssKb < 2.5, `memory ${small.maxRssKb} KB → ${large.maxRssKb} KB`);
    });

    it('refuses a file of 10 and 20 million quote characters in linear time and bounded memory', async () => {
      const small = await probe<{ message: string; ms: number; maxRssKb: number }>(['quotes', String(10e6)]);
      const large = await probe<{ message: string; ms: number; maxRssKb: number }>(['quotes', String(20e6)]);
      for (const r of [small, large]) assert.match(r.message, /^1 bad row in the CSV file \(line 2: expected 2 fields, found 1\)/);
      assert.ok(large.ms / small.ms < 3.5, `time ${small.ms.toFixed(0)} ms → ${large.ms.toFixed(0)} ms`);
      assert.ok(large.maxRssKb < 600 * 1024, `peak memory ${(large.maxRssKb / 1024).toFixed(0)} MB`);
    });

    it('refuses a header of 20,000 columns with the column limit', async () => {
      const result = await probe<{ message: string }>(['columns', '20000']);
      assert.equal(result.message, 'the CSV file has 20,000 columns; at most 10,000 are supported');
    });

    it('trains one epoch on a 300,000-row CSV through fitcheck train and exits 0', () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'big-'));
      fs.writeFileSync(path.join(dir, 'big.csv'), bigCsv(300_000));
      const spec = writeSpec(dir, 'big', {
        data: { kind: 'csv', path: 'big.csv', target: 'y', validationFraction: 0.1 },
        model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 4, activation: 'softmax' }] },
        loss: { type: 'categorical-crossentropy' }, optimizer: { type: 'adam' },
        training: { epochs: 1, batchSize: 4096 },
      });
      const result = fitcheck(['train', spec, '--backend', 'wasm', '--runs-dir', path.join(dir, 'runs')], { cwd: dir, timeoutMs: 180_000 });
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.match(result.stdout, /Completed 1 epoch/);
    });
  });

  describe('data paths outside the workspace', () => {
    const workspace = path.join(tmp, 'ws');
    const secretDir = path.join(tmp, 'private');
    fs.mkdirSync(path.join(workspace, 'a', 'b'), { recursive: true });
    fs.mkdirSync(secretDir, { recursive: true });
    fs.writeFileSync(path.join(secretDir, 'secret.csv'), `x,y\n1,${CANARY}\n`);
    fs.symlinkSync(path.join(secretDir, 'secret.csv'), path.join(workspace, 'a', 'link.csv'));
    fs.symlinkSync(secretDir, path.join(workspace, 'a', 'linkdir'));
    const spec = (file: string): RunSpec => {
      const { spec: s, errors } = validateSpec(JSON.stringify({ data: { kind: 'csv', path: file, target: 'y' }, model: tinyModel, loss: { type: 'mse' }, optimizer: { type: 'sgd' } }));
      assert.deepEqual(errors, []);
      return s!;
    };
    const escapes = [
      path.join(secretDir, 'secret.csv'),
      '../../../private/secret.csv',
      '../../../../../../../../../../etc/passwd',
      '/etc/passwd',
      '/etc/shadow',
      '/proc/self/environ',
      `${workspace}/../private/secret.csv`,
      'link.csv',
      'linkdir/secret.csv',
      './b/../../../private/secret.csv',
    ];

    it(`refuses ${escapes.length} generated escapes with a clear message and none of the file's text`, () => {
      for (const file of escapes) {
        const started = performance.now();
        assert.throws(() => loadDataset(spec(file), path.join(workspace, 'a'), { dataRoots: [workspace] }), (error: unknown) => {
          assert.ok(error instanceof DataError, `${file}: ${String(error)}`);
          assert.match(error.message, /is outside the folders data may be read from|no such file|permission denied/, file);
          assert.doesNotMatch(error.message, new RegExp(`${CANARY}|root:`), file);
          return true;
        });
        assert.ok(performance.now() - started < 2000, `${file} took too long`);
      }
    });

    it('exits 2 from fitcheck train on /etc/shadow, echoing nothing of it', () => {
      const file = writeSpec(workspace, 'shadow', { data: { kind: 'csv', path: '/etc/shadow', target: 'y' }, model: tinyModel, loss: { type: 'mse' }, optimizer: { type: 'sgd' } });
      const result = fitcheck(['train', file, '--runs-dir', path.join(tmp, 'runs-shadow')], { cwd: workspace });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /data: the CSV file \/etc\/shadow is outside the folders data may be read from/);
      assert.doesNotMatch(result.stderr, /root:|\$6\$|\n\s+at /);
      assert.equal(listRuns(path.join(tmp, 'runs-shadow')).length, 0, 'no run is stored for a refused spec');
    });

    it('reads junk files of 200 kinds without a crash, a hang or an echo of their lines', () => {
      const next = random(20); // seeded, so a failing junk file can be made again
      const alphabet = [',', ';', '"', '\n', '\r\n', ' ', '\u0000', 'é', '😀', 'NaN', 'Infinity', '-', '1e309', '0x1F', CANARY, CANARY, '1', '2.5', '', '\uFEFF'];
      for (let k = 0; k < 200; k++) {
        const parts: string[] = [];
        const length = 1 + Math.floor(next() * 400);
        for (let i = 0; i < length; i++) parts.push(alphabet[Math.floor(next() * alphabet.length)]!);
        // The canary on every line that could be echoed: the first, and a bad row.
        const text = `${CANARY}${parts.join('')}\n${CANARY},${CANARY}\n`;
        const file = path.join(workspace, `junk-${k}.csv`);
        fs.writeFileSync(file, text);
        for (const target of ['y', 0, 1] as const) {
          const s = spec(path.basename(file));
          (s.data as { target: string | number }).target = target;
          (s.data as { onBadRow: string }).onBadRow = k % 2 === 0 ? 'error' : 'skip';
          try {
            loadDataset(s, workspace, { dataRoots: [workspace] });
          } catch (error) {
            assert.ok(error instanceof DataError, `junk-${k} target ${target}: ${String(error)}`);
            assert.ok(!error.message.includes(CANARY), `junk-${k} target ${target} echoed the file: ${error.message}`);
          }
        }
      }
    });
  });

  describe('files that are not regular files', () => {
    const workspace = path.join(tmp, 'nonregular');
    fs.mkdirSync(workspace, { recursive: true });
    const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

    it('refuses a FIFO as the CSV and as the spec at once (exit 2, no hang)', (t) => {
      if (!hasMkfifo) { t.skip('mkfifo is not available'); return; }
      spawnSync('mkfifo', [path.join(workspace, 'data.csv')]);
      spawnSync('mkfifo', [path.join(workspace, 'fifo.fitrun.json')]);
      const spec = writeSpec(workspace, 'fifo-data', { data: { kind: 'csv', path: 'data.csv', target: 'y' }, model: tinyModel, loss: { type: 'mse' }, optimizer: { type: 'sgd' } });
      for (const [file, message] of [[spec, /data: the CSV file data\.csv is not a regular file \(it is a named pipe\)/], [path.join(workspace, 'fifo.fitrun.json'), /fifo\.fitrun\.json is not a regular file \(it is a named pipe\)/]] as const) {
        const result = fitcheck(['train', file, '--runs-dir', path.join(workspace, 'runs')], { cwd: workspace, timeoutMs: 20_000 });
        assert.equal(result.signal, null, 'it did not hang');
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.ok(result.seconds < 15, `${result.seconds.toFixed(1)} s`);
      }
    });

    it('refuses devices, a directory and a sparse 200 MB file without reading them', () => {
      const sparse = path.join(workspace, 'sparse.csv');
      const fd = fs.openSync(sparse, 'w');
      fs.ftruncateSync(fd, 200 * 1024 * 1024);
      fs.closeSync(fd);
      const cases: [string, string[], RegExp][] = [
        ['/dev/zero', ['/dev'], /is not a regular file \(it is a character device\)/],
        ['/dev/urandom', ['/dev'], /is not a regular file \(it is a character device\)/],
        [workspace, [tmp], /is not a regular file \(it is a directory\)/],
        [sparse, [workspace], /is 200 MB, larger than the limit of 100 MB/],
      ];
      for (const [file, roots, message] of cases) {
        if (!fs.existsSync(file)) continue;
        const { spec } = validateSpec(JSON.stringify({ data: { kind: 'csv', path: file, target: 'y' }, model: tinyModel, loss: { type: 'mse' }, optimizer: { type: 'sgd' } }));
        const started = performance.now();
        const rssBefore = process.memoryUsage().rss;
        assert.throws(() => loadDataset(spec!, workspace, { dataRoots: roots }), message);
        assert.ok(performance.now() - started < 1000, `${file} took ${(performance.now() - started).toFixed(0)} ms`);
        assert.ok(process.memoryUsage().rss - rssBefore < 50 * 1024 * 1024, `${file} grew memory`);
      }
    });
  });

  describe('oversized run specs', () => {
    const dir = path.join(tmp, 'limits');
    fs.mkdirSync(dir, { recursive: true });
    const base = () => ({
      data: { kind: 'spiral', samples: 300, classes: 3 } as Record<string, unknown>,
      model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }] as Record<string, unknown>[] },
      loss: { type: 'categorical-crossentropy' }, optimizer: { type: 'adam' } as Record<string, unknown>, training: { epochs: 5 } as Record<string, unknown>,
    });
    type Base = ReturnType<typeof base>;
    const oversized: [string, (s: Base) => void, RegExp][] = [
      ['units 1e9', (s) => { s.model.layers[0]!.units = 1e9; }, /model\.layers\[0\]\.units must be between 1 and 16384/],
      ['samples 1e8', (s) => { s.data.samples = 1e8; }, /data\.samples must be between 4 and 1000000/],
      ['10,000 layers', (s) => { s.model.layers = [...Array.from({ length: 9_999 }, () => ({ type: 'dense', units: 4, activation: 'relu' })), s.model.layers[1]!]; }, /model\.layers must have at most 512 items/],
      ['a million classes', (s) => { s.data.classes = 1e6; s.model.layers[1]!.units = 1e6; }, /data\.classes must be between 2 and 1000/],
      ['degree 1e6', (s) => { s.data = { kind: 'hours-vs-score', polynomialDegree: 1e6 }; s.loss = { type: 'mse' }; s.model.layers[1] = { type: 'dense', units: 1 }; }, /data\.polynomialDegree must be between 1 and 100/],
      ['epochs 1e12', (s) => { s.training.epochs = 1e12; }, /training\.epochs must be between 1 and 1000000/],
      ['batch 1e12', (s) => { s.training.batchSize = 1e12; }, /training\.batchSize must be a whole number from 1 to 1,000,000/],
      ['memory', (s) => { s.model.layers = [...Array.from({ length: 4 }, () => ({ type: 'dense', units: 16_384, activation: 'relu' })), s.model.layers[1]!]; }, /the run would need about \d+(\.\d)? GB of memory .* more than the limit of 2\.0 GB/],
    ];

    it(`refuses ${oversized.length} generated oversized specs from fitcheck train with exit 2, quickly`, () => {
      for (const [name, change, message] of oversized) {
        const s = base();
        change(s);
        const file = writeSpec(dir, name.replace(/\W+/g, '-'), s);
        const result = fitcheck(['train', file, '--runs-dir', path.join(dir, 'runs')], { cwd: dir, timeoutMs: 30_000 });
        assert.equal(result.code, 2, `${name}: ${result.stderr}`);
        assert.match(result.stderr, message, name);
        assert.doesNotMatch(result.stderr, /\n\s+at /, name);
        assert.ok(result.seconds < 20, `${name}: ${result.seconds.toFixed(1)} s`);
      }
      assert.equal(listRuns(path.join(dir, 'runs')).length, 0, 'nothing was trained or stored');
    });

    it('ends a run started with an unvalidated oversized spec as failed, naming the bound', async () => {
      const { spec } = validateSpec(JSON.stringify(base()));
      (spec!.model.layers[0] as { units: number }).units = 1e9;
      const run = startRun(spec!, { runsDir: path.join(dir, 'runs-unvalidated'), baseDir: dir, backend: 'cpu' });
      const end = await run.done;
      assert.equal(end.status, 'failed');
      assert.match(end.reason!, /^the run spec is too large: model\.layers\[0\]\.units is 1,000,000,000; it must be between 1 and 16,384$/);
      const stored = readRun(run.dir).events;
      assert.equal(stored.events.at(-1)!.type, 'end');
    });

    it('estimates memory linearly in the examples', () => {
      const { spec } = validateSpec(JSON.stringify(base()));
      const a = estimateMemory(spec!, { examples: 250_000, features: 2 });
      const b = estimateMemory(spec!, { examples: 500_000, features: 2 });
      assert.ok(Math.abs(b.data / a.data - 2) < 1e-9);
      assert.ok(estimateMemory(spec!, { examples: LIMITS.samples, features: 2 }).total < LIMITS.memoryBytes, 'the largest synthetic set fits a small model');
    });
  });

  describe('runs started in the same second', () => {
    it('gives 800 runs from 16 parallel processes 800 distinct folders', async () => {
      const base = path.join(tmp, 'ids');
      const outputs = await Promise.all(Array.from({ length: 16 }, () => probe<string[]>(['ids', base, '50'])));
      const all = outputs.flat();
      assert.equal(all.length, 800);
      assert.equal(new Set(all).size, 800);
      assert.equal(fs.readdirSync(base).length, 800);
    });

    it('stores 4 runs of one spec started together in 4 folders, each with its own start and end', async () => {
      const runsDir = path.join(tmp, 'parallel-runs');
      const { spec } = validateSpec(JSON.stringify({ name: 'same', data: { kind: 'two-moons', samples: 60 }, model: tinyModel, loss: { type: 'binary-crossentropy', fromLogits: true }, optimizer: { type: 'adam' }, training: { epochs: 2 } }));
      const runs = Array.from({ length: 4 }, () => startRun(spec!, { runsDir, baseDir: tmp, backend: 'cpu' }));
      const ends = await Promise.all(runs.map((r) => r.done));
      assert.deepEqual(ends.map((e) => e.status), ['completed', 'completed', 'completed', 'completed']);
      assert.equal(new Set(runs.map((r) => r.dir)).size, 4);
      for (const run of runs) {
        const types = readRun(run.dir).events.events.map((e) => e.type);
        assert.equal(types.filter((t) => t === 'start').length, 1);
        assert.equal(types.filter((t) => t === 'end').length, 1);
      }
    });
  });

  describe('a disk that fills up during a run', () => {
    it('ends with a plain message, exit 1, complete lines only and a readable end event', (t) => {
      if (process.platform !== 'linux' || spawnSync('bash', ['-c', 'ulimit -f 64']).status !== 0) { t.skip('needs bash and ulimit'); return; }
      const dir = fs.mkdtempSync(path.join(tmp, 'full-'));
      const spec = writeSpec(dir, 'long', {
        data: { kind: 'two-moons', samples: 200 }, model: tinyModel, loss: { type: 'binary-crossentropy', fromLogits: true },
        optimizer: { type: 'adam' }, training: { epochs: 5000, batchSize: 10, logEveryBatches: 1 },
      });
      // A 64 KB file size limit stands in for a full disk: the write fails part-way, as on ENOSPC.
      const result = fitcheck(['train', spec, '--backend', 'cpu', '--runs-dir', path.join(dir, 'runs')], { cwd: dir, shellPrefix: 'ulimit -f 64;', timeoutMs: 120_000 });
      assert.equal(result.code, 1, result.stderr + result.stdout);
      assert.match(result.stdout, /Failed after \d+ epochs \(file too large: cannot write the run's events to .*events\.jsonl past the file size limit \(EFBIG\)/);
      assert.doesNotMatch(result.stdout + result.stderr, /Node\.js v\d|^\}$/m);
      const runDir = path.join(dir, 'runs', listRuns(path.join(dir, 'runs'))[0]!);
      const text = fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8');
      assert.ok(text.endsWith('\n'), 'no torn last line');
      const parsed = parseEvents(text);
      assert.deepEqual(parsed.errors, []);
      assert.equal(parsed.truncated, false);
      // The end event is written when the cut-off line freed enough room for it; a batch line is
      // shorter than an end line, so here the file may end with the last complete batch instead.
      const last = parsed.events.at(-1)!;
      if (last.type === 'end') assert.match((last as EndEvent).reason!, /file too large/);
      else assert.ok(parsed.events.length > 10, 'the events before the limit are kept');
    });
  });
}
