/** Every quick fix offered on a fixture removes its finding when applied, and the file still parses. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits } from '../../../analyzers/core/apply-edits.js';
import { PythonParser } from '../../../analyzers/python/parser.js';
import { RULES } from '../../../analyzers/rules/index.js';
import { fixturePath, getLinter, repoRoot } from '../helpers.js';

function fixtureFiles(): string[] {
  const root = fixturePath('python');
  const files = fs.readdirSync(root).flatMap((code) => fs.readdirSync(path.join(root, code)).map((f) => path.join(root, code, f)));
  const examples = ['pytorch', 'keras'].flatMap((d) => fs.readdirSync(path.join(repoRoot, 'examples', d)).map((f) => path.join(repoRoot, 'examples', d, f)));
  return [...files, ...examples].filter((f) => f.endsWith('.py'));
}

describe('quick fixes', () => {
  const fixedCodes = new Set<string>();

  for (const file of fixtureFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    it(`each fix in ${path.relative(repoRoot, file)} removes its finding and keeps the file parseable`, async () => {
      const linter = await getLinter();
      const parser = await PythonParser.create();
      const before = linter.lint(text).findings;
      const parsedBefore = parser.parse(text);
      const hadErrors = parsedBefore.rootNode.hasError;
      parsedBefore.delete();
      for (const finding of before) {
        for (const fix of finding.fixes) {
          fixedCodes.add(finding.code);
          const fixed = applyEdits(text, fix.edits);
          assert.notEqual(fixed, text, `${finding.code} fix "${fix.title}" changes the text`);
          const after = linter.lint(fixed).findings.filter((f) => f.code === finding.code);
          const countBefore = before.filter((f) => f.code === finding.code).length;
          assert.ok(after.length < countBefore, `${finding.code} at line ${finding.span.start.line + 1} is gone after "${fix.title}":\n${fixed}`);
          const tree = parser.parse(fixed);
          if (!hadErrors) assert.equal(tree.rootNode.hasError, false, `"${fix.title}" leaves valid Python:\n${fixed}`);
          tree.delete();
        }
      }
    });
  }

  it('covers at least 12 rules with quick fixes exercised on fixtures', () => {
    const fixable = RULES.filter((r) => r.fixable).map((r) => r.code);
    assert.ok(fixable.length >= 12, `fixable rules: ${fixable.join(', ')}`);
    assert.deepEqual([...fixedCodes].sort(), [...fixedCodes].filter((c) => fixable.includes(c)).sort(), 'only rules marked fixable offer fixes');
    const exercised = fixable.filter((c) => fixedCodes.has(c));
    assert.ok(exercised.length >= 12, `fixes exercised on fixtures: ${exercised.join(', ')}`);
  });
});
