/** The run store: a folder per run with spec.json and events.jsonl, readable after any kill. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { EpochEvent } from '../../../metrics/diagnosis/events.js';
import { createRunFolder, listRuns, newRunId, readRun, RunWriter, runsDir, STORE_GITIGNORE } from '../../../metrics/store/run-store.js';

const epoch = (n: number): EpochEvent => ({ type: 'epoch', epoch: n, train: { loss: 1 / n, error: 0.1 }, wallTime: n });

describe('run store', () => {
  it('makes sortable run ids from the time and the spec name', () => {
    const id = newRunId('Hours vs Score!', new Date('2026-03-04T05:06:07Z'));
    assert.match(id, /^20260304-050607-hours-vs-score-[0-9a-f]{4}$/);
  });

  it('writes spec.json and appends events, and reads them back', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-store-'));
    const writer = RunWriter.create(base, 'run-a', { name: 'a' });
    writer.write(epoch(1));
    writer.write(epoch(2));
    writer.close();
    const run = readRun(path.join(base, 'run-a'));
    assert.deepEqual(run.spec, { name: 'a' });
    assert.deepEqual(run.events.events.map((e) => (e as EpochEvent).epoch), [1, 2]);
    assert.deepEqual(listRuns(base), ['run-a']);
    fs.rmSync(base, { recursive: true });
  });

  it('appends after a line cut off by a killed writer without losing the new event', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-store-'));
    const writer = RunWriter.create(base, 'run-b', {});
    writer.write(epoch(1));
    writer.close();
    fs.appendFileSync(path.join(base, 'run-b', 'events.jsonl'), '{"type":"epoch","ep');
    const appender = RunWriter.append(path.join(base, 'run-b'));
    appender.write({ type: 'end', status: 'failed', epochs: 1, wallTime: 0, diagnosis: null });
    appender.close();
    const { events, errors } = readRun(path.join(base, 'run-b')).events;
    assert.deepEqual(events.map((e) => e.type), ['epoch', 'end']);
    assert.deepEqual(errors.map((e) => e.line), [2]);
    fs.rmSync(base, { recursive: true });
  });

  it('lists runs newest first and ignores folders without events', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-store-'));
    RunWriter.create(base, '20260101-000000-a-0000', {}).close();
    RunWriter.create(base, '20260102-000000-b-0000', {}).close();
    fs.mkdirSync(path.join(base, 'stray'));
    assert.deepEqual(listRuns(base), ['20260102-000000-b-0000', '20260101-000000-a-0000']);
    assert.deepEqual(listRuns(path.join(base, 'missing')), []);
    fs.rmSync(base, { recursive: true });
  });

  it('puts the store under .fitcheck/runs', () => {
    assert.equal(runsDir('/w'), path.join('/w', '.fitcheck', 'runs'));
  });
});

describe('the .fitcheck folder', () => {
  it('gets a .gitignore that ignores everything in it when Fitcheck creates it', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-store-'));
    try {
      createRunFolder(runsDir(root), 'first');
      assert.equal(fs.readFileSync(path.join(root, '.fitcheck', '.gitignore'), 'utf8'), STORE_GITIGNORE);
      assert.match(STORE_GITIGNORE, /^\*$/m);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('adds nothing to a .fitcheck folder that was there before', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-store-'));
    try {
      fs.mkdirSync(path.join(root, '.fitcheck'));
      RunWriter.create(runsDir(root), 'a', {}).close();
      assert.equal(fs.existsSync(path.join(root, '.fitcheck', '.gitignore')), false);
      createRunFolder(runsDir(root), 'second');
      assert.equal(fs.existsSync(path.join(root, '.fitcheck', '.gitignore')), false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
