/** Finding runs on disk, and the origin file that lets "re-run" find the spec again. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { findRunDir, listAllRuns, readOrigin, writeOrigin } from '../../../extension/run-locate.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-runs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function makeRun(root: string, runId: string): string {
  const dir = path.join(root, '.fitcheck', 'runs', runId);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'events.jsonl'), '');
  return dir;
}

describe('run locate', () => {
  const a = path.join(tmp, 'a');
  const b = path.join(tmp, 'b');
  const runA = makeRun(a, '20260101-000000-old-0001');
  makeRun(b, '20260202-000000-new-0002');
  fs.mkdirSync(path.join(a, '.fitcheck', 'runs', 'no-events'), { recursive: true });

  it('finds a run in any root and refuses ids that escape the store', () => {
    assert.equal(findRunDir([a, b], '20260101-000000-old-0001'), runA);
    assert.equal(findRunDir([a, b], 'missing'), undefined);
    assert.equal(findRunDir([a, b], '../../a/.fitcheck/runs/20260101-000000-old-0001'), undefined);
  });

  it('lists runs of all roots, newest first, skipping folders without events', () => {
    assert.deepEqual(listAllRuns([a, b]).map((r) => r.runId), ['20260202-000000-new-0002', '20260101-000000-old-0001']);
    assert.deepEqual(listAllRuns([path.join(tmp, 'nowhere')]), []);
  });

  it('round-trips the origin and ignores a missing or relative one', () => {
    assert.equal(readOrigin(runA), undefined);
    writeOrigin(runA, { specPath: path.join(tmp, 'x.fitrun.json') });
    assert.deepEqual(readOrigin(runA), { specPath: path.join(tmp, 'x.fitrun.json') });
    fs.writeFileSync(path.join(runA, 'origin.json'), '{"specPath":"relative.fitrun.json"}');
    assert.equal(readOrigin(runA), undefined);
  });
});
