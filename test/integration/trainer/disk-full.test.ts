/** A full disk ends a run plainly: "disk full", every complete line kept, a readable end event when space allows, and no torn tail for readers. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeEvent, parseEvents } from '../../../metrics/diagnosis/codec.js';
import type { EndEvent, EpochEvent, RunEvent } from '../../../metrics/diagnosis/events.js';
import { readRun, RunWriteError, RunWriter, type WriteBytes } from '../../../metrics/store/run-store.js';
import { loadDataset } from '../../../trainer/data/dataset.js';
import { EventLog } from '../../../trainer/event-log.js';
import { backendFor } from '../../../trainer/in-process.js';
import { crashDetail } from '../../../trainer/run.js';
import { validateSpec } from '../../../trainer/spec/validate.js';
import { trainRun } from '../../../trainer/train.js';
import { runspecFixture } from '../../unit/trainer/paths.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-full-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let runs = 0;

/** A disk that holds `capacity` bytes of events.jsonl: writes fill it partially, then fail with ENOSPC, as a real full disk does. */
function fakeDisk(capacity: number): WriteBytes {
  return (fd, buffer, offset, length) => {
    const free = capacity - fs.fstatSync(fd).size;
    if (free <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return fs.writeSync(fd, buffer, offset, Math.min(length, free));
  };
}

const epoch = (n: number): EpochEvent => ({ type: 'epoch', epoch: n, train: { loss: 1 / n, error: 0.1 }, wallTime: n });
const end: EndEvent = { type: 'end', status: 'completed', epochs: 9, wallTime: 1, diagnosis: null };

describe('disk full while writing events', () => {
  it('keeps every complete line and cuts off the partial one', () => {
    const threeLines = [1, 2, 3].reduce((sum, n) => sum + Buffer.byteLength(encodeEvent(epoch(n))), 0);
    const writer = RunWriter.create(tmp, `run-${runs++}`, {}, { write: fakeDisk(threeLines + 10) });
    for (const n of [1, 2, 3]) writer.write(epoch(n));
    assert.throws(() => writer.write(epoch(4)), (error: unknown) => error instanceof RunWriteError && error.diskFull && /^disk full: cannot write the run's events to .*events\.jsonl \(ENOSPC\)/.test(error.message));
    writer.close();
    const text = fs.readFileSync(path.join(writer.dir, 'events.jsonl'), 'utf8');
    assert.ok(text.endsWith('\n'), 'no torn last line');
    assert.deepEqual(parseEvents(text).events.map((e) => (e as EpochEvent).epoch), [1, 2, 3]);
  });

  it('ends the file with a readable end event that says "disk full" when the space allows', () => {
    const threeLines = [1, 2, 3].reduce((sum, n) => sum + Buffer.byteLength(encodeEvent(epoch(n))), 0);
    // Room for three epochs, part of a long fourth, and (once the partial line is cut off) a short end event.
    const writer = RunWriter.create(tmp, `run-${runs++}`, {}, { write: fakeDisk(threeLines + 600) });
    const forwarded: RunEvent[] = [];
    const log = new EventLog(writer, (e) => forwarded.push(e));
    const big: EpochEvent = { ...epoch(4), notes: 'x'.repeat(1000) } as EpochEvent;
    for (const e of [epoch(1), epoch(2), epoch(3), big]) log.emit(e);
    assert.equal(log.failed, true);
    log.emit({ ...end, status: 'stopped', reason: 'stopped by request', epochs: 4 });
    log.close();
    const stored = readRun(writer.dir).events;
    assert.deepEqual(stored.errors, []);
    assert.equal(stored.truncated, false);
    assert.deepEqual(stored.events.map((e) => e.type), ['epoch', 'epoch', 'epoch', 'end']);
    const last = stored.events.at(-1) as EndEvent;
    assert.equal(last.status, 'failed');
    assert.match(last.reason!, /^disk full: cannot write the run's events .*\(ENOSPC\); every complete line written before is kept \(stopped after epoch 4\)$/);
    assert.equal((forwarded.at(-1) as EndEvent).status, 'failed', 'the parent hears the same end');
    assert.equal(forwarded.length, 5, 'every event still reaches the parent');
  });

  it('still tells the parent when not even the end event fits, and leaves no partial line', () => {
    const writer = RunWriter.create(tmp, `run-${runs++}`, {}, { write: fakeDisk(Buffer.byteLength(encodeEvent(epoch(1))) + 5) });
    const forwarded: RunEvent[] = [];
    const log = new EventLog(writer, (e) => forwarded.push(e));
    log.emit(epoch(1));
    log.emit(epoch(2));
    log.emit(end);
    log.close();
    const text = fs.readFileSync(path.join(writer.dir, 'events.jsonl'), 'utf8');
    assert.equal(text, encodeEvent(epoch(1)));
    assert.match((forwarded.at(-1) as EndEvent).reason!, /^disk full/);
  });

  it('reports ENOSPC from a real device that is always full (/dev/full)', (t) => {
    if (!fs.existsSync('/dev/full')) { t.skip('no /dev/full here'); return; }
    const dir = path.join(tmp, `run-${runs++}`);
    fs.mkdirSync(dir);
    fs.symlinkSync('/dev/full', path.join(dir, 'events.jsonl'));
    const writer = RunWriter.append(dir);
    assert.throws(() => writer.write(epoch(1)), (error: unknown) => error instanceof RunWriteError && error.diskFull);
    writer.close();
  });

  it('stops a real training run early and ends it with "disk full"', async () => {
    const { spec } = validateSpec(fs.readFileSync(runspecFixture('tiny.fitrun.json'), 'utf8'));
    spec!.training.epochs = 200;
    spec!.training.logEveryBatches = 0;
    const data = loadDataset(spec!, '.');
    const backend = await backendFor('cpu');
    const writer = RunWriter.create(tmp, `run-${runs++}`, spec, { write: fakeDisk(12_000) });
    const forwarded: RunEvent[] = [];
    const log = new EventLog(writer, (e) => forwarded.push(e));
    const result = await trainRun(spec!, data, {
      tf: backend.tf, runId: 'disk-full', backend: backend.backend, versions: {}, emit: (e) => log.emit(e), shouldStop: () => log.failed, includeSpec: false,
    });
    log.close();
    assert.equal(result.status, 'stopped', 'the loop stopped as on a stop request');
    const last = forwarded.at(-1) as EndEvent;
    assert.equal(last.status, 'failed');
    assert.match(last.reason!, /^disk full/);
    assert.ok(last.epochs < 200, `stopped early, after ${last.epochs} epochs`);
    const stored = readRun(writer.dir).events;
    assert.deepEqual(stored.errors, []);
    assert.ok(fs.readFileSync(path.join(writer.dir, 'events.jsonl'), 'utf8').endsWith('\n'));
  });
});

describe('readers and crash messages', () => {
  it('reads a torn last line as the end of the run, not as an error', () => {
    const text = encodeEvent(epoch(1)) + encodeEvent(epoch(2)) + encodeEvent(epoch(3)).slice(0, 25);
    const parsed = parseEvents(text);
    assert.deepEqual(parsed.events.map((e) => (e as EpochEvent).epoch), [1, 2]);
    assert.equal(parsed.truncated, true);
    assert.deepEqual(parsed.errors, []);
  });

  it('says "disk full" for a trainer that crashed on ENOSPC instead of echoing Node\'s last lines', () => {
    const stderr = "node:fs:929\n  handleErrorFromBinding(ctx);\n  ^\n\nError: ENOSPC: no space left on device, write\n    at Object.writeSync (node:fs:929:3)\n{\n  errno: -28,\n  code: 'ENOSPC'\n}\n\nNode.js v20.11.0\n";
    assert.equal(crashDetail(stderr), 'disk full (ENOSPC)');
    assert.equal(crashDetail('TypeError: x is not a function\n    at y (file.js:1:1)\n\nNode.js v20.11.0\n'), 'TypeError: x is not a function');
  });
});
