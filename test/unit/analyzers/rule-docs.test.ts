/** Every rule's page says what the code does: its name, frameworks, severity and whether it has a fix. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../../analyzers/rules/index.js';
import { repoRoot } from '../helpers.js';

const NAMES: Record<string, string> = { pytorch: 'PyTorch', keras: 'Keras', tfjs: 'TensorFlow.js', runspec: 'run specs' };

describe('rule pages', () => {
  for (const rule of RULES) {
    it(`docs/rules/${rule.code}.md matches the ${rule.name} rule`, () => {
      const page = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', `${rule.code}.md`), 'utf8');
      assert.match(page, new RegExp(`^# ${rule.code} ${rule.name}\\n`));
      const header = /^> Severity: (.*)$/m.exec(page)?.[1] ?? '';
      assert.match(header, new RegExp(`\\*\\*${rule.severity}\\*\\*`), 'default severity');
      assert.match(header, new RegExp(`Frameworks: ${rule.frameworks.map((f) => NAMES[f]).join(', ')} ·`), 'frameworks');
      const fix = /Quick fix: (.*)$/.exec(header)?.[1] ?? '';
      assert.equal(!/^(none|planned)/i.test(fix), rule.fixable, `quick fix line "${fix}"`);
      const index = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', 'README.md'), 'utf8');
      assert.ok(index.includes(`[${rule.code}](${rule.code}.md)`), 'listed in docs/rules/README.md');
    });
  }
});
