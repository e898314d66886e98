/** 10,000 mutations of the fixtures: the analyzer never throws and always returns findings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzCorpus, mutate, random } from '../fuzz-mutations.js';
import { getLinter, repoRoot } from '../helpers.js';

const MUTANTS = 10_000;

describe('fuzzing', () => {
  it(`analyses ${MUTANTS} mutated fixtures without an exception`, async () => {
    const linter = await getLinter();
    const corpus = fuzzCorpus(repoRoot);
    assert.ok(corpus.length > 50, 'the fixtures are there to mutate');
    const next = random(20261125);
    const kinds = new Map<string, number>();
    for (let i = 0; i < MUTANTS; i++) {
      const { kind, text } = mutate(corpus[i % corpus.length]!, next);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      let result;
      try {
        result = linter.lint(text);
      } catch (error) {
        assert.fail(`mutant ${i} (${kind}) threw ${String(error)}:\n${text.slice(0, 2000)}`);
      }
      assert.ok(Array.isArray(result.findings));
    }
    assert.equal(kinds.size, 7, 'every kind of mutation was tried');
  });
});
