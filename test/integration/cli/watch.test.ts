/** `fitcheck watch`: the diagnosis of users' own runs, once or live, in words or as events. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../cli/main.js';
import { runWatch } from '../../../cli/watch-command.js';
import { fixturePath, repoRoot } from '../../unit/helpers.js';
import { fileVersion, legacyScalar, writeRecords } from '../../unit/metrics/event-file-builder.js';

function capture(): { out: { stdout(s: string): void; stderr(s: string): void }; stdout: () => string; stderr: () => string } {
  let o = '';
  let e = '';
  return { out: { stdout: (s) => { o += s; }, stderr: (s) => { e += s; } }, stdout: () => o, stderr: () => e };
}
const overfit = fixturePath('watch', 'keras-overfit');

describe('fitcheck watch --once', () => {
  it('prints the high-variance diagnosis of an over-fitting Keras CSVLogger run, with the tags it read and the remedies', async () => {
    const c = capture();
    assert.equal(await main(['watch', '--once', overfit], c.out), 0, c.stderr());
    assert.match(c.stdout(), /validation loss: "val_loss"/);
    assert.match(c.stdout(), /30 epochs; last: epoch 30 \(step 29\)/);
    assert.match(c.stdout(), /Diagnosis at epoch 30: High variance since epoch \d+: training error 0\.001 ≤ ε = 0\.1 < validation error 0\.242/);
    assert.match(c.stdout(), /Stop early, at epoch 9/);
    assert.match(c.stdout(), /\[overfitting-onset\]/);
  });

  it('prints one end event per run with --json, as the trainer writes it, named by run', async () => {
    const c = capture();
    assert.equal(await main(['watch', '--once', '--json', overfit], c.out), 0);
    const lines = c.stdout().trim().split('\n');
    assert.equal(lines.length, 1);
    const end = JSON.parse(lines[0]!);
    assert.equal(end.type, 'end');
    assert.equal(end.status, 'running', 'a CSV has no end of its own');
    assert.equal(end.epochs, 30);
    assert.equal(end.diagnosis.regime, 'high-variance');
    assert.equal(end.bestEpoch, 9);
    assert.deepEqual(end.insights, ['overfitting-onset']);
    assert.match(end.runId, /^watch-history-csv-[0-9a-f]{8}$/);
  });

  it('uses the ε and the tag mapping given on the command line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-watch-'));
    try {
      fs.writeFileSync(path.join(dir, 'training.csv'), 'step,objective,holdout\n1,0.5,0.6\n2,0.3,0.5\n3,0.25,0.45\n4,0.22,0.43\n5,0.21,0.42\n6,0.2,0.41\n7,0.2,0.41\n');
      const c = capture();
      assert.equal(await main(['watch', '--once', '--json', '--epsilon', '0.7', '--map', 'objective=trainLoss', '--map', 'holdout=valLoss', dir], c.out), 0, c.stderr());
      const end = JSON.parse(c.stdout());
      assert.equal(end.epochs, 7);
      assert.equal(end.diagnosis.epsilon, 0.7);
      assert.equal(end.diagnosis.regime, 'good-fit');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with a clear message for a missing path, a folder without runs, or a bad --map', async () => {
    const missing = capture();
    assert.equal(await main(['watch', '--once', path.join(os.tmpdir(), 'no-such-fitcheck-folder')], missing.out), 2);
    assert.match(missing.stderr(), /no such file or folder/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-empty-'));
    const none = capture();
    assert.equal(await main(['watch', '--once', empty], none.out), 2);
    assert.match(none.stderr(), /no runs under .* \(looked for TensorBoard event files/);
    fs.rmSync(empty, { recursive: true });
    const bad = capture();
    assert.equal(await main(['watch', '--once', '--map', 'x=validationLoss', overfit], bad.out), 2);
    assert.match(bad.stderr(), /"x": "validationLoss" is not a role/);
  });
});

describe('fitcheck watch (live)', () => {
  it('prints each new epoch and alert as a JSONL file grows, then the diagnosis when stopped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-live-'));
    const file = path.join(dir, 'run.fitcheck.jsonl');
    fs.writeFileSync(file, '{"type":"start","format":"fitcheck-metrics","version":1,"runId":"r","time":"2026-01-01T00:00:00.000Z","name":"live","backend":"pytorch","versions":{},"source":"fitcheck_logger"}\n');
    const c = capture();
    const controller = new AbortController();
    const done = runWatch(dir, { once: false, json: false, color: false, signal: controller.signal, minPollMs: 20 }, c.out);
    const until = async (re: RegExp) => {
      const end = Date.now() + 5000;
      while (!re.test(c.stdout())) {
        if (Date.now() > end) assert.fail(`timed out waiting for ${re}; got:\n${c.stdout()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    try {
      for (let e = 1; e <= 3; e++) fs.appendFileSync(file, `{"type":"scalars","step":${e},"wallTime":${e},"values":{"train/loss":${1 / e},"val/loss":${1 / e + 0.05}}}\n`);
      await until(/epoch 3 {2}loss 0\.3333/);
      // A non-finite loss raises an alert while watching.
      fs.appendFileSync(file, '{"type":"scalars","step":4,"wallTime":4,"values":{"train/loss":"NaN","val/loss":"NaN"}}\n');
      await until(/\[non-finite\] epoch 4/);
    } finally {
      controller.abort();
    }
    assert.equal(await done, 0);
    assert.match(c.stdout(), /^Watching /);
    assert.match(c.stdout(), /live: pytorch, ε = 0\.1/);
    assert.match(c.stdout(), /4 epochs; last: epoch 4/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('fitcheck watch on malformed lines', () => {
  it('skips an epoch event with no metrics, live and once, saying which line, and exits 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-bad-'));
    const file = path.join(dir, 'events.jsonl');
    fs.writeFileSync(file, '{"type":"start","format":"fitcheck-metrics","version":1,"runId":"r","time":"2026-01-01T00:00:00.000Z","backend":"wasm","versions":{},"task":"binary","metric":"error","epsilon":0.1,"epochs":2}\n{"type":"epoch","epoch":1,"train":{"loss":0.5,"error":0.2},"wallTime":1}\n{"type":"epoch"}\n');
    try {
      const once = capture();
      assert.equal(await main(['watch', '--once', file], once.out), 0);
      assert.match(once.stderr(), /line 3: an "epoch" event with no "epoch"; skipped/);
      assert.match(once.stdout(), /1 epoch; last: epoch 1 /);
      const live = capture();
      const controller = new AbortController();
      const done = runWatch(file, { once: false, json: false, color: false, signal: controller.signal, minPollMs: 20 }, live.out);
      fs.appendFileSync(file, '{"type":"epoch","epoch":2,"train":{"loss":0.4,"error":0.1},"wallTime":2}\n{"type":"epoch","train":null}\n');
      const end = Date.now() + 5000;
      while (!/epoch 2 {2}loss/.test(live.stdout()) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      assert.equal(await done, 0);
      assert.match(live.stdout(), /epoch 2 {2}loss 0\.4000/);
      assert.match(live.stderr(), /line 5: an "epoch" event with no "epoch"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the bundled fitcheck watch', () => {
  it('reads a TensorBoard event file written by PyTorch-style scalars (protobuf bundled and working)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-bundle-'));
    const records = [fileVersion()];
    for (let e = 1; e <= 12; e++) records.push(legacyScalar('Accuracy/train', e, Math.min(1, 0.6 + e * 0.05)), legacyScalar('Accuracy/val', e, 0.62));
    writeRecords(path.join(dir, 'events.out.tfevents.1700000000.host.1.0'), records);
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.mjs'), 'watch', '--once', dir], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /High variance since epoch \d+: training error 0 ≤ ε = 0\.1 < validation error 0\.38/);
  });
});

describe('fitcheck watch --once words', () => {
  it('lists the latest insight of each kind, ranked, with how often it came, and the rest behind --all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-watch-'));
    try {
      // Blocks of 30 epochs: a zig-zag, then a crawl. Oscillation and plateau each come and go eight times.
      const rows = ['epoch,loss,accuracy'];
      for (let e = 1; e <= 240; e++) {
        const k = (e - 1) % 30;
        rows.push(`${e},${k < 12 ? (e % 2 ? 0.9 : 0.5) : 0.7 * 0.995 ** (k - 12)},0.5`);
      }
      fs.writeFileSync(path.join(dir, 'metrics.csv'), `${rows.join('\n')}\n`);
      const brief = capture();
      await main(['watch', '--once', dir], brief.out);
      const all = capture();
      await main(['watch', '--once', '--all', dir], all.out);
      const briefLines = brief.stdout().split('\n').filter((l) => /^ {4}\[/.test(l));
      const allLines = all.stdout().split('\n').filter((l) => /^ {4}\[/.test(l));
      assert.ok(allLines.length > briefLines.length, `${allLines.length} vs ${briefLines.length}`);
      assert.equal(new Set(briefLines.map((l) => /\[([a-z-]+)\]/.exec(l)![1])).size, briefLines.length, 'one line per kind');
      assert.ok(briefLines.length <= 5);
      assert.deepEqual(briefLines.map((l) => /\[([a-z-]+)\]/.exec(l)![1]).sort(), ['oscillation', 'plateau']);
      assert.match(brief.stdout(), /\[oscillation\] epoch 215 \(8 times\)/);
      assert.equal(allLines.length, 16);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
