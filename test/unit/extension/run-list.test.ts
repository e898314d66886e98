/** What the Runs view says about a run. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRun, formatStart, STATUS_ICONS, summarizeRun } from '../../../extension/run-list.js';
import { completedRun, end, epoch, start } from './events-fixture.js';

describe('run list', () => {
  it('summarizes a completed run: status, regime, best validation error, start time', () => {
    const s = summarizeRun('r', completedRun());
    assert.equal(s.status, 'completed');
    assert.equal(s.name, 'demo');
    assert.equal(s.regime, 'good-fit');
    assert.deepEqual(s.bestVal, { epoch: 4, error: 0.07 });
    assert.equal(s.startTime, '2026-01-25T15:22:33.120Z');
    assert.equal(s.epochs, 5);
    assert.equal(s.plannedEpochs, 5);
  });

  it('prefers the final diagnosis\'s regime over the last label', () => {
    const diagnosis = { state: 'decided' as const, headline: 'High variance', evidence: '', regime: 'high-variance' as const, epoch: 2, since: 2, metric: 'error' as const, epsilon: 0.1, trainError: 0.05, valError: 0.3, gap: 0.25, summary: '', remedies: [] };
    assert.equal(summarizeRun('r', [start(), epoch(1, 0.5, 0.5), end({ diagnosis })]).regime, 'high-variance');
  });

  it('tells a running run from one whose writer died', () => {
    const events = [start(), epoch(1, 0.5, 0.5)];
    assert.equal(summarizeRun('r', events, true).status, 'running');
    assert.equal(summarizeRun('r', events, false).status, 'unknown');
    assert.equal(summarizeRun('r', [...events, end({ status: 'stopped' })], true).status, 'stopped');
  });

  it('ignores non-finite validation errors for the best value, and survives an empty run', () => {
    assert.deepEqual(summarizeRun('r', [start(), epoch(1, 0.5, Number.NaN), epoch(2, 0.4, 0.6)]).bestVal, { epoch: 2, error: 0.6 });
    const empty = summarizeRun('r-only', []);
    assert.equal(empty.name, 'r-only');
    assert.equal(empty.bestVal, undefined);
  });

  it('describes a run in one line and a tooltip, with an icon per status', () => {
    const words = describeRun(summarizeRun('r', completedRun()));
    assert.equal(words.label, 'demo');
    assert.equal(words.description, 'Good fit · best val 0.07 @4 · 2026-01-25 15:22');
    assert.match(words.tooltip, /Status: completed, 5\/5 epochs/);
    assert.equal(STATUS_ICONS.failed, 'error');
    assert.equal(formatStart('not a time'), 'not a time');
  });
});
