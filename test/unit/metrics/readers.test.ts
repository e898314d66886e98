/** The line-based metric readers (Fitcheck JSONL, CSV/TSV) and the file tail and line buffer under them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CsvReader, dvcliveMetricName, isCsvName } from '../../../metrics/readers/csv.js';
import { FileTail } from '../../../metrics/readers/file-tail.js';
import { isFitcheckJsonlName, JsonlReader } from '../../../metrics/readers/jsonl.js';
import { LineBuffer } from '../../../metrics/readers/lines.js';
import type { ScalarPoint } from '../../../metrics/diagnosis/scalars.js';
import { discoverRuns } from '../../../metrics/watch/discover.js';
import { tempDir } from './event-file-builder.js';

/** The repository root (this file runs from out/test/unit/metrics). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const runs = (...parts: string[]) => path.join(repoRoot, 'test', 'fixtures', 'runs', ...parts);

let dir = '';
let cleanup = () => {};
let n = 0;
before(() => ({ dir, cleanup } = tempDir()));
after(() => cleanup());
/** A fresh path in the temp folder; `content` is written there when given. */
function temp(name: string, content?: string | Buffer): string {
  const file = path.join(dir, `${++n}`, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (content !== undefined) fs.writeFileSync(file, content);
  return file;
}
const byTag = (points: ScalarPoint[], tag: string) => points.filter((p) => p.tag === tag).map((p) => [p.step, p.value]);

const START = '{"type":"start","format":"fitcheck-metrics","version":1,"runId":"r","time":"2024-05-01T12:00:00.000Z","name":"r","backend":"python","versions":{},"source":"fitcheck_logger"}\n';
const scalars = (step: number, values: Record<string, number | string>) => `${JSON.stringify({ type: 'scalars', step, wallTime: step, values })}\n`;

describe('JsonlReader', () => {
  test('an event of a known type but the wrong shape is skipped with its line number and a count, and the good lines are kept', () => {
    const file = temp('bad.fitcheck.jsonl', `${START}{"type":"epoch"}\n${scalars(1, { 'train/loss': 1 })}{"type":"end"}\n{"type":"batch","epoch":1}\n${scalars(2, { 'train/loss': 0.5 })}`);
    const update = new JsonlReader(file).poll(true);
    assert.deepEqual(byTag(update.points, 'train/loss'), [[1, 1], [2, 0.5]]);
    const messages = update.issues.map((i) => i.message);
    assert.match(messages[0]!, /^line 2: an "epoch" event with no "epoch"; skipped$/);
    assert.match(messages[1]!, /^line 4: an "end" event with no "status"/);
    assert.match(messages[2]!, /^line 5: a "batch" event with no "batch"/);
    assert.equal(messages[3], '3 lines skipped in all, the first at line 2');
    assert.deepEqual(update.events.map((e) => e.type), ['start']);
  });

  test('an epoch event whose train split has no numbers, or whose layers are not a list, is refused before anything reads it', () => {
    const lines = [
      '{"type":"epoch","epoch":1,"train":{}}',
      '{"type":"epoch","epoch":1,"train":{"loss":"x","error":0.1}}',
      '{"type":"epoch","epoch":1,"train":{"loss":1,"error":0.1},"val":7}',
      '{"type":"epoch","epoch":1,"train":{"loss":1,"error":0.1},"layers":{"a":1}}',
      '{"type":"scalars","step":1,"values":null}',
      '{"type":"insight","kind":"plateau","epoch":1,"severity":"loud","message":"m"}',
    ];
    const update = new JsonlReader(temp('shapes.jsonl', `${lines.join('\n')}\n`)).poll(true);
    assert.deepEqual(update.events, []);
    assert.equal(update.issues.length, lines.length + 1, update.issues.map((i) => i.message).join('\n'));
    assert.match(update.issues[1]!.message, /"train\.loss" is not a number/);
    assert.match(update.issues[5]!.message, /"severity" is not one of info, warning, error/);
  });

  test('reads the start, scalars and end lines the Python helper writes, with "NaN" and "Infinity" as numbers', () => {
    const file = runs('fitcheck-logger', '20240501-120000-mnist-mlp-4f67.fitcheck.jsonl');
    assert.equal(isFitcheckJsonlName(path.basename(file)), true);
    const update = new JsonlReader(file).poll(true);
    assert.deepEqual(update.issues, []);
    assert.deepEqual(update.events.map((e) => e.type), ['start', 'end']);
    assert.deepEqual(byTag(update.points, 'loss'), [[0, 2.3], [1, 1.2], [2, Number.NaN]]);
    assert.deepEqual(byTag(update.points, 'accuracy'), [[0, 0.11], [1, 0.62], [2, 0.7]]);
    assert.deepEqual(byTag(update.points, 'val_loss'), [[1, 1.31], [2, Number.POSITIVE_INFINITY]]);
  });

  test('a wall time becomes the start event\'s time plus the seconds since the start', () => {
    const update = new JsonlReader(runs('fitcheck-logger', '20240501-120000-mnist-mlp-4f67.fitcheck.jsonl')).poll(true);
    const origin = Date.UTC(2024, 4, 1, 12) / 1000;
    assert.deepEqual([...new Set(update.points.map((p) => p.wallTime - origin))], [1.5, 3.25, 5]);
  });

  test('a partial last line waits for its newline and is read once completed', () => {
    const line = scalars(3, { loss: 0.5 });
    const file = temp('run.fitcheck.jsonl', START + line.slice(0, 20));
    const reader = new JsonlReader(file);
    const first = reader.poll(false);
    assert.deepEqual([first.events.length, first.points.length, first.issues.length], [1, 0, 0]);
    fs.appendFileSync(file, line.slice(20));
    const second = reader.poll(false);
    assert.deepEqual(second.points.map((p) => [p.tag, p.step, p.value]), [['loss', 3, 0.5]]);
    assert.deepEqual(second.issues, []);
  });

  test('a bad middle line is reported with its line number and the lines around it are kept', () => {
    const file = temp('run.fitcheck.jsonl', `${START}${scalars(1, { loss: 1 })}{"type":"scalars","step":\n{"type":"mystery"}\n${scalars(2, { loss: 2 })}`);
    const update = new JsonlReader(file).poll(false);
    assert.deepEqual(byTag(update.points, 'loss'), [[1, 1], [2, 2]]);
    assert.equal(update.issues.length, 2);
    assert.match(update.issues[0]!.message, /^line 3: /);
    assert.match(update.issues[1]!.message, /^line 4: not a metric event/);
  });

  test('on the final read a cut-off last line is reported, and a complete one without its newline is read', () => {
    const cut = temp('cut.fitcheck.jsonl', `${START}${scalars(1, { loss: 1 })}{"type":"scal`);
    const update = new JsonlReader(cut).poll(true);
    assert.equal(update.points.length, 1);
    assert.deepEqual(update.issues.map((i) => i.message), ['line 3 is incomplete (the writer stopped mid-line); skipped']);
    const whole = temp('whole.fitcheck.jsonl', `${START}${scalars(1, { loss: 1 }).trimEnd()}`);
    const done = new JsonlReader(whole).poll(true);
    assert.deepEqual(byTag(done.points, 'loss'), [[1, 1]]);
    assert.deepEqual(done.issues, []);
  });

  test('a multi-byte UTF-8 character split across two appends is read intact', () => {
    const bytes = Buffer.from(`${START}${scalars(1, { 'λ→loss': 0.25 })}`);
    const split = bytes.indexOf(Buffer.from('→')) + 1;
    const file = temp('utf8.fitcheck.jsonl', bytes.subarray(0, split));
    const reader = new JsonlReader(file);
    reader.poll(false);
    fs.appendFileSync(file, bytes.subarray(split));
    const update = reader.poll(false);
    assert.deepEqual(update.points.map((p) => p.tag), ['λ→loss']);
    assert.deepEqual(update.issues, []);
  });

  test('a rewritten file is read again from line 1 and says it restarted', () => {
    const file = temp('run.fitcheck.jsonl', `${START}${scalars(1, { loss: 1 })}${scalars(2, { loss: 2 })}`);
    const reader = new JsonlReader(file);
    reader.poll(false);
    fs.writeFileSync(file, `${START}oops\n`);
    const update = reader.poll(false);
    assert.equal(update.restarted, true);
    assert.deepEqual(update.events.map((e) => e.type), ['start']);
    assert.match(update.issues[0]!.message, /^line 2: /);
  });
});

describe('CsvReader', () => {
  test('reads a Keras CSVLogger file with the epoch as the step', () => {
    const file = runs('keras', 'training.csv');
    assert.equal(isCsvName(path.basename(file)), true);
    const update = new CsvReader(file).poll(true);
    assert.deepEqual(update.issues, []);
    assert.deepEqual([...new Set(update.points.map((p) => p.tag))], ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    assert.deepEqual(byTag(update.points, 'val_loss'), [[0, 0.3178221583366394], [1, 0.2419731765985489], [2, 0.1958434581756592]]);
    assert.ok(update.points.every((p) => Number.isNaN(p.wallTime)));
  });

  test('reads a Lightning metrics.csv, skipping the empty cells of metrics not logged in a row', () => {
    const update = new CsvReader(runs('lightning', 'version_0', 'metrics.csv')).poll(true);
    assert.deepEqual(update.issues, []);
    assert.deepEqual(byTag(update.points, 'train_loss'), [[49, 0.6931471824645996], [99, 0.5123000144958496], [149, 0.401199996471405], [199, 0.3522000014781952]]);
    assert.deepEqual(byTag(update.points, 'val_loss'), [[99, 0.49869999289512634], [199, 0.3801000118255615]]);
  });

  test('reads a quoted column name and a quoted cell that hold commas as one field each (RFC 4180, as the trainer reads data)', () => {
    const update = new CsvReader(runs('quoted-csv', 'metrics.csv')).poll(true);
    assert.deepEqual(byTag(update.points, 'loss, train'), [[0, 0.9], [1, 0.5]]);
    assert.deepEqual(byTag(update.points, 'val_loss'), [[0, 1.1], [1, 0.8]]);
    // The note column is text: each of its cells is one skipped cell, not a row split in two.
    assert.deepEqual(update.issues.map((i) => i.message), ['line 2: "warm-up, lr 1e-3" in column note is not a number; cell skipped', 'line 3: "step "2"" in column note is not a number; cell skipped']);
  });

  test('reads a DVCLive TSV, naming the metric by its path and turning millisecond timestamps into seconds', () => {
    const file = runs('dvclive', 'plots', 'metrics', 'train', 'loss.tsv');
    const name = dvcliveMetricName(file);
    assert.equal(name, 'train/loss');
    const update = new CsvReader(file, name).poll(true);
    assert.deepEqual(update.points, [
      { tag: 'train/loss', step: 0, value: 0.6931, wallTime: 1714564800.123 },
      { tag: 'train/loss', step: 1, value: 0.5123, wallTime: 1714564801.456 },
      { tag: 'train/loss', step: 2, value: 0.4012, wallTime: 1714564802.789 },
    ]);
    assert.equal(dvcliveMetricName(path.join(dir, 'metrics', 'loss.tsv')), undefined);
  });

  test('non-numeric cells and steps are reported with their line and skipped, and the rest of the file is kept', () => {
    const file = temp('m.csv', 'step,loss,acc\n0,0.5,0.1\n1,abc,0.2\nten,0.3,0.3\n3,0.2,0.4\n');
    const update = new CsvReader(file).poll(true);
    assert.deepEqual(byTag(update.points, 'loss'), [[0, 0.5], [3, 0.2]]);
    assert.deepEqual(byTag(update.points, 'acc'), [[0, 0.1], [1, 0.2], [3, 0.4]]);
    assert.deepEqual(update.issues.map((i) => i.message), [
      'line 3: "abc" in column loss is not a number; cell skipped',
      'line 4: the step "ten" is not a number; row skipped',
    ]);
  });

  test('reads the nan and inf spellings Python and pandas write', () => {
    const file = temp('m.csv', 'step,a,b,c,d,e\n1,nan,NaN,inf,-inf,Infinity\n2,+inf,-Infinity,1e-3,-0.5,INF\n');
    const update = new CsvReader(file).poll(true);
    assert.deepEqual(update.issues, []);
    assert.deepEqual(update.points.map((p) => p.value), [Number.NaN, Number.NaN, Infinity, -Infinity, Infinity, Infinity, -Infinity, 0.001, -0.5, Infinity]);
  });

  test('reads CRLF lines without carrying the carriage return into the last column', () => {
    const file = temp('m.csv', 'epoch,loss,val_loss\r\n0,0.5,0.6\r\n1,0.4,0.55\r\n');
    const update = new CsvReader(file).poll(false);
    assert.deepEqual(byTag(update.points, 'val_loss'), [[0, 0.6], [1, 0.55]]);
    assert.deepEqual(update.issues, []);
  });

  test('follows a file growing row by row, waiting for a row\'s newline', () => {
    const file = temp('training.csv', 'epoch,loss,val_loss\n');
    const reader = new CsvReader(file);
    assert.deepEqual(reader.poll(false).points, []);
    fs.appendFileSync(file, '0,0.5');
    assert.deepEqual(reader.poll(false).points, []);
    fs.appendFileSync(file, ',0.6\n1,0.4,0.55\n');
    assert.deepEqual(reader.poll(false).points.map((p) => [p.tag, p.step, p.value]), [['loss', 0, 0.5], ['val_loss', 0, 0.6], ['loss', 1, 0.4], ['val_loss', 1, 0.55]]);
    fs.appendFileSync(file, '2,0.3,0.5');
    assert.deepEqual(byTag(reader.poll(true).points, 'loss'), [[2, 0.3]]);
  });

  test('a file rewritten with a new header is read with that header', () => {
    const file = temp('m.csv', 'step,loss\n0,1\n1,2\n2,3\n');
    const reader = new CsvReader(file);
    reader.poll(false);
    fs.writeFileSync(file, 'step,acc\n5,0.9\n');
    const update = reader.poll(false);
    assert.equal(update.restarted, true);
    assert.deepEqual(update.points.map((p) => [p.tag, p.step, p.value]), [['acc', 5, 0.9]]);
  });

  test('a row whose step cell is empty is reported, not read as step 0', () => {
    const file = temp('m.csv', 'step,loss\n5,0.5\n,0.4\n');
    const update = new CsvReader(file).poll(true);
    assert.deepEqual(byTag(update.points, 'loss'), [[5, 0.5]]);
    assert.equal(update.issues.length, 1);
  });
});

describe('LineBuffer and FileTail', () => {
  test('a FIFO put where a log was is refused at once with a plain reason, not read (a read would block)', { timeout: 10_000 }, (t) => {
    const file = temp('events.fitcheck.jsonl');
    if (spawnSync('mkfifo', [file]).status !== 0) {
      t.skip('mkfifo is not available here');
      return;
    }
    const read = new FileTail(file).read();
    assert.equal(read.kind, 'error');
    assert.match(read.kind === 'error' ? read.message : '', /not a regular file/);
    const update = new JsonlReader(file).poll(true);
    assert.match(update.issues[0]!.message, /could not read: not a regular file/);
    assert.deepEqual(discoverRuns(file).runs, []);
    assert.match(discoverRuns(file).issues[0]!, /not a regular file or folder/);
    const csv = temp('metrics.csv');
    spawnSync('mkfifo', [csv]);
    assert.deepEqual(discoverRuns(path.dirname(csv)).runs, [], 'a FIFO named like a metrics CSV is not opened to read its header');
  });

  test('a line growing over many reads is scanned once per byte and joined once, when its newline arrives', () => {
    for (const pieces of [100, 1000]) {
      const lines = new LineBuffer();
      for (let i = 0; i < pieces; i++) assert.deepEqual(lines.push(Buffer.from('x'.repeat(100))), []);
      const done = lines.push(Buffer.from('\nnext\n'));
      assert.deepEqual(done.map((l) => [l.line, l.text.length]), [[1, pieces * 100], [2, 4]]);
      // Linear: every character scanned exactly once, not the whole partial line again on each read.
      assert.equal(lines.scannedChars, pieces * 100 + 6);
    }
  });

  test('a line longer than the limit is dropped up to its newline and reported by number; the lines after it are read', () => {
    const lines = new LineBuffer(100);
    assert.deepEqual(lines.push(Buffer.from('ok\n' + 'x'.repeat(60))), [{ line: 1, text: 'ok' }]);
    assert.deepEqual(lines.push(Buffer.from('y'.repeat(60))), []);
    assert.deepEqual(lines.takeOverlong(), [2]);
    assert.deepEqual(lines.push(Buffer.from('z'.repeat(500))), [], 'the rest of the long line is not kept');
    assert.deepEqual(lines.push(Buffer.from('zz\nafter\n' + 'w'.repeat(150) + '\nlast\n')), [{ line: 3, text: 'after' }, { line: 5, text: 'last' }]);
    assert.deepEqual(lines.takeOverlong(), [4]);
    lines.push(Buffer.from('q'.repeat(120)));
    assert.equal(lines.takePartial(), undefined, 'a final partial line over the limit is dropped too');
    assert.deepEqual(lines.takeOverlong(), [6]);
  });

  test('a JSONL line over the limit is skipped with a note and the reader goes on after it', () => {
    const file = temp('long.fitcheck.jsonl', `${START}${scalars(1, { loss: 1 })}{"type":"scalars","step":2,"values":{"loss":"${'9'.repeat(5000)}"}}\n${scalars(3, { loss: 0.5 })}`);
    // Read in 1 KiB steps, so the long line spans several reads.
    const reader = new JsonlReader(file, 1024, 1000);
    const update = reader.poll(true);
    for (let more = update.more; more;) {
      const next = reader.poll(true);
      update.points.push(...next.points);
      update.issues.push(...next.issues);
      more = next.more;
    }
    assert.deepEqual(byTag(update.points, 'loss'), [[1, 1], [3, 0.5]]);
    assert.deepEqual(update.issues.map((i) => i.message), ['line 3 is longer than 1,000 characters, the most one line may hold; skipped']);
  });

  test('a line buffer numbers complete lines, strips CR and keeps an unfinished line for later', () => {
    const lines = new LineBuffer();
    assert.deepEqual(lines.push(Buffer.from('a\r\nb\nc')), [{ line: 1, text: 'a' }, { line: 2, text: 'b' }]);
    assert.deepEqual(lines.push(Buffer.from('d\n')), [{ line: 3, text: 'cd' }]);
    lines.push(Buffer.from('tail'));
    assert.deepEqual(lines.takePartial(), { line: 4, text: 'tail' });
    assert.equal(lines.takePartial(), undefined);
    lines.reset();
    assert.deepEqual(lines.push(Buffer.from('x\n')), [{ line: 1, text: 'x' }]);
  });

  test('a line buffer joins a UTF-8 character split between two pushes', () => {
    const bytes = Buffer.from('é€😀\n');
    const lines = new LineBuffer();
    const got = [];
    for (let i = 0; i < bytes.length; i++) got.push(...lines.push(bytes.subarray(i, i + 1)));
    assert.deepEqual(got, [{ line: 1, text: 'é€😀' }]);
  });

  test('a bounded tail says there is more and the next read continues where it stopped', () => {
    const file = temp('t.bin', '0123456789abcdefghij');
    const tail = new FileTail(file, 8);
    const reads: string[] = [];
    const mores: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const r = tail.read();
      assert.equal(r.kind, 'data');
      if (r.kind === 'data') {
        reads.push(r.bytes.toString());
        mores.push(r.more);
      }
    }
    assert.deepEqual(reads, ['01234567', '89abcdef', 'ghij', '']);
    assert.deepEqual(mores, [true, true, false, false]);
    assert.equal(tail.offset, 20);
  });

  test('a tail reports a missing file, then reads it from the start once it appears', () => {
    const file = temp('later.bin');
    const tail = new FileTail(file);
    assert.deepEqual(tail.read(), { kind: 'missing' });
    fs.writeFileSync(file, 'hello');
    const r = tail.read();
    assert.ok(r.kind === 'data');
    assert.equal(r.bytes.toString(), 'hello');
    assert.equal(r.restarted, false);
  });

  test('a tail puts the carried bytes before what was appended, and drops them when the file restarted', () => {
    const file = temp('c.bin', 'abc');
    const tail = new FileTail(file);
    tail.read();
    fs.appendFileSync(file, 'def');
    const r = tail.read(Buffer.from('xy'));
    assert.ok(r.kind === 'data');
    assert.deepEqual([r.bytes.toString(), r.appended], ['xydef', 3]);
    fs.writeFileSync(file, 'new');
    const restarted = tail.read(Buffer.from('xy'));
    assert.ok(restarted.kind === 'data');
    assert.deepEqual([restarted.bytes.toString(), restarted.appended, restarted.restarted], ['new', 3, true]);
  });

  test('the steps of a long read share one buffer, and a tail that caught up keeps none of it', () => {
    const file = temp('steps.bin', '0123456789abcdefghij');
    const tail = new FileTail(file, 8);
    const first = tail.read();
    const second = tail.read();
    assert.ok(first.kind === 'data' && second.kind === 'data');
    // Small buffers come from Node's shared pool: the same memory is the same buffer at the same offset.
    const sameMemory = (a: Buffer, b: Buffer) => a.buffer === b.buffer && a.byteOffset === b.byteOffset;
    assert.ok(sameMemory(second.bytes, first.bytes), 'a step reuses the buffer of the step before');
    const last = tail.read();
    assert.ok(last.kind === 'data');
    assert.deepEqual([last.bytes.toString(), last.more], ['ghij', false]);
    fs.appendFileSync(file, 'k');
    const appended = tail.read();
    assert.ok(appended.kind === 'data');
    assert.equal(appended.bytes.toString(), 'k');
    assert.ok(!sameMemory(appended.bytes, first.bytes), 'caught up, the step buffer was let go');
  });

  test('a tail restarts from zero when the file shrinks', () => {
    const file = temp('s.bin', 'a long first version');
    const tail = new FileTail(file);
    tail.read();
    fs.writeFileSync(file, 'short');
    const r = tail.read();
    assert.ok(r.kind === 'data');
    assert.deepEqual([r.bytes.toString(), r.restarted], ['short', true]);
  });
});

test('a CSV rewritten in place with a new header (Lightning adds a column) is read again from its start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-rewrite-'));
  try {
    const file = path.join(dir, 'metrics.csv');
    fs.writeFileSync(file, 'epoch,step,train_loss\n0,9,0.9\n0,19,0.8\n');
    const reader = new CsvReader(file);
    assert.deepEqual(reader.poll(false).points.map((p) => p.tag), ['train_loss', 'train_loss']);
    const inode = fs.statSync(file).ino;
    // Same inode (opened with 'w'), longer than before, a different first line.
    fs.writeFileSync(file, 'epoch,step,train_loss,val_loss\n0,9,0.9,\n0,19,0.8,\n0,19,,0.95\n1,29,0.7,\n');
    assert.equal(fs.statSync(file).ino, inode);
    const update = reader.poll(false);
    assert.equal(update.restarted, true);
    assert.deepEqual(update.points.map((p) => `${p.tag}@${p.step}`), ['train_loss@9', 'train_loss@19', 'val_loss@19', 'train_loss@29']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

