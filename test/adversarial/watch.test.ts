/**
 * Hostile input to `fitcheck watch` (the bundled CLI, run as users run it): malformed events, huge
 * lines, many events, pathological tag-mapping globs and FIFOs. Each case asserts a clear message, a
 * sane exit code, bounded time (work that grows linearly: two sizes compared, loosely) and bounded
 * memory (the CLI runs under a small heap cap, so a reader that holds too much dies and fails the case).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(repoRoot, 'dist', 'cli.mjs');
/** The heap the CLI gets: a few times what a healthy read needs, far less than holding a big file. */
const HEAP_MB = 160;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-adv-watch-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
function dir(): string {
  const d = path.join(root, `${++n}`);
  fs.mkdirSync(d);
  return d;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the CLI to its end (or kills it after `timeoutMs`, which fails the case). */
function fitcheck(args: string[], timeoutMs = 120_000): Run {
  const began = performance.now();
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, cli, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - began) / 1000;
  assert.notEqual(r.signal, 'SIGTERM', `fitcheck ${args.join(' ')} did not finish in ${timeoutMs / 1000} s`);
  assert.doesNotMatch(r.stderr, /heap out of memory|Invalid string length|Maximum call stack|internal error|at .*\.m?js:\d+/, `no crash: ${r.stderr.slice(0, 2000)}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds };
}

const START = '{"type":"start","format":"fitcheck-metrics","version":1,"runId":"r","time":"2026-01-01T00:00:00.000Z","name":"adv","backend":"python","versions":{},"source":"fitcheck_logger"}\n';
const scalars = (step: number, values: Record<string, number | string>) => `${JSON.stringify({ type: 'scalars', step, wallTime: step, values })}\n`;

/** A start-up baseline, so scaling compares the work and not node's start. */
let baseline: number | undefined;
function startSeconds(): number {
  if (baseline === undefined) {
    const d = dir();
    fs.writeFileSync(path.join(d, 'tiny.fitcheck.jsonl'), START + scalars(1, { 'train/loss': 1 }));
    baseline = Math.min(...[0, 1, 2].map(() => fitcheck(['watch', '--once', d]).seconds));
  }
  return baseline;
}

/** Asserts the time of the large case grew at most ~linearly from the small one (`factor` × the size). */
function assertLinear(small: Run, large: Run, factor: number, what: string): void {
  const base = startSeconds();
  const a = Math.max(small.seconds - base, 0.25);
  const b = large.seconds - base;
  console.log(`# ${what}: ${small.seconds.toFixed(2)} s, ${factor}× the size ${large.seconds.toFixed(2)} s (start-up ${base.toFixed(2)} s)`);
  // Loose on purpose (a shared machine): quadratic work would give factor², far above this bound.
  assert.ok(b / a < factor * 2.5, `${what}: ${small.seconds.toFixed(2)} s then ${large.seconds.toFixed(2)} s for ${factor}× the size (start-up ${base.toFixed(2)} s)`);
}

describe('fitcheck watch on malformed events', () => {
  it('skips every kind of malformed line with its line number and a count, keeps the good ones, and exits 0', () => {
    const d = dir();
    const bad = [
      '{"type":"epoch"}',
      '{"type":"epoch","epoch":1,"train":{"loss":"low","error":0}}',
      '{"type":"epoch","epoch":1,"train":{"loss":1,"error":0},"val":[]}',
      '{"type":"epoch","epoch":1,"train":{"loss":1,"error":0},"layers":[null]}',
      '{"type":"end","status":"exploded"}',
      '{"type":"end","status":"completed","diagnosis":{"regime":"good-fit"}}',
      '{"type":"insight","epoch":2}',
      '{"type":"batch","epoch":1,"batch":1,"step":1,"loss":null}',
      '{"type":"scalars","step":"x","values":{}}',
      '{"type":"scalars","step":3,"values":[1,2]}',
      '{"type":"start","layers":"dense"}',
      '{"type":',
      'not json at all',
      '\u0000\u0001\u0002',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      '{"type":"scalars","step":1e400,"values":{"train/loss":1}}',
      '{"__proto__":{"type":"epoch"},"type":"scalars","step":4,"values":{"__proto__":1}}',
    ];
    let text = START;
    for (let i = 0; i < bad.length; i++) text += `${bad[i]}\n${scalars(i + 1, { 'train/loss': 1 / (i + 1), 'val/loss': 1.1 / (i + 1) })}`;
    fs.writeFileSync(path.join(d, 'bad.fitcheck.jsonl'), Buffer.concat([Buffer.from(text), Buffer.from([0xff, 0xfe, 0x0a])]));
    const r = fitcheck(['watch', '--once', d]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /line 2: an "epoch" event with no "epoch"; skipped/);
    assert.match(r.stderr, /line 4: an "epoch" event with "train\.loss" is not a number/);
    assert.match(r.stderr, /line 28: Unexpected token/);
    assert.match(r.stderr, /16 lines skipped in all, the first at line 2/);
    assert.match(r.stdout, new RegExp(`${bad.length} epochs; last: epoch ${bad.length} `), 'every good line between the bad ones was read');
  });

  it('keeps watching live when malformed lines arrive, printing the epochs around them', async () => {
    const d = dir();
    const file = path.join(d, 'live.fitcheck.jsonl');
    fs.writeFileSync(file, START);
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, cli, 'watch', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const until = async (check: () => boolean, what: string) => {
      const end = Date.now() + 15_000;
      while (!check()) {
        assert.ok(Date.now() < end, `timed out waiting for ${what}\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await until(() => out.includes('Watching'), 'the start');
      for (let e = 1; e <= 5; e++) {
        fs.appendFileSync(file, `{"type":"epoch"}\n${scalars(e, { 'train/loss': 1 / e, 'val/loss': 1.2 / e })}{"type":"scalars"}\n`);
        await until(() => out.includes(`epoch ${e}  loss`), `epoch ${e}`);
      }
      assert.match(err, /line 2: an "epoch" event with no "epoch"; skipped/);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
  });
});

describe('fitcheck watch on huge lines', () => {
  const longLine = (d: string, mb: number) => {
    const file = path.join(d, 'long.fitcheck.jsonl');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, START + scalars(1, { 'train/loss': 1 }) + '{"type":"scalars","step":2,"values":{"train/loss":"');
    const chunk = Buffer.alloc(1024 * 1024, '7');
    for (let i = 0; i < mb; i++) fs.writeSync(fd, chunk);
    fs.writeSync(fd, '"}}\n' + scalars(3, { 'train/loss': 0.5 }));
    fs.closeSync(fd);
    return d;
  };

  it('skips a line longer than the limit with a note naming it, reads on after it, in bounded memory and linear time', () => {
    const small = fitcheck(['watch', '--once', longLine(dir(), 40)]);
    const large = fitcheck(['watch', '--once', longLine(dir(), 160)]);
    for (const r of [small, large]) {
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /line 3 is longer than 16,777,216 characters, the most one line may hold; skipped/);
      assert.match(r.stdout, /2 logged points; last: step 3 /, 'the line after the long one was read');
    }
    assertLinear(small, large, 4, 'a long line');
  });

  it('follows a 12 MB line (under the limit) written live in 200 pieces, and reads the epoch after it', async () => {
    const d = dir();
    const file = path.join(d, 'grow.fitcheck.jsonl');
    fs.writeFileSync(file, START);
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, cli, 'watch', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      fs.appendFileSync(file, '{"type":"scalars","step":1,"values":{"train/loss":0.25,"note":"');
      const piece = 'n'.repeat(60_000);
      for (let i = 0; i < 200; i++) {
        fs.appendFileSync(file, piece);
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 30));
      }
      fs.appendFileSync(file, `"}}\n${scalars(2, { 'train/loss': 0.125 })}`);
      const end = Date.now() + 30_000;
      while (!out.includes('epoch 2  loss 0.1250') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      assert.match(out, /epoch 1 {2}loss 0\.2500/, err);
      assert.match(out, /epoch 2 {2}loss 0\.1250/, err);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
    assert.doesNotMatch(err, /heap out of memory|skipped/);
  });
});

describe('fitcheck watch on many events', () => {
  const many = (count: number, line: (i: number) => string) => {
    const d = dir();
    const parts: string[] = [START];
    for (let i = 1; i <= count; i++) parts.push(line(i));
    fs.writeFileSync(path.join(d, 'many.fitcheck.jsonl'), parts.join(''));
    return d;
  };

  it('reads 600,000 small events without overflowing the stack, in bounded memory and linear time', () => {
    const tiny = (i: number) => (i % 2 === 0 ? '{"type":"end","status":"completed"}\n' : scalars(i, { 'train/loss': 1 / i }));
    const small = fitcheck(['watch', '--once', many(150_000, tiny)]);
    const large = fitcheck(['watch', '--once', many(600_000, tiny)]);
    for (const r of [small, large]) {
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /drawn as epochs of \d+ steps each/);
    }
    assertLinear(small, large, 4, '600,000 events');
  });
});

describe('fitcheck watch with pathological mapping globs', () => {
  it('matches a backtracking-prone glob against a long tag in linear time', () => {
    const run = (length: number) => {
      const d = dir();
      fs.writeFileSync(path.join(d, 'g.fitcheck.jsonl'), START + [1, 2, 3].map((s) => scalars(s, { ['a'.repeat(length)]: 1 / s, ['a'.repeat(length) + 'b']: 2 / s })).join(''));
      return fitcheck(['watch', '--once', '--map', 'a*a*a*a*a*a*a*b=trainLoss', '--map', '*a*a*a*a*a*c=valLoss', d], 60_000);
    };
    const small = run(50_000);
    const large = run(200_000);
    for (const r of [small, large]) {
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /training loss: "a+b"/);
      assert.match(r.stdout, /3 epochs/);
    }
    assertLinear(small, large, 4, 'a long tag against a glob');
  });
});

describe('fitcheck watch on FIFOs', () => {
  const fifo = (file: string) => spawnSync('mkfifo', [file]).status === 0;

  it('refuses a FIFO given as the path at once, with exit code 2 and a reason, once or live', (t) => {
    const file = path.join(dir(), 'run.fitcheck.jsonl');
    if (!fifo(file)) return t.skip('mkfifo is not available here');
    for (const args of [['--once'], []]) {
      const r = fitcheck(['watch', ...args, file], 10_000);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /not a regular file or folder; only files and folders are read/);
    }
  });

  it('leaves FIFOs named like logs in a folder alone, reading the real runs beside them', (t) => {
    const d = dir();
    if (!fifo(path.join(d, 'events.out.tfevents.1.host'))) return t.skip('mkfifo is not available here');
    fifo(path.join(d, 'metrics.csv'));
    fifo(path.join(d, 'x.fitcheck.jsonl'));
    fs.writeFileSync(path.join(d, 'real.fitcheck.jsonl'), START + scalars(1, { 'train/loss': 1 }));
    const r = fitcheck(['watch', '--once', d], 10_000);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /real\.fitcheck\.jsonl/);
    assert.doesNotMatch(r.stdout, /x\.fitcheck\.jsonl|metrics\.csv/);
  });

  it('does not hang when a watched file is replaced by a FIFO mid-run: it says why and keeps watching', async (t) => {
    const d = dir();
    const file = path.join(d, 'swap.fitcheck.jsonl');
    const other = path.join(d, 'other.fitcheck.jsonl');
    fs.writeFileSync(file, START + scalars(1, { 'train/loss': 1 }));
    fs.writeFileSync(other, START);
    const child = spawn(process.execPath, [cli, 'watch', d], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const until = async (check: () => boolean, what: string) => {
      const end = Date.now() + 15_000;
      while (!check()) {
        assert.ok(Date.now() < end, `timed out waiting for ${what}\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await until(() => out.includes('[swap.fitcheck.jsonl] epoch 1'), 'the first epoch');
      fs.rmSync(file);
      if (!fifo(file)) return t.skip('mkfifo is not available here');
      await until(() => /not a regular file/.test(err), 'the reason');
      // Still live: the other run's new epoch is printed.
      fs.appendFileSync(other, scalars(1, { 'train/loss': 0.5 }));
      await until(() => out.includes('[other.fitcheck.jsonl] epoch 1'), 'the other run');
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
  });
});
