/**
 * 3,000 mutations of the fixtures: the analyzer never throws and always returns findings; and an
 * open document that goes through mutants one after another (as an editor's would), or has
 * statements typed into it one keystroke at a time, never throws and agrees with a one-shot lint.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzCorpus, mutate, random } from '../../unit/fuzz-mutations.js';
import { getLinter, repoRoot } from '../../unit/helpers.js';

// The 30,000-mutant run, notebooks, run specs and pyproject files included, is in test/adversarial (npm run test:adversarial).
const MUTANTS = 3_000;

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

  it('keeps an open document exact through 2,000 mutants in a row, each checked against a one-shot lint', async () => {
    const linter = await getLinter();
    const corpus = fuzzCorpus(repoRoot);
    const next = random(4242);
    const document = linter.openDocument();
    let previous = '';
    try {
      for (let i = 0; i < 2_000; i++) {
        // Mutating the previous mutant gives edits of every size, from one character to the whole file;
        // every 50th starts again from a fixture.
        const { kind, text } = mutate(i % 50 === 0 ? corpus[i % corpus.length]! : previous, next);
        previous = text;
        let result;
        try {
          result = linter.lint(text, {}, document);
        } catch (error) {
          assert.fail(`mutant ${i} (${kind}) threw in a document: ${String(error)}:\n${text.slice(0, 2000)}`);
        }
        assert.deepEqual(result, linter.lint(text), `mutant ${i} (${kind}) differs from a one-shot lint`);
      }
    } finally {
      document.dispose();
    }
  });
  it('keeps an open document exact while statements are typed into the fixtures one keystroke at a time', async () => {
    const linter = await getLinter();
    const corpus = fuzzCorpus(repoRoot);
    const next = random(1207);
    // Half-typed, each leaves a syntax error for a while: an open call, a block header, a class, a string.
    const typed = ['x_new = model(torch.cat([a, b], dim=1))', 'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)', 'for q in loader:', 'def inner(y):', 'class Extra(nn.Module):', 's = """doc'];
    let versions = 0;
    for (let i = 0; i < 120; i++) {
      let text = corpus[Math.floor(next() * corpus.length)]!;
      const document = linter.openDocument();
      try {
        linter.lint(text, {}, document);
        for (let burst = 0; burst < 2; burst++) {
          const lines = text.split('\n');
          const row = Math.floor(next() * lines.length);
          const at = lines.slice(0, row + 1).join('\n').length;
          const indent = /^\s*/.exec(lines[row]!)![0];
          const statement = `\n${indent}${typed[Math.floor(next() * typed.length)]!}`;
          const base = text;
          for (let k = 1; k <= statement.length; k++) {
            text = base.slice(0, at) + statement.slice(0, k) + base.slice(at);
            versions++;
            assert.deepEqual(linter.lint(text, {}, document), linter.lint(text), `typing ${JSON.stringify(statement.slice(0, k))} after line ${row + 1}:\n${text}`);
          }
        }
      } finally {
        document.dispose();
      }
    }
    assert.ok(versions > 5_000, `${versions} versions compared`);
  });
});
