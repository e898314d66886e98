/** A spec's CSV path stays inside the allowed folders, only regular files of bounded size are read, and errors never echo a file's lines. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runTrain } from '../../../cli/train-command.js';
import { isInside, readRegularFile } from '../../../trainer/data/access.js';
import { DataError } from '../../../trainer/data/csv.js';
import { loadDataset } from '../../../trainer/data/dataset.js';
import type { RunSpec } from '../../../trainer/spec/types.js';
import { validateSpec } from '../../../trainer/spec/validate.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-access-'));
const workspace = path.join(tmp, 'workspace');
const outside = path.join(tmp, 'outside');
fs.mkdirSync(path.join(workspace, 'specs'), { recursive: true });
fs.mkdirSync(outside);
const goodCsv = 'x,y\n1,2\n2,4\n3,6\n4,8\n';
fs.writeFileSync(path.join(workspace, 'data.csv'), goodCsv);
fs.writeFileSync(path.join(outside, 'secret.csv'), 'x,y\n1,2\n2,4\n');
// Looks like a password file: the first line must never reach a message.
const SHADOW = 'root:$6$Zx8salt$S3CRETHASHVALUEabcdef:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n';
fs.writeFileSync(path.join(workspace, 'shadow'), SHADOW);
fs.writeFileSync(path.join(workspace, 'id_key'), '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ,AAAAAAABAAAAMwAAAAtzc2gtZWQy\n-----END OPENSSH PRIVATE KEY-----\n');
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function csvSpec(file: string, target: string | number = 'y'): RunSpec {
  const { spec, errors } = validateSpec(JSON.stringify({
    data: { kind: 'csv', path: file, target, validationFraction: 0 },
    model: { layers: [{ type: 'dense', units: 1 }] }, loss: { type: 'mse' }, optimizer: { type: 'sgd' },
  }));
  assert.deepEqual(errors, []);
  return spec!;
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DataError, `a DataError, not ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the data to be refused');
}

describe('data paths', () => {
  const specDir = path.join(workspace, 'specs');

  it('reads a CSV inside the workspace folder, also through ../', () => {
    const data = loadDataset(csvSpec('../data.csv'), specDir, { dataRoots: [workspace] });
    assert.equal(data.train.n, 4);
  });

  it('refuses a path that climbs out of the workspace, naming the path and the allowed folders', () => {
    const message = refusal(() => loadDataset(csvSpec('../../outside/secret.csv'), specDir, { dataRoots: [workspace] }));
    assert.match(message, /the CSV file \.\.\/\.\.\/outside\/secret\.csv is outside the folders data may be read from \(allowed: .*workspace\)/);
    assert.match(message, /--allow-data-dir/);
  });

  it('refuses an absolute path to a system file without echoing any of it', () => {
    const message = refusal(() => loadDataset(csvSpec('/etc/passwd'), specDir, { dataRoots: [workspace] }));
    assert.match(message, /outside the folders/);
    assert.doesNotMatch(message, /root:/);
  });

  it('refuses a symbolic link inside the workspace that points outside it', () => {
    const link = path.join(workspace, 'link.csv');
    fs.symlinkSync(path.join(outside, 'secret.csv'), link);
    const message = refusal(() => loadDataset(csvSpec('link.csv'), workspace, { dataRoots: [workspace] }));
    assert.match(message, /outside the folders/);
  });

  it('reads from a folder the user allowed explicitly', () => {
    const data = loadDataset(csvSpec('../../outside/secret.csv'), specDir, { dataRoots: [workspace, outside] });
    assert.equal(data.train.n, 2);
  });

  it('treats a sibling folder whose name starts like the root as outside', () => {
    assert.equal(isInside('/a/workspace-evil/x.csv', '/a/workspace'), false);
    assert.equal(isInside('/a/workspace/..x.csv', '/a/workspace'), true);
    assert.equal(isInside('/a/workspace', '/a/workspace'), true);
  });
});

describe('files that are not CSV data', () => {
  it('never echoes the lines of a password file read as CSV', () => {
    const message = refusal(() => loadDataset(csvSpec('shadow'), workspace, { dataRoots: [workspace] }));
    assert.doesNotMatch(message, /root|S3CRET|daemon|\$6\$/);
    assert.match(message, /target column 'y' is not in the header; the first line of the file does not read like column names/);
  });

  it('never echoes a key file read as CSV, by name or by index', () => {
    for (const target of ['y', 0, 1]) {
      const message = refusal(() => loadDataset(csvSpec('id_key', target), workspace, { dataRoots: [workspace] }));
      assert.doesNotMatch(message, /BEGIN|OPENSSH|b3Blbn|AAAA/, message);
    }
  });

  it('refuses a named pipe at once instead of waiting for a writer', (t) => {
    const fifo = path.join(workspace, 'pipe.csv');
    try { execFileSync('mkfifo', [fifo]); } catch { t.skip('mkfifo is not available'); return; }
    const message = refusal(() => loadDataset(csvSpec('pipe.csv'), workspace, { dataRoots: [workspace] }));
    assert.match(message, /the CSV file pipe\.csv is not a regular file \(it is a named pipe\)/);
  });

  it('refuses a character device such as /dev/zero', (t) => {
    if (!fs.existsSync('/dev/zero')) { t.skip('no /dev/zero here'); return; }
    const message = refusal(() => loadDataset(csvSpec('/dev/zero'), workspace, { dataRoots: ['/dev'] }));
    assert.match(message, /is not a regular file \(it is a character device\)/);
  });

  it('refuses a directory', () => {
    const message = refusal(() => loadDataset(csvSpec('specs'), workspace, { dataRoots: [workspace] }));
    assert.match(message, /is not a regular file \(it is a directory\)/);
  });

  it('refuses a file over the size limit before reading it', () => {
    const big = path.join(workspace, 'big.csv');
    fs.writeFileSync(big, 'x'.repeat(5000));
    assert.throws(() => readRegularFile(big, 4096, 'big.csv'), /the CSV file big\.csv is 4\.9 KB, larger than the limit of 4\.0 KB/);
    assert.equal(readRegularFile(big, 5000, 'big.csv').length, 5000);
  });
});

describe('fitcheck train and data paths', () => {
  const run = async (spec: string, allowDataDirs?: string[]) => {
    let stdout = '';
    let stderr = '';
    const runsDir = path.join(tmp, 'runs');
    const code = await runTrain(spec, { json: false, backend: 'cpu', runsDir, color: false, tty: false, ...(allowDataDirs ? { allowDataDirs } : {}) }, {
      stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; },
    });
    return { code, stdout, stderr };
  };

  it('exits 2 for a spec that points at /etc/passwd, without its content', async () => {
    const spec = path.join(workspace, 'specs', 'passwd.fitrun.json');
    fs.writeFileSync(spec, JSON.stringify({ data: { kind: 'csv', path: '/etc/passwd', target: 'y' }, model: { layers: [{ type: 'dense', units: 1 }] }, loss: { type: 'mse' }, optimizer: { type: 'sgd' } }));
    const { code, stderr } = await run(spec);
    assert.equal(code, 2);
    assert.match(stderr, /data: the CSV file \/etc\/passwd is outside the folders data may be read from/);
    assert.doesNotMatch(stderr, /root:/);
  });

  it('exits 2 for a spec file that is a named pipe, at once', async (t) => {
    const fifo = path.join(workspace, 'spec-pipe.fitrun.json');
    try { execFileSync('mkfifo', [fifo]); } catch { t.skip('mkfifo is not available'); return; }
    const { code, stderr } = await run(fifo);
    assert.equal(code, 2);
    assert.match(stderr, /spec-pipe\.fitrun\.json is not a regular file \(it is a named pipe\)/);
  });
});
