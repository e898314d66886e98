/** Every fixture under test/fixtures/python/<CODE>/ yields exactly the findings its `# expect:` comments name. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../../analyzers/rules/index.js';
import { actualFindings, expectedFindings, fixturePath, getLinter } from '../helpers.js';

const root = fixturePath('python');

// Rules for TensorFlow.js only (FC6xx) have their fixtures under test/fixtures/tfjs (test/unit/tfjs/rule-fixtures.test.ts).
for (const rule of RULES.filter((r) => r.frameworks.includes('pytorch') || r.frameworks.includes('keras'))) {
  describe(`${rule.code} ${rule.name}`, () => {
    const dir = path.join(root, rule.code);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort() : [];

    it('has at least two positive and two negative fixtures', () => {
      assert.ok(files.filter((f) => f.startsWith('pos-')).length >= 2, `positive fixtures in ${dir}`);
      assert.ok(files.filter((f) => f.startsWith('neg-')).length >= 2, `negative fixtures in ${dir}`);
    });

    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const expected = expectedFindings(text);
      it(`reports exactly ${expected.length ? expected.join(' ') : 'nothing'} in ${file}`, async () => {
        const linter = await getLinter();
        const { findings } = linter.lint(text);
        assert.deepEqual(actualFindings(findings), expected);
        if (file.startsWith('pos-')) assert.ok(expected.some((e) => e.startsWith(`${rule.code}@`)), 'a positive fixture expects its own rule');
        else assert.ok(!expected.some((e) => e.startsWith(`${rule.code}@`)), 'a negative fixture must not expect its own rule');
      });
    }
  });
}
