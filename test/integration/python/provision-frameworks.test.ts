/**
 * scripts/provision-frameworks.sh without building anything: an environment built from the same list is
 * taken as it is, and a machine without the local wheel indexes gets the reason and exit code 1 (which
 * scripts/provision.sh reports and tolerates). The real build is what CI's provisioning does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../../unit/helpers.js';

const script = path.join(repoRoot, 'scripts', 'provision-frameworks.sh');
const python3 = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();

describe('provisioning the real-framework test environment', { skip: python3 ? false : 'no python3 on PATH' }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-provision-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));
  const run = (venv: string, env: NodeJS.ProcessEnv = {}) => spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, FITCHECK_FRAMEWORKS_VENV: venv, ...env } });

  it('takes an environment built from the same package list as it is, and prints its interpreter', () => {
    const venv = path.join(work, 'built');
    fs.mkdirSync(path.join(venv, 'bin'), { recursive: true });
    fs.symlinkSync(python3, path.join(venv, 'bin', 'python'));
    const list = fs.readFileSync(path.join(repoRoot, 'scripts', 'py-frameworks.txt'));
    fs.writeFileSync(path.join(venv, '.fitcheck-ready'), `${createHash('sha256').update(list).digest('hex')}\n`);
    // Indexes that do not exist: reaching the build would fail, so success means it was not rebuilt.
    const result = run(venv, { FITCHECK_TORCH_INDEX: path.join(work, 'none'), FITCHECK_PYPI_INDEX: path.join(work, 'none') });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `FRAMEWORKS_PYTHON=${venv}/bin/python`);
  });

  it('says why and exits 1, creating nothing, where the local wheel indexes are missing', () => {
    const venv = path.join(work, 'missing', 'py-frameworks');
    const result = run(venv, { FITCHECK_TORCH_INDEX: path.join(work, 'no-index') });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /skipped: no local wheel index at .*no-index/);
    assert.equal(fs.existsSync(venv), false);
  });

  it('rebuilds an environment whose package list changed (the marker names another list)', () => {
    const venv = path.join(work, 'stale');
    fs.mkdirSync(path.join(venv, 'bin'), { recursive: true });
    fs.symlinkSync(python3, path.join(venv, 'bin', 'python'));
    fs.writeFileSync(path.join(venv, '.fitcheck-ready'), 'an older list\n');
    const result = run(venv, { FITCHECK_TORCH_INDEX: path.join(work, 'no-index') });
    assert.equal(result.status, 1, 'it went on to build, and stopped at the missing index');
    assert.match(result.stderr, /skipped: no local wheel index/);
  });
});
