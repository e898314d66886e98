/**
 * The Python helper with real PyTorch: its own unit tests, and a tiny over-fitting run that Fitcheck
 * tails while it trains, diagnosing high variance and drawing per-layer gradient norms.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RunSeries } from '../../../extension/run-series.js';
import type { EndEvent, EpochEvent, InsightEvent, RunEvent } from '../../../metrics/diagnosis/events.js';
import { RunWatcher } from '../../../metrics/watch/watcher.js';
import { repoRoot } from '../../unit/helpers.js';

/** Debian's python3-torch for /usr/bin/python3; scripts/provision.sh installs it (CI runs it), tests never do. */
const python = '/usr/bin/python3';
const torchMissing = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 }).status === 0
  ? false
  : 'python3-torch is not installed (run scripts/provision.sh)';

describe('the Python helper with real PyTorch', { skip: torchMissing }, () => {
  it("passes its own unit tests, torch ones included (none skipped)", () => {
    const result = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'test/python', '-p', 'test_*.py', '-v'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /\nOK\s*$/);
    assert.doesNotMatch(result.stderr, /skipped/);
    assert.ok(Number(/Ran (\d+) tests/.exec(result.stderr)![1]) >= 20);
  });

  it('is tailed live while a tiny over-fitting model trains: high variance, the overfitting onset, and per-layer gradient norms', async () => {
    const logdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-torch-'));
    const epochsSeen: number[] = [];
    let events: RunEvent[] = [];
    const watcher = new RunWatcher(logdir, {
      minPollMs: 20,
      maxPollMs: 100,
      onUpdate: (u) => {
        events = u.events;
        epochsSeen.push(u.events.filter((e) => e.type === 'epoch').length);
      },
    });
    watcher.start();
    try {
      const child = spawn(python, [path.join(repoRoot, 'test', 'python', 'overfit_run.py'), logdir, '--epochs', '60', '--delay', '0.03'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, stderr);
      const deadline = Date.now() + 5000;
      while (!events.some((e) => e.type === 'end') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      watcher.close();
      fs.rmSync(logdir, { recursive: true, force: true });
    }
    // Live: the run was seen growing, not only read at the end.
    const partial = epochsSeen.filter((n) => n > 0 && n < 60);
    assert.ok(partial.length >= 3, `saw the run at ${epochsSeen.join(', ')} epochs`);
    const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
    assert.equal(epochs.length, 60);
    const end = events.find((e): e is EndEvent => e.type === 'end')!;
    assert.equal(end.status, 'completed');
    assert.equal(end.diagnosis?.regime, 'high-variance');
    assert.ok(end.diagnosis!.trainError <= 0.1 && end.diagnosis!.valError! > 0.3, end.diagnosis!.summary);
    const onset = events.find((e): e is InsightEvent => e.type === 'insight' && e.kind === 'overfitting-onset');
    assert.ok(onset, 'the overfitting onset is found');
    assert.ok(onset.bestEpoch! >= 5 && onset.bestEpoch! <= 20, `best epoch ${onset.bestEpoch}`);
    // The panel's rows carry a gradient norm per Linear layer of nn.Sequential (modules 0, 2 and 4).
    const series = RunSeries.fromEvents('r', events);
    assert.deepEqual(series.header.layers, ['0', '2', '4']);
    for (const row of series.rows) {
      for (const layer of ['0', '2', '4']) assert.ok(row.gradNorms[layer]! > 0 && Number.isFinite(row.gradNorms[layer]), `epoch ${row.epoch} layer ${layer}: ${row.gradNorms[layer]}`);
    }
    assert.equal(series.header.name, 'overfit-random-labels');
    assert.equal(series.header.backend, 'pytorch');
  });
});
