import type { Rule, RuleHit } from './rule.js';

/** `model.fit()` returns a promise; training runs after the code that follows it. */
export const fitWithoutAwait: Rule = {
  code: 'FC603',
  name: 'fit-without-await',
  severity: 'warning',
  summary: 'A model.fit()/fitDataset() promise is not awaited or handled.',
  frameworks: ['tfjs'],
  fixable: true,
  lesson: "In TensorFlow.js `model.fit()` is asynchronous: it returns a promise at once and trains in the background. Code after an un-awaited fit evaluates, saves or predicts with an untrained model, a second fit() fails with \"Cannot start training because another fit() call is ongoing\", and errors thrown during training are lost. Write `await model.fit(...)` (or handle the promise with `.then()`).",
  check(facts) {
    return (facts.unawaitedFits ?? []).map((fit): RuleHit => ({
      span: fit.span,
      message: `${fit.method}() returns a promise that nothing awaits, so ${fit.inLoop ? 'the next iteration starts a second fit(), which fails' : 'the code after it uses an untrained model'}.`,
      fixes: fit.awaitFix ? [{ title: `Await ${fit.method}()`, edits: [fit.awaitFix] }] : [],
    }));
  },
};
