/** A watch in a worker thread: the same updates as in-thread, the diagnosis with them, and a watch that goes on when no worker can start. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { EpochEvent, RunEvent } from '../../../metrics/diagnosis/events.js';
import type { ReadIssue } from '../../../metrics/diagnosis/scalars.js';
import type { WatchUpdate } from '../../../metrics/watch/watcher.js';
import { WorkerRunWatcher, workerScript } from '../../../metrics/watch/worker-watcher.js';
import { appendBytes, concat, fileVersion, legacyScalar, tempFolders, writeRecords } from './event-file-builder.js';
import fs from 'node:fs';

const folder = tempFolders();
const epochsOf = (events: readonly RunEvent[] | undefined) => (events ?? []).filter((e): e is EpochEvent => e.type === 'epoch');

/** Epoch records of a PyTorch-style run with an accuracy, so the run gets a bias/variance diagnosis. */
function epochRecords(from: number, to: number): Uint8Array[] {
  const records: Uint8Array[] = [];
  for (let e = from; e <= to; e++) {
    records.push(legacyScalar('Loss/train', e, 1 / e), legacyScalar('Accuracy/train', e, 0.5 + e / 40), legacyScalar('Loss/val', e, 1 / e + 0.1), legacyScalar('Accuracy/val', e, 0.45 + e / 40));
  }
  return records;
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a watch in a worker thread', () => {
  it('finds the compiled worker script next to its module', () => {
    assert.ok(workerScript()?.endsWith(`${path.sep}watch-worker.js`));
  });

  it('reports what is there, then appended epochs only, each with the diagnosis of the analysis that set its regime', async () => {
    const root = folder();
    const file = path.join(root, 'exp', 'events.out.tfevents.1.h');
    fs.mkdirSync(path.dirname(file));
    writeRecords(file, [fileVersion(), ...epochRecords(1, 6)]);
    const updates: WatchUpdate[] = [];
    const issues: ReadIssue[] = [];
    const watcher = new WorkerRunWatcher(root, { minPollMs: 20, onUpdate: (u) => updates.push(u), onIssues: (i) => issues.push(...i) });
    try {
      watcher.start();
      await until(() => epochsOf(updates[0]?.events).length === 6, 'the first six epochs');
      assert.deepEqual(issues, [], 'no fallback to the calling thread');
      assert.equal(watcher.runs.length, 1);
      assert.ok(updates[0]!.diagnosis, 'the diagnosis comes with the update');
      assert.ok(epochsOf(updates[0]!.events).some((e) => e.regime !== undefined), 'epochs arrive with their regimes');
      appendBytes(file, concat(epochRecords(7, 8)));
      await until(() => epochsOf(watcher.events(updates[0]!.runId)).length === 8, 'epochs 7 and 8');
      const last = updates[updates.length - 1]!;
      assert.equal(last.reset, false);
      assert.ok(last.appended.every((e) => e.type !== 'start'), 'only new events cross the thread');
      assert.equal(last.diagnosis?.epoch, 8);
      assert.deepEqual(epochsOf(last.events).map((e) => e.epoch), [1, 2, 3, 4, 5, 6, 7, 8]);
    } finally {
      watcher.close();
    }
  });

  it('goes on in the calling thread, saying why, when the worker script cannot run', async () => {
    const root = folder();
    const file = path.join(root, 'events.out.tfevents.1.h');
    writeRecords(file, [fileVersion(), ...epochRecords(1, 3)]);
    const updates: WatchUpdate[] = [];
    const issues: ReadIssue[] = [];
    const watcher = new WorkerRunWatcher(root, { workerFile: path.join(root, 'no-such-worker.js'), minPollMs: 20, onUpdate: (u) => updates.push(u), onIssues: (i) => issues.push(...i) });
    try {
      watcher.start();
      await until(() => epochsOf(updates[updates.length - 1]?.events).length === 3, 'three epochs read in this thread');
      assert.match(issues[0]!.message, /watch worker .*reading in this thread instead/);
    } finally {
      watcher.close();
    }
  });
});
