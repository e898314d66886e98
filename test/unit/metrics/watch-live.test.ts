/** Finding runs in a log folder and following them live as their files grow, rotate and vanish. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { EpochEvent, RunEvent } from '../../../metrics/diagnosis/events.js';
import { discoverRuns, watchRootFor, watchRunId } from '../../../metrics/watch/discover.js';
import { RunSource } from '../../../metrics/watch/run-source.js';
import { RunWatcher, type WatchUpdate } from '../../../metrics/watch/watcher.js';
import { appendBytes, concat, fileVersion, legacyScalar, tempFolders, tf2Scalar, writeRecords } from './event-file-builder.js';

const folder = tempFolders();
function touch(file: string, text = ''): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
function write(file: string, records: readonly Uint8Array[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeRecords(file, records);
}
const epochsOf = (events: readonly RunEvent[] | undefined) => (events ?? []).filter((e): e is EpochEvent => e.type === 'epoch');

/** Waits until `check` holds (the watcher works on timers); fails after `ms`. */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Epoch records of a PyTorch-style run: `Loss/train` and `Loss/val` per epoch. */
function epochRecords(from: number, to: number): Uint8Array[] {
  const records: Uint8Array[] = [];
  for (let e = from; e <= to; e++) records.push(legacyScalar('Loss/train', e, 1 / e), legacyScalar('Loss/val', e, 1 / e + 0.1));
  return records;
}

describe('finding runs', () => {
  it("treats Keras' train/ and validation/ writers as one run, and other folders as runs of their own", () => {
    const root = folder();
    write(path.join(root, 'fit', '20240101', 'train', 'events.out.tfevents.1.host'), [fileVersion(), tf2Scalar('epoch_loss', 0, 1, true)]);
    write(path.join(root, 'fit', '20240101', 'validation', 'events.out.tfevents.2.host'), [fileVersion(), tf2Scalar('epoch_loss', 0, 1.2, true)]);
    fs.mkdirSync(path.join(root, 'exp2'));
    write(path.join(root, 'exp2', 'events.out.tfevents.3.host'), epochRecords(1, 2));
    const { runs, issues } = discoverRuns(root);
    assert.deepEqual(issues, []);
    assert.deepEqual(runs.map((r) => [r.name, r.files.map((f) => f.prefix).sort()]), [['exp2', ['']], ['fit/20240101', ['train/', 'validation/']]]);
    assert.equal(runs[1]!.runId, watchRunId(path.join(root, 'fit', '20240101')));
  });

  it("takes the helper's JSONL files, DVCLive folders and CSVs with a step column, but not a data CSV, a hidden folder or node_modules", () => {
    const root = folder();
    touch(path.join(root, 'runs', 'a.fitcheck.jsonl'));
    touch(path.join(root, 'runs', 'b.fitcheck.jsonl'));
    touch(path.join(root, 'dvclive', 'plots', 'metrics', 'train', 'loss.tsv'));
    touch(path.join(root, 'dvclive', 'plots', 'metrics', 'eval', 'loss.tsv'));
    touch(path.join(root, 'lightning_logs', 'version_0', 'metrics.csv'), 'epoch,step,train_loss,val_loss\n');
    touch(path.join(root, 'data', 'iris.csv'), 'sepal_length,sepal_width,species\n');
    touch(path.join(root, '.cache', 'events.out.tfevents.1'));
    touch(path.join(root, 'node_modules', 'x', 'events.out.tfevents.1'));
    touch(path.join(root, 'src', 'tfevents.test.js'));
    const { runs } = discoverRuns(root);
    assert.deepEqual(runs.map((r) => r.name), ['dvclive', 'lightning_logs/version_0/metrics.csv', 'runs/a.fitcheck.jsonl', 'runs/b.fitcheck.jsonl']);
    assert.deepEqual(runs[0]!.files.map((f) => f.metricName).sort(), ['eval/loss', 'train/loss']);
  });

  it('keeps a lone train/ folder (an Ultralytics run) a run of its own, with its tags unprefixed', () => {
    const root = folder();
    write(path.join(root, 'detect', 'train', 'events.out.tfevents.1.h'), [fileVersion(), legacyScalar('train/box_loss', 1, 1)]);
    const { runs } = discoverRuns(root);
    assert.deepEqual(runs.map((r) => [r.name, r.files[0]!.prefix]), [['detect/train', '']]);
  });

  it("folds SummaryWriter.add_scalars' <tag>_<name>/ folders into the writer's run", () => {
    const root = folder();
    write(path.join(root, 'exp', 'events.out.tfevents.1.h'), [fileVersion()]);
    write(path.join(root, 'exp', 'Loss_train', 'events.out.tfevents.2.h'), [fileVersion(), legacyScalar('Loss', 1, 1), legacyScalar('Loss', 2, 0.5)]);
    write(path.join(root, 'exp', 'Loss_val', 'events.out.tfevents.3.h'), [fileVersion(), legacyScalar('Loss', 1, 1.2), legacyScalar('Loss', 2, 0.9)]);
    const { runs } = discoverRuns(root);
    assert.equal(runs.length, 1);
    const source = new RunSource(runs[0]!);
    source.poll(true);
    const run = source.assemble(false);
    assert.deepEqual(run.roles, { trainLoss: 'Loss_train/Loss', valLoss: 'Loss_val/Loss' });
    assert.equal(epochsOf(run.events).length, 2);
  });

  it('finds a CSV by its step column even after a byte-order mark', () => {
    const root = folder();
    touch(path.join(root, 'history.csv'), '\ufeffepoch,loss\n0,1\n');
    const { runs } = discoverRuns(root);
    const source = new RunSource(runs[0]!);
    source.poll(true);
    assert.deepEqual(epochsOf(source.assemble(false).events).map((e) => e.step), [0]);
  });

  it('watches one file when pointed at one, and says what is wrong with a path it cannot read', () => {
    const root = folder();
    const file = path.join(root, 'my.csv');
    touch(file, 'epoch,loss\n0,1\n');
    assert.equal(discoverRuns(file).runs[0]!.files[0]!.kind, 'csv');
    assert.match(discoverRuns(path.join(root, 'nope')).issues[0]!, /no such file or folder/);
    touch(path.join(root, 'notes.txt'));
    assert.match(discoverRuns(path.join(root, 'notes.txt')).issues[0]!, /not a TensorBoard event file/);
  });

  it('watches the top-level folder a log was found in', () => {
    assert.equal(watchRootFor('/w/runs/exp1/events.out.tfevents.1', '/w'), path.join('/w', 'runs'));
    assert.equal(watchRootFor('/w/events.out.tfevents.1', '/w'), '/w');
  });
});

describe('a run source', () => {
  it('reads a run made of Keras-style train and validation writers into epochs with both splits', () => {
    const root = folder();
    write(path.join(root, 'train', 'events.out.tfevents.1.h'), [fileVersion(), ...[0, 1, 2].flatMap((s) => [tf2Scalar('epoch_loss', s, 1 - s * 0.2, s === 0), tf2Scalar('epoch_accuracy', s, 0.7 + s * 0.1, s === 0)])]);
    write(path.join(root, 'validation', 'events.out.tfevents.2.h'), [fileVersion(), ...[0, 1, 2].flatMap((s) => [tf2Scalar('epoch_loss', s, 1.1 - s * 0.1, s === 0), tf2Scalar('epoch_accuracy', s, 0.65, s === 0)])]);
    const source = new RunSource(discoverRuns(root).runs[0]!);
    assert.equal(source.poll(true).issues.length, 0);
    const run = source.assemble();
    assert.equal(run.roles.valLoss, 'validation/epoch_loss');
    const epochs = epochsOf(run.events);
    assert.equal(epochs.length, 3);
    assert.ok(Math.abs(epochs[2]!.train.error - 0.1) < 1e-6);
    assert.ok(Math.abs(epochs[2]!.val!.error - 0.35) < 1e-6);
  });

  it('merges a resumed run: a second event file in the folder continues it, its values winning on shared steps', () => {
    const root = folder();
    write(path.join(root, 'events.out.tfevents.1700000000.h.1.0'), [fileVersion(), ...epochRecords(1, 3)]);
    write(path.join(root, 'events.out.tfevents.1700000500.h.2.0'), [fileVersion(), legacyScalar('Loss/train', 3, 0.25), legacyScalar('Loss/val', 3, 0.3), ...epochRecords(4, 5)]);
    const source = new RunSource(discoverRuns(root).runs[0]!);
    source.poll(true);
    const list = epochsOf(source.assemble(false).events);
    assert.deepEqual(list.map((e) => e.step), [1, 2, 3, 4, 5]);
    assert.equal(list[2]!.train.loss, 0.25);
  });

  it('reads a trainer events.jsonl as it is, under the watched run id', () => {
    const root = folder();
    const file = path.join(root, 'events.jsonl');
    touch(file, [
      '{"type":"start","format":"fitcheck-metrics","version":1,"runId":"orig","time":"2026-01-01T00:00:00Z","backend":"wasm","versions":{},"task":"binary","metric":"error","epsilon":0.1,"epochs":2}',
      '{"type":"epoch","epoch":1,"train":{"loss":0.5,"error":0.2},"wallTime":1}',
      '',
    ].join('\n'));
    const source = new RunSource(discoverRuns(file).runs[0]!);
    source.poll(true);
    const { events } = source.assemble();
    assert.equal(events[0]!.type === 'start' && events[0]!.runId, watchRunId(file));
    assert.equal(epochsOf(events).length, 1);
  });
});

describe('watching live', () => {
  for (const fsEvents of [true, false]) {
    it(`follows a file as it grows, waiting for a record written in halves (${fsEvents ? 'file-system events' : 'polling alone'})`, async () => {
      const root = folder();
      const file = path.join(root, 'exp', 'events.out.tfevents.1.h');
      fs.mkdirSync(path.dirname(file));
      writeRecords(file, [fileVersion(), ...epochRecords(1, 2)]);
      const updates: WatchUpdate[] = [];
      const watcher = new RunWatcher(root, { fsEvents, minPollMs: 20, maxPollMs: 50, onUpdate: (u) => updates.push(u) });
      try {
        watcher.start();
        assert.equal(updates.length, 1, 'the first read is reported at once');
        assert.equal(epochsOf(updates[0]!.events).length, 2);
        const next = concat(epochRecords(3, 3));
        appendBytes(file, next.subarray(0, next.length - 7));
        await new Promise((r) => setTimeout(r, 150));
        assert.equal(epochsOf(watcher.events(updates[0]!.runId)).length, 2, 'half a record is not read yet');
        appendBytes(file, next.subarray(next.length - 7));
        await until(() => epochsOf(watcher.events(updates[0]!.runId)).length === 3, 'the third epoch');
        const last = updates[updates.length - 1]!;
        assert.equal(last.reset, false);
        assert.ok(last.appended.some((e) => e.type === 'epoch' && e.epoch === 3));
        assert.ok(last.appended.every((e) => e.type !== 'start'), 'only new events are appended');
      } finally {
        watcher.close();
      }
    });
  }

  it('keeps reading while a writer appends without pause (file-system events do not postpone reads forever)', async () => {
    const root = folder();
    const file = path.join(root, 'events.out.tfevents.1.h');
    write(file, [fileVersion()]);
    const seen: number[] = [];
    const watcher = new RunWatcher(root, { minPollMs: 1000, maxPollMs: 1000, onUpdate: (u) => seen.push(epochsOf(u.events).length) });
    try {
      watcher.start();
      // An epoch every 10 ms for 0.6 s: far more often than the 50 ms a file-system event waits.
      for (let e = 1; e <= 60; e++) {
        appendBytes(file, concat(epochRecords(e, e)));
        await new Promise((r) => setTimeout(r, 10));
      }
      const during = seen.filter((n) => n > 0 && n < 60).length;
      assert.ok(during >= 3, `updates while writing: ${seen.join(', ')}`);
    } finally {
      watcher.close();
    }
  });

  it('finds a run folder that appears after the watch began', async () => {
    const root = folder();
    const updates: WatchUpdate[] = [];
    let runLists = 0;
    const watcher = new RunWatcher(root, { minPollMs: 20, maxPollMs: 50, onUpdate: (u) => updates.push(u), onRuns: () => { runLists += 1; } });
    try {
      watcher.start();
      assert.equal(watcher.runs.length, 0);
      fs.mkdirSync(path.join(root, 'late'));
      write(path.join(root, 'late', 'events.out.tfevents.9.h'), [fileVersion(), ...epochRecords(1, 4)]);
      await until(() => updates.some((u) => epochsOf(u.events).length === 4), 'the new run');
      assert.equal(watcher.runs[0]!.name, 'late');
      assert.ok(runLists >= 1);
    } finally {
      watcher.close();
    }
  });

  it('starts a run over when its file is replaced by a shorter one, and marks it gone when deleted', async () => {
    const root = folder();
    const file = path.join(root, 'events.out.tfevents.1.h');
    writeRecords(file, [fileVersion(), ...epochRecords(1, 5)]);
    const updates: WatchUpdate[] = [];
    const watcher = new RunWatcher(file, { minPollMs: 20, maxPollMs: 50, onUpdate: (u) => updates.push(u) });
    try {
      watcher.start();
      assert.equal(epochsOf(updates[0]!.events).length, 5);
      writeRecords(`${file}.tmp`, [fileVersion(), ...epochRecords(1, 2)]);
      fs.renameSync(`${file}.tmp`, file);
      await until(() => updates.some((u) => u.reset), 'a reset');
      assert.equal(epochsOf(updates.find((u) => u.reset)!.events).length, 2);
      fs.rmSync(file);
      await until(() => updates.some((u) => u.gone), 'the run marked gone');
      assert.equal(epochsOf(updates[updates.length - 1]!.events).length, 2, 'what was read is kept');
    } finally {
      watcher.close();
    }
  });

  it('reports a damaged record once and keeps every intact one', async () => {
    const root = folder();
    const file = path.join(root, 'events.out.tfevents.1.h');
    const bytes = concat([fileVersion(), ...epochRecords(1, 3)]);
    bytes[bytes.length - 3]! ^= 0xff; // the data checksum of the last record
    fs.writeFileSync(file, bytes);
    const issues: string[] = [];
    const updates: WatchUpdate[] = [];
    const watcher = new RunWatcher(root, { minPollMs: 20, maxPollMs: 50, onUpdate: (u) => updates.push(u), onIssues: (list) => issues.push(...list.map((i) => i.message)) });
    try {
      watcher.start();
      await new Promise((r) => setTimeout(r, 120));
      assert.equal(issues.length, 1, issues.join('\n'));
      assert.match(issues[0]!, /data checksum does not match/);
      // Epoch 3's validation loss was in the damaged record: epochs are the validation steps, so two remain.
      assert.equal(epochsOf(updates[updates.length - 1]!.events).length, 2);
    } finally {
      watcher.close();
    }
  });
});

describe('fair reading across a run\'s files', () => {
  it("reads a run's second file while its first still holds more than a poll's byte budget", () => {
    const root = folder();
    write(path.join(root, 'train', 'events.out.tfevents.1.h'), [fileVersion(), ...Array.from({ length: 400 }, (_, i) => tf2Scalar('epoch_loss', i, 1 / (i + 1), i === 0))]);
    write(path.join(root, 'validation', 'events.out.tfevents.2.h'), [fileVersion(), tf2Scalar('epoch_loss', 0, 1.5, true)]);
    const source = new RunSource(discoverRuns(root).runs[0]!, { maxReadBytes: 256 });
    // Two polls of one read's worth each: the validation file gets its turn in the second.
    const first = source.poll(false, { bytes: 256 });
    assert.equal(first.more, true);
    source.poll(false, { bytes: 256 });
    assert.equal(source.assemble(false).roles.valLoss, 'validation/epoch_loss');
  });

  it('charges nothing for a file with nothing new, so every file is looked at on every poll', () => {
    const root = folder();
    const a = path.join(root, 'events.out.tfevents.1.h');
    const b = path.join(root, 'events.out.tfevents.2.h');
    write(a, [fileVersion(), ...epochRecords(1, 2)]);
    write(b, [fileVersion()]);
    const source = new RunSource(discoverRuns(root).runs[0]!);
    source.poll(false);
    appendBytes(b, concat(epochRecords(3, 3)));
    const budget = { bytes: 1 };
    const result = source.poll(false, budget);
    assert.equal(result.changed, true);
    assert.deepEqual(epochsOf(source.assemble(false).events).map((e) => e.step), [1, 2, 3]);
  });
});

describe('many small events', () => {
  it('reads and assembles a JSONL file of 200,000 small events in one read without overflowing the stack', () => {
    const root = folder();
    const file = path.join(root, 'many.fitcheck.jsonl');
    // More events in one read than a call takes as spread arguments (~120,000 here).
    touch(file, `${'{"type":"scalars","step":1,"values":{"train/loss":1}}\n'}${'{"type":"end","status":"completed"}\n'.repeat(200_000)}`);
    const source = new RunSource(discoverRuns(root).runs[0]!);
    assert.deepEqual(source.poll(true).issues, []);
    const { events } = source.assemble(false);
    assert.equal(epochsOf(events).length, 1);
    assert.equal(events[events.length - 1]!.type, 'end');
  });
});
