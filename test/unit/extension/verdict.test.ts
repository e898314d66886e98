/** The diagnosis banner reads old and new diagnoses alike: headline, evidence line, top remedy, state. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnosis } from '../../../metrics/diagnosis/events.js';
import { readVerdict } from '../../../webviews/panel/verdict.js';

/** A diagnosis as an older version stored it in events.jsonl: no state, headline or evidence. */
const base = {
  regime: 'high-variance' as const, epoch: 120, since: 90, metric: 'error', epsilon: 0.1, trainError: 0.02, valError: 0.298, gap: 0.278,
  summary: 'High variance since epoch 90: training error 0.02 ≤ ε = 0.1 < validation error 0.298',
  remedies: ['Add more training data.', 'Regularize.', 'Stop early.'],
} as unknown as Diagnosis;

describe('diagnosis banner', () => {
  it('shows the regime title, the summary and the top remedy of a diagnosis without the newer fields', () => {
    const v = readVerdict(base)!;
    assert.equal(v.state, 'decided');
    assert.equal(v.regime, 'high-variance');
    assert.equal(v.headline, 'High variance');
    assert.equal(v.evidence, base.summary);
    assert.deepEqual(v.remedies, base.remedies);
    assert.equal(v.numbers, 'training error 0.02 · validation error 0.298 · gap 0.278 · ε 0.1 · epoch 120 (since 90)');
  });

  it('prefers the headline and evidence fields when the diagnosis has them', () => {
    const v = readVerdict({ ...base, headline: 'Overfitting since epoch 90', evidence: 'validation error 0.298 vs training 0.02', state: 'decided' } as Diagnosis)!;
    assert.equal(v.headline, 'Overfitting since epoch 90');
    assert.equal(v.evidence, 'validation error 0.298 vs training 0.02');
  });

  it('reads a diagnosis with no verdict (null regime) as a neutral no-verdict', () => {
    const v = readVerdict({ ...base, regime: null, summary: 'Too few epochs to tell.', remedies: [] } as unknown as Diagnosis)!;
    assert.equal(v.state, 'no-verdict');
    assert.equal(v.regime, null);
    assert.equal(v.headline, 'No verdict yet');
    assert.equal(v.evidence, 'Too few epochs to tell.');
    assert.deepEqual(v.remedies, []);
    assert.doesNotMatch(v.numbers, /since/);
  });

  it('keeps the state it is given: undecided and failed', () => {
    assert.equal(readVerdict({ ...base, regime: null, state: 'undecided' } as unknown as Diagnosis)!.headline, 'Not decided yet');
    const failed = readVerdict({ ...base, state: 'failed' } as unknown as Diagnosis)!;
    assert.equal(failed.state, 'failed');
    assert.match(failed.headline, /failed/);
  });

  it('survives missing and malformed fields without throwing', () => {
    assert.equal(readVerdict(null), undefined);
    assert.equal(readVerdict(undefined), undefined);
    const v = readVerdict({ regime: 'sideways', state: 'maybe', remedies: ['', 3, 'Train longer.'], headline: '  ', trainError: 'x' } as unknown as Diagnosis)!;
    assert.equal(v.state, 'no-verdict');
    assert.equal(v.regime, null);
    assert.equal(v.headline, 'No verdict yet');
    assert.equal(v.evidence, '');
    assert.deepEqual(v.remedies, ['Train longer.']);
    assert.equal(v.numbers, '');
  });

  it('names the described point by its logged step on a step axis, not by its index', () => {
    const v = readVerdict({ ...base, axis: 'step', step: 12800 } as Diagnosis)!;
    assert.equal(v.numbers, 'training error 0.02 · validation error 0.298 · gap 0.278 · ε 0.1 · step 12800');
  });
});
