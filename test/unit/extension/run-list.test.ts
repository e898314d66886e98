/** What the Runs view says about a run. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRun, formatAgo, formatLocal, realTime, STATUS_ICONS, summarizeRun } from '../../../extension/run-list.js';
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
    const now = Date.parse('2026-01-25T18:30:00Z');
    const words = describeRun(summarizeRun('r', completedRun()), now);
    assert.equal(words.label, 'demo');
    assert.equal(words.description, 'Good fit · best val 0.07 @4 · 3 h ago');
    assert.match(words.tooltip, /Status: completed, 5\/5 epochs/);
    assert.match(words.tooltip, /Started: 2026-01-25 \d\d:\d\d:33 UTC[+-]\d\d:\d\d/);
    assert.equal(STATUS_ICONS.failed, 'error');
  });

  it('shows no start time for a log without real times (TensorBoard events at wall time 0 read as 1970)', () => {
    const s = summarizeRun('tf1', [start({ time: new Date(0).toISOString() }), epoch(1, 0.5, 0.5)]);
    assert.equal(s.startTime, undefined);
    const words = describeRun(s, Date.parse('2026-01-25T18:30:00Z'));
    assert.doesNotMatch(words.description, /1970|ago/);
    assert.doesNotMatch(words.tooltip, /Started|1970/);
    assert.equal(summarizeRun('bad', [start({ time: 'not a time' })]).startTime, undefined);
    assert.equal(realTime('1999-12-31T23:59:59Z'), undefined);
    assert.equal(realTime('2026-01-25T15:22:33.120Z'), Date.parse('2026-01-25T15:22:33.120Z'));
  });

  it('says how long ago a run started, and the exact local time with its offset', () => {
    const start = Date.parse('2026-01-25T15:22:33Z');
    assert.equal(formatAgo(start, start + 20_000), 'just now');
    assert.equal(formatAgo(start, start + 5 * 60_000), '5 min ago');
    assert.equal(formatAgo(start, start + 3 * 3600_000 + 59 * 60_000), '3 h ago');
    assert.equal(formatAgo(start, start + 2 * 86400_000), '2 d ago');
    assert.match(formatAgo(start, start + 60 * 86400_000), /^2026-01-2\d$/);
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Kolkata';
      assert.equal(formatLocal(start), '2026-01-25 20:52:33 UTC+05:30');
      process.env.TZ = 'UTC';
      assert.equal(formatLocal(start), '2026-01-25 15:22:33 UTC+00:00');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});
