/** Every fixture under test/fixtures/tfjs/<CODE>/ yields exactly the findings its `// expect:` comments name, over all rules. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES } from '../../../analyzers/rules/index.js';
import { actualFindings, getLinter } from '../helpers.js';
import { expectedScriptFindings, tfjsFixtures } from './helpers.js';

const fixtures = tfjsFixtures();
const TFJS_ONLY = new Set(['FC601', 'FC602', 'FC603']);

describe('tfjs rule fixtures', () => {
  it('covers every rule that runs on tfjs facts, and only those', () => {
    const groups = new Set(fixtures.map((f) => f.group).filter((g) => g !== 'clean'));
    const tfjsRules = RULES.filter((r) => r.frameworks.includes('tfjs')).map((r) => r.code);
    assert.deepEqual([...groups].sort(), [...tfjsRules].sort(), 'a fixture folder per tfjs rule');
    for (const code of tfjsRules) {
      const files = fixtures.filter((f) => f.group === code);
      assert.ok(files.filter((f) => f.name.startsWith('pos-')).length >= 2, `two positive fixtures for ${code}`);
      assert.ok(files.filter((f) => f.name.startsWith('neg-')).length >= 2, `two negative fixtures for ${code}`);
    }
    for (const code of TFJS_ONLY) assert.ok(tfjsRules.includes(code), `${code} runs on tfjs facts`);
  });

  for (const fixture of fixtures) {
    const expected = expectedScriptFindings(fixture.text);
    it(`reports exactly ${expected.length ? expected.join(' ') : 'nothing'} in ${fixture.group}/${fixture.name}`, async () => {
      const linter = await getLinter();
      const result = linter.lintScript(fixture.text, {}, fixture.language);
      assert.equal(result.skipped, undefined);
      assert.deepEqual(actualFindings(result.findings), expected);
      if (fixture.name.startsWith('pos-')) assert.ok(expected.some((e) => e.startsWith(`${fixture.group}@`)), 'a positive fixture expects its own rule');
      else assert.ok(!expected.some((e) => e.startsWith(`${fixture.group}@`)), 'a negative fixture must not expect its own rule');
      if (fixture.group === 'clean') assert.deepEqual(expected, [], 'clean fixtures expect nothing');
    });
  }
});
