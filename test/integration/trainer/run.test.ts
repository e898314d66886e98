/** startRun: the trainer in a child process, its stream, its run folder, stop and SIGKILL. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { EpochEvent, RunEvent } from '../../../metrics/diagnosis/events.js';
import { readRun } from '../../../metrics/store/run-store.js';
import { startRun } from '../../../trainer/run.js';
import { validateSpec } from '../../../trainer/spec/validate.js';
import { runspecFixture } from '../../unit/trainer/paths.js';

const load = (name: string) => validateSpec(fs.readFileSync(runspecFixture(name), 'utf8')).spec!;
const tempRuns = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-runs-'));

describe('startRun', () => {
  it('streams the events and writes the same events with the spec to the run folder', async () => {
    const runsDir = tempRuns();
    const run = startRun(load('tiny.fitrun.json'), { runsDir, baseDir: runspecFixture('.'), backend: 'wasm' });
    const streamed: RunEvent[] = [];
    for await (const event of run) streamed.push(event);
    const end = await run.done;
    assert.equal(end.status, 'completed');
    assert.equal(streamed[0]!.type, 'start');
    assert.equal(streamed.at(-1), end);
    assert.equal(run.dir, path.join(runsDir, run.runId));
    const stored = readRun(run.dir);
    assert.equal((stored.spec as { name: string }).name, 'tiny');
    assert.deepEqual(stored.events.events.map((e) => e.type), streamed.map((e) => e.type));
    assert.deepEqual(stored.events.errors, []);
    fs.rmSync(runsDir, { recursive: true });
  });

  it('ends a run cleanly with status stopped on stop()', async () => {
    const runsDir = tempRuns();
    const run = startRun(load('long.fitrun.json'), { runsDir, baseDir: runspecFixture('.'), backend: 'wasm' });
    run.on('event', (e) => { if (e.type === 'epoch' && e.epoch === 2) run.stop(); });
    const end = await run.done;
    assert.equal(end.status, 'stopped');
    assert.ok(end.epochs >= 2);
    assert.ok(end.diagnosis, 'a stopped run is still diagnosed');
    const stored = readRun(run.dir).events.events;
    assert.equal(stored.at(-1)!.type, 'end');
    fs.rmSync(runsDir, { recursive: true });
  });

  it('leaves a readable events.jsonl up to the last completed epoch when the trainer is killed with SIGKILL', async () => {
    const runsDir = tempRuns();
    const run = startRun(load('long.fitrun.json'), { runsDir, baseDir: runspecFixture('.'), backend: 'wasm' });
    run.on('event', (e) => { if (e.type === 'epoch' && e.epoch === 3) run.kill(); });
    const end = await run.done;
    assert.equal(end.status, 'failed');
    assert.match(end.reason!, /killed \(SIGKILL\)/);
    const { events, errors } = readRun(run.dir).events;
    assert.ok(errors.length <= 1, 'at most the line being written when the process died is cut');
    const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch').map((e) => e.epoch);
    assert.ok(epochs.length >= 3);
    assert.deepEqual(epochs, epochs.map((_, i) => i + 1), 'every completed epoch, in order');
    assert.equal(events.at(-1)!.type, 'end', 'the parent records how the run ended');
    fs.rmSync(runsDir, { recursive: true });
  });

  it('fails the run, not the caller, when the data cannot be loaded', async () => {
    const runsDir = tempRuns();
    const spec = load('csv-bad-rows.fitrun.json');
    const end = await startRun(spec, { runsDir, baseDir: runspecFixture('.'), backend: 'wasm' }).done;
    assert.equal(end.status, 'failed');
    assert.match(end.error!, /^data: 3 bad rows/);
    fs.rmSync(runsDir, { recursive: true });
  });
});
