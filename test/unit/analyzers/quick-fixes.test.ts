/**
 * Every quick fix offered on a fixture removes its finding when applied, the file still parses, and
 * the text after the fix is exactly its golden copy in test/fixtures/fixes/<CODE>/ (as TorchFix keeps
 * for its codemods). After a deliberate change to a fix, rewrite the copies with
 * `FITCHECK_UPDATE_GOLDEN=1 node --test out/test/unit/analyzers/quick-fixes.test.js` and review the diff.
 */
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

const goldenRoot = fixturePath('fixes');
const updateGolden = process.env.FITCHECK_UPDATE_GOLDEN === '1';

/** The golden copy's path: `<CODE>/<fixture>.<n>.py.expected`, n counting that rule's fixes in the file. */
function goldenPath(code: string, file: string, n: number): string {
  const relative = path.relative(repoRoot, file);
  const stem = relative.startsWith('examples') ? relative.replace(/\.py$/, '').split(path.sep).join('-') : path.basename(file, '.py');
  return path.join(goldenRoot, code, `${stem}.${n}.py.expected`);
}

describe('quick fixes', () => {
  const fixedCodes = new Set<string>();
  const goldenUsed = new Set<string>();

  for (const file of fixtureFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    it(`each fix in ${path.relative(repoRoot, file)} removes its finding and keeps the file parseable`, async () => {
      const linter = await getLinter();
      const parser = await PythonParser.create();
      const before = linter.lint(text).findings;
      const parsedBefore = parser.parse(text);
      const hadErrors = parsedBefore.rootNode.hasError;
      parsedBefore.delete();
      const counts = new Map<string, number>();
      for (const finding of before) {
        for (const fix of finding.fixes) {
          fixedCodes.add(finding.code);
          const fixed = applyEdits(text, fix.edits);
          const n = (counts.get(finding.code) ?? 0) + 1;
          counts.set(finding.code, n);
          const golden = goldenPath(finding.code, file, n);
          goldenUsed.add(golden);
          if (updateGolden) {
            fs.mkdirSync(path.dirname(golden), { recursive: true });
            fs.writeFileSync(golden, fixed);
          }
          assert.ok(fs.existsSync(golden), `the golden copy ${path.relative(repoRoot, golden)} of "${fix.title}" exists`);
          assert.equal(fixed, fs.readFileSync(golden, 'utf8'), `"${fix.title}" on line ${finding.span.start.line + 1} gives exactly ${path.relative(repoRoot, golden)}`);
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

  it('has no golden copy left over from a fix that is no longer offered', () => {
    const all = fs.readdirSync(goldenRoot).flatMap((code) => fs.readdirSync(path.join(goldenRoot, code)).map((f) => path.join(goldenRoot, code, f)));
    assert.ok(all.length >= 60, `${all.length} golden copies`);
    assert.deepEqual(all.filter((f) => !goldenUsed.has(f)), []);
  });

  it('covers at least 12 rules with quick fixes exercised on fixtures', () => {
    const fixable = RULES.filter((r) => r.fixable).map((r) => r.code);
    assert.ok(fixable.length >= 12, `fixable rules: ${fixable.join(', ')}`);
    assert.deepEqual([...fixedCodes].sort(), [...fixedCodes].filter((c) => fixable.includes(c)).sort(), 'only rules marked fixable offer fixes');
    const exercised = fixable.filter((c) => fixedCodes.has(c));
    assert.ok(exercised.length >= 12, `fixes exercised on fixtures: ${exercised.join(', ')}`);
  });
});
