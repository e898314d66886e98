/** `fitcheck train` as cli/main.ts calls it: progress, the diagnosis in words, JSON events, exit codes. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runTrain, type TrainOptions } from '../../../cli/train-command.js';
import { decodeEvent } from '../../../metrics/diagnosis/codec.js';
import { repoRoot, runspecFixture } from '../../unit/trainer/paths.js';

async function train(file: string, options: Partial<TrainOptions> = {}) {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-cli-runs-'));
  let stdout = '';
  let stderr = '';
  const code = await runTrain(file, { json: false, backend: 'wasm', runsDir, color: false, tty: false, ...options }, {
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
  });
  fs.rmSync(runsDir, { recursive: true });
  return { code, stdout, stderr };
}

describe('fitcheck train', () => {
  it('prints plain progress lines and the diagnosis in words, and exits 0', async () => {
    const { code, stdout } = await train(runspecFixture('tiny.fitrun.json'));
    assert.equal(code, 0);
    assert.match(stdout, /^Training tiny on wasm \(8 epochs, 90 training \/ 30 validation examples, ε = 0\.2\)\n/);
    assert.match(stdout, /\nepoch 1\/8 {2}loss \d\.\d{4} {2}error [\d.]+ {2}val loss/);
    assert.match(stdout, /\nCompleted 8 epochs\.\n/);
    assert.match(stdout, /\nDiagnosis at epoch 8: (Good fit|High bias|High variance|Not yet decided)/);
    assert.match(stdout, /\nRun stored in .*tiny-[0-9a-f]{4}\n$/);
  });

  it('redraws one progress bar on a terminal', async () => {
    const { stdout } = await train(runspecFixture('tiny.fitrun.json'), { tty: true, columns: 100 });
    // eslint-disable-next-line no-control-regex -- the progress bar's ANSI escapes are what this checks
    assert.match(stdout, /\r\u001b\[2K█+░* 8\/8/);
    assert.doesNotMatch(stdout, /\nepoch 1\/8/);
  });

  it('prints the metric events as NDJSON with --json', async () => {
    const { code, stdout } = await train(runspecFixture('tiny.fitrun.json'), { json: true });
    assert.equal(code, 0);
    const events = stdout.trimEnd().split('\n').map((line) => decodeEvent(line)!);
    assert.equal(events[0]!.type, 'start');
    assert.equal(events.at(-1)!.type, 'end');
    assert.ok(events.some((e) => e.type === 'epoch') && events.some((e) => e.type === 'batch'));
  });

  it('says how an example compares with what it expects', async () => {
    const { code, stdout } = await train(path.join(repoRoot, 'examples', 'runs', 'hours-straight-line.fitrun.json'));
    assert.equal(code, 0);
    assert.match(stdout, /High bias since epoch 1: training error 0\.\d+ ± [\d.]+ > ε = 0\.1/);
    assert.match(stdout, /What to do:\n {2}- Use a more complex model/);
    assert.match(stdout, /As expected by the spec\./);
  });

  it('exits 2 on an invalid spec with file:line:column errors and no stack trace', async () => {
    const { code, stdout, stderr } = await train(runspecFixture('invalid-values.fitrun.json'));
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /invalid-values\.fitrun\.json:5:\d+: error unknown activation 'sigmod' \(did you mean 'sigmoid'\?\)/);
    assert.match(stderr, /invalid-values\.fitrun\.json:7:\d+: error model\.layers\[2\]\.rate must be between 0 and 1/);
    assert.match(stderr, /is not a valid run spec \(3 errors\); see docs\/runspec\.md/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });

  it('exits 2 for a missing file and for bad CSV rows, naming the lines', async () => {
    const missing = await train('no/such.fitrun.json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read no\/such\.fitrun\.json: no such file or directory/);
    const bad = await train(runspecFixture('csv-bad-rows.fitrun.json'));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /data: 3 bad rows in the CSV file \(line 7: .*; line 8: .*; line 9: expected 4 fields, found 3\)/);
    const classes = await train(runspecFixture('csv-wrong-classes.fitrun.json'));
    assert.equal(classes.code, 2);
    assert.match(classes.stderr, /the output layer has 2 units, but the target has 3 classes \(setosa, versicolor, virginica\)/);
  });

  it('trains from a CSV file, skipping bad rows when the spec says so', async () => {
    const skip = await train(runspecFixture('csv-skip-bad-rows.fitrun.json'));
    assert.equal(skip.code, 0);
    assert.match(skip.stdout, /note: skipped 3 bad CSV rows \(lines 7, 8, 9\)/);
    assert.equal((await train(runspecFixture('csv-classes.fitrun.json'))).code, 0);
  });

  it('exits 1 when the run fails', async () => {
    const { code, stdout } = await train(runspecFixture('diverges.fitrun.json'));
    assert.equal(code, 1);
    assert.match(stdout, /\[non-finite\] epoch 1: Non-finite values/);
    assert.match(stdout, /Failed after 0 epochs/);
  });
});
