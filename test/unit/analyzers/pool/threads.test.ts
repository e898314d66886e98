import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLintThreads } from '../../../../analyzers/pool/threads.js';

describe('default lint threads', () => {
  it('uses every core of a machine with cores to spare', () => {
    assert.equal(defaultLintThreads({}, 2, 0.5), 2);
    assert.equal(defaultLintThreads({}, 16, 3), 16);
  });

  it('lints on the main thread when the load average already fills the cores, or there is one core', () => {
    assert.equal(defaultLintThreads({}, 2, 2), 1);
    assert.equal(defaultLintThreads({}, 2, 11.5), 1);
    assert.equal(defaultLintThreads({}, 1, 0), 1);
  });

  it('takes FITCHECK_LINT_THREADS when it is a whole number of at least 1, whatever the load', () => {
    assert.equal(defaultLintThreads({ FITCHECK_LINT_THREADS: '3' }, 2, 11.5), 3);
    assert.equal(defaultLintThreads({ FITCHECK_LINT_THREADS: '1' }, 16, 0), 1);
  });

  it('ignores a FITCHECK_LINT_THREADS that is not a number of threads', () => {
    for (const value of ['0', '-2', '1.5', 'many', '']) assert.equal(defaultLintThreads({ FITCHECK_LINT_THREADS: value }, 4, 0), 4, value);
  });
});
