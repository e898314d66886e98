/** The remedy table: every row teaches its cause's lesson, and no two remedies shown together contradict. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAUSE_PRIORITY, chooseRemedies, contradictions, imbalanceRatio, isImbalanced, REMEDY_TABLE, remediesBeside, type Cause } from '../../../metrics/diagnosis/remedies.js';

/** What each cause's remedies must say, in the words of the lesson. */
const LESSONS: Record<Cause, RegExp[]> = {
  'high-bias': [/more complex model/, /features/, /[Tt]rain longer|better optimizer/],
  'high-variance': [/more training data|augment/, /L2|dropout/, /[Ss]top early/],
  'high-bias-and-variance': [/bias first/, /variance/],
  'good-fit': [],
  'vanishing-gradients': [/ReLU/, /batch normalization/, /residual/, /He for ReLU|[Ii]nitiali/],
  'exploding-gradients': [/[Cc]lip gradients/, /[Ll]ower the learning rate/],
  'non-finite': [/[Ll]ower the learning rate/, /NaN/, /logits/],
  divergence: [/[Ll]ower the learning rate/, /[Cc]lip/],
  plateau: [/[Rr]aise the learning rate|adaptive optimizer/, /vanishing/],
  oscillation: [/[Ll]ower the learning rate/, /larger batch|momentum/],
  'overfitting-onset': [/[Ss]top early/, /L2|dropout/, /more training data/],
  'dying-relu': [/leaky-relu|elu/, /[Ll]ower the learning rate/],
  'class-imbalance': [/[Ww]eight the loss by class/, /balanced metric/, /[Rr]esample/],
  'unreachable-epsilon': [/[Rr]aise ε/, /noise/],
};

describe('the remedy table', () => {
  for (const [cause, lessons] of Object.entries(LESSONS) as [Cause, RegExp[]][]) {
    it(`teaches the remedies for ${cause}`, () => {
      const texts = REMEDY_TABLE[cause].map((r) => r.text);
      for (const lesson of lessons) assert.ok(texts.some((t) => lesson.test(t)), `${cause}: nothing matches ${lesson}`);
    });
  }

  it('ranks every cause, so each has a place in the root-cause order', () => {
    assert.deepEqual([...CAUSE_PRIORITY].sort(), Object.keys(REMEDY_TABLE).sort());
  });

  it('never chooses two contradicting remedies, for any pair of causes open together', () => {
    const causes = Object.keys(REMEDY_TABLE) as Cause[];
    for (const a of causes) {
      for (const b of causes) {
        const texts = chooseRemedies([a, b]).map((r) => r.text);
        assert.deepEqual(contradictions(texts), [], `${a} + ${b}`);
      }
    }
  });

  it('lets the deeper cause win: a divergence keeps "lower the learning rate" and drops a plateau\'s "raise" it', () => {
    const texts = chooseRemedies(['plateau', 'divergence']).map((r) => r.text);
    assert.ok(texts.some((t) => /Lower the learning rate/.test(t)));
    assert.ok(!texts.some((t) => /Raise the learning rate/.test(t)));
  });

  it('drops "a more complex model" when vanishing gradients or an unreachable ε explain the bias', () => {
    for (const root of ['vanishing-gradients', 'unreachable-epsilon'] as const) {
      const texts = chooseRemedies(['high-bias', root]).map((r) => r.text);
      assert.ok(!texts.some((t) => /more complex model/.test(t)), root);
      assert.equal(chooseRemedies(['high-bias', root])[0]!.cause, root);
    }
  });

  it('finds the contradiction between raising and lowering the learning rate', () => {
    const pairs = contradictions([REMEDY_TABLE.plateau[0]!.text, REMEDY_TABLE.divergence[0]!.text]);
    assert.equal(pairs.length, 1);
  });

  it('leaves out an insight\'s remedies that contradict what is already shown', () => {
    const beside = remediesBeside('plateau', [REMEDY_TABLE.oscillation[0]!.text]);
    assert.ok(!beside.some((t) => /Raise the learning rate/.test(t)));
    assert.ok(beside.some((t) => /vanishing/.test(t)));
  });
});

describe('class imbalance', () => {
  it('measures the ratio of the largest class to the smallest non-empty one', () => {
    assert.equal(imbalanceRatio([2900, 100]), 29);
    assert.equal(imbalanceRatio([5, 0, 5]), 1);
    assert.equal(imbalanceRatio([7]), 1);
  });

  it('calls 3:1 or more imbalanced', () => {
    assert.equal(isImbalanced([300, 100]), true);
    assert.equal(isImbalanced([299, 100]), false);
  });
});
