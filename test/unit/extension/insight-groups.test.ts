/** Insights folded by kind (latest first, counts) and the epochs each one is about. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupInsights, insightRange } from '../../../webviews/panel/insight-groups.js';
import type { InsightSummary } from '../../../webviews/panel/protocol.js';

const insight = (kind: string, epoch: number, severity: InsightSummary['severity'] = 'info', evidence: InsightSummary['evidence'] = {}): InsightSummary =>
  ({ kind, epoch, severity, message: `${kind} at ${epoch}`, evidence, remedies: [] });

describe('insight groups', () => {
  it('gives one group per kind with its insights latest first, most severe kinds first', () => {
    const groups = groupInsights([insight('plateau', 10), insight('overfitting-onset', 20, 'warning'), insight('plateau', 30), insight('plateau', 25), insight('exploding-gradients', 5, 'error')]);
    assert.deepEqual(groups.map((g) => [g.kind, g.items.length]), [['exploding-gradients', 1], ['overfitting-onset', 1], ['plateau', 3]]);
    assert.deepEqual(groups[2]!.items.map((i) => i.epoch), [30, 25, 10]);
    assert.equal(groups[2]!.items[0]!.message, 'plateau at 30');
  });

  it('takes a kind\'s worst severity, and the later report of two at one epoch as the latest', () => {
    const a = insight('nan', 7, 'info');
    const b = { ...insight('nan', 7, 'error'), message: 'second' };
    const [g] = groupInsights([a, b]);
    assert.equal(g!.severity, 'error');
    assert.equal(g!.items[0]!.message, 'second');
    assert.deepEqual(groupInsights([]), []);
  });

  it('spans an insight from its best epoch or the start of its window to the epoch it was raised at', () => {
    assert.deepEqual(insightRange(insight('overfitting-onset', 40, 'warning', { bestEpoch: 32 })), { from: 32, to: 40 });
    assert.deepEqual(insightRange({ ...insight('overfitting-onset', 40), bestEpoch: 30 }), { from: 30, to: 40 });
    assert.deepEqual(insightRange(insight('plateau', 50, 'info', { window: 10 })), { from: 41, to: 50 });
    assert.deepEqual(insightRange(insight('plateau', 3, 'info', { window: 10 })), { from: 0, to: 3 });
    assert.deepEqual(insightRange(insight('nan', 9, 'error', { window: 'x', bestEpoch: 99 })), { from: 9, to: 9 });
  });
});
