/** Every quick fix offered on a tfjs fixture removes its finding and leaves valid TypeScript/JavaScript. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../../analyzers/core/apply-edits.js';
import { getLinter } from '../helpers.js';
import { syntaxErrors, tfjsFixtures } from './helpers.js';

describe('tfjs quick fixes', () => {
  const fixed = new Set<string>();

  for (const fixture of tfjsFixtures()) {
    it(`each fix in ${fixture.group}/${fixture.name} removes its finding and keeps the file valid`, async () => {
      const linter = await getLinter();
      const before = linter.lintScript(fixture.text, {}, fixture.language).findings;
      assert.deepEqual(syntaxErrors(fixture.text, fixture.language), [], 'the fixture itself is valid');
      for (const finding of before) {
        for (const fix of finding.fixes) {
          fixed.add(`${finding.code} ${fix.title.replace(/\(.*\)|`.*`/g, '').trim()}`);
          const text = applyEdits(fixture.text, fix.edits);
          assert.notEqual(text, fixture.text, `${finding.code} fix "${fix.title}" changes the text`);
          const count = (t: string) => linter.lintScript(t, {}, fixture.language).findings.filter((f) => f.code === finding.code).length;
          assert.ok(count(text) < count(fixture.text), `${finding.code} at line ${finding.span.start.line + 1} is gone after "${fix.title}":\n${text}`);
          assert.deepEqual(syntaxErrors(text, fixture.language), [], `"${fix.title}" leaves valid code:\n${text}`);
        }
      }
    });
  }

  it('exercises the tfjs fixes: remove the output activation, rename to ReLU, tf.tidy, await data(), await fit()', () => {
    for (const code of ['FC101', 'FC103', 'FC106', 'FC201', 'FC601', 'FC602', 'FC603']) {
      assert.ok([...fixed].some((f) => f.startsWith(code)), `a ${code} fix was applied on some fixture (${[...fixed].join(', ')})`);
    }
  });
});
