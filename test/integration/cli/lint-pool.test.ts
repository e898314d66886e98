/** `fitcheck lint <folder>` on worker threads: the same report as a serial run, and no hang when a worker dies. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { POOL_MIN_FILES } from '../../../cli/lint-command.js';
import { collectFiles } from '../../../cli/files.js';
import { fixturePath, repoRoot } from '../../unit/helpers.js';

const cli = path.join(repoRoot, 'dist', 'cli.mjs');
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, ...env }, timeout: 120_000 });
// Every kind of file: Python projects, notebooks, TensorFlow.js scripts, run specs, pyproject.toml problems.
const folder = path.relative(repoRoot, fixturePath());

describe('fitcheck lint on worker threads', () => {
  it('lints a folder large enough for the pool', () => {
    assert.ok(collectFiles([folder]).files.length >= POOL_MIN_FILES, `the fixture folder holds at least ${POOL_MIN_FILES} files`);
  });

  for (const format of ['json', 'sarif', 'text']) {
    it(`prints the same ${format} report, messages and exit code with 2 threads as on the main thread`, () => {
      const serial = run(['lint', folder, '--format', format, '--threads', '1']);
      const pooled = run(['lint', folder, '--format', format, '--threads', '2']);
      assert.ok(serial.stdout.length > 1000, 'the serial run reports findings');
      assert.equal(pooled.stdout, serial.stdout);
      assert.equal(pooled.stderr, serial.stderr);
      assert.equal(pooled.status, serial.status);
    });
  }

  it('ends the workers it started early when too few files turn out to need them, and exits', () => {
    // Workers start while the files are read; scripts that never import TensorFlow.js are no pool tasks.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-pool-unused-'));
    for (let i = 0; i < POOL_MIN_FILES + 6; i++) fs.writeFileSync(path.join(dir, `util${i}.js`), `export const answer${i} = ${i};\n`);
    try {
      const result = run(['lint', dir, '--format', 'json', '--threads', '2']);
      assert.equal(result.error, undefined, 'the CLI exited (no worker kept it alive)');
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), []);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('reports a file whose worker died as not linted, lints the others, and exits', () => {
    const victim = 'FC101/pos-sequential-softmax-crossentropy.py';
    const serial = JSON.parse(run(['lint', folder, '--format', 'json', '--threads', '1']).stdout) as { file: string }[];
    const crashed = run(['lint', folder, '--format', 'json', '--threads', '2'], { FITCHECK_TEST_CRASH_LINT_WORKER_ON: victim });
    assert.equal(crashed.error, undefined, 'the CLI finished (no timeout)');
    assert.equal(crashed.status, 2, 'a file that could not be linted makes the exit code 2');
    assert.match(crashed.stderr, new RegExp(`cannot lint .*${victim.replace(/[./]/g, '\\$&')}: the lint worker stopped \\(exit code 70\\) while linting this file`));
    assert.equal(crashed.stderr.match(/cannot lint /g)?.length, 1, `only the file whose worker died is not linted:\n${crashed.stderr}`);
    const findings = JSON.parse(crashed.stdout) as { file: string }[];
    assert.ok(!findings.some((f) => f.file.endsWith(victim)), 'no findings for the file that was not linted');
    // The victim is a project module: modules linked with it still see it, so the others' findings stand.
    assert.deepEqual(findings, serial.filter((f) => !f.file.endsWith(victim)));
  });
});
