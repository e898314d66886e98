/** Regime spans, kept as epochs arrive, for the charts' shading. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegimeSpans } from '../../../webviews/panel/regime-shading.js';

describe('RegimeSpans', () => {
  it('merges consecutive epochs of one regime and starts a span when it changes', () => {
    const spans = new RegimeSpans();
    spans.add(1, 'high-bias');
    spans.add(2, 'high-bias');
    spans.add(3, undefined);
    spans.add(4, 'good-fit');
    spans.add(5, 'good-fit');
    spans.add(6, 'high-variance');
    assert.deepEqual(spans.spans, [
      { start: 1, end: 2, regime: 'high-bias' },
      { start: 3, end: 3, regime: undefined },
      { start: 4, end: 5, regime: 'good-fit' },
      { start: 6, end: 6, regime: 'high-variance' },
    ]);
    spans.clear();
    assert.deepEqual(spans.spans, []);
  });
});
