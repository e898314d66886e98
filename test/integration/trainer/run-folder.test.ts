/** Run folders are created exclusively: runs started in the same second never share a folder, even from parallel processes. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { createRunFolder, RunWriter } from '../../../metrics/store/run-store.js';

const storeModule = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../metrics/store/run-store.js')).href;

describe('run folders', () => {
  it('replaces a taken id with a new one instead of merging two runs', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-ids-'));
    const pool = ['a', 'a', 'a', 'b', 'a', 'b', 'c'];
    const made = [0, 1, 2].map(() => createRunFolder(base, 'x', { makeId: () => pool.shift()! }).runId);
    assert.deepEqual(made, ['a', 'b', 'c']);
    assert.deepEqual(fs.readdirSync(base).sort(), ['a', 'b', 'c']);
    fs.rmSync(base, { recursive: true });
  });

  it('gives up with a clear message when every id is taken', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-ids-'));
    createRunFolder(base, 'x', { makeId: () => 'same' });
    assert.throws(() => createRunFolder(base, 'x', { makeId: () => 'same', attempts: 5 }), /could not create a new run folder in .*: 5 ids in a row were taken/);
    fs.rmSync(base, { recursive: true });
  });

  it('refuses to create a run in an existing folder', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-ids-'));
    RunWriter.create(base, 'run-a', {}).close();
    assert.throws(() => RunWriter.create(base, 'run-a', {}), { code: 'EEXIST' });
    assert.throws(() => RunWriter.open(path.join(base, 'run-a'), {}), { code: 'EEXIST' });
    fs.rmSync(base, { recursive: true });
  });

  it('creates 64 distinct folders from 8 processes racing over 64 ids in the same second', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-ids-'));
    // Each process makes 8 runs drawing ids from the same 64: collisions are certain, merges must not happen.
    const script = `
      import { createRunFolder } from ${JSON.stringify(storeModule)};
      const ids = [];
      for (let i = 0; i < 8; i++) ids.push(createRunFolder(process.argv[1], 'race', { makeId: () => 'id-' + Math.floor(Math.random() * 64) }).runId);
      process.stdout.write(JSON.stringify(ids));`;
    const outputs = await Promise.all(Array.from({ length: 8 }, () => new Promise<string[]>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script, base], (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as string[])));
    })));
    const all = outputs.flat();
    assert.equal(all.length, 64);
    assert.equal(new Set(all).size, 64, 'every run got its own id');
    assert.equal(fs.readdirSync(base).length, 64);
    fs.rmSync(base, { recursive: true });
  });
});
