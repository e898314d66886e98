import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { BEHAVIOUR_CHANGING_FIXES } from '../../../analyzers/core/fix-safety.js';
import { fileKindOf, fixText, lintFile, lintText } from '../../../analyzers/lint-file.js';
import { RULES } from '../../../analyzers/rules/index.js';
import { fixturePath, getLinter } from '../helpers.js';

describe('lint entry point', () => {
  it('picks the front-end by file kind, the editor language id winning for scripts', () => {
    assert.deepEqual(fileKindOf('/w/train.py'), { kind: 'python' });
    assert.deepEqual(fileKindOf('file:///w/nb.ipynb'), { kind: 'notebook' });
    assert.deepEqual(fileKindOf('/w/exp.fitrun.json'), { kind: 'runspec' });
    assert.deepEqual(fileKindOf('/w/model.mjs'), { kind: 'script', language: 'javascript' });
    assert.deepEqual(fileKindOf('untitled:Untitled-1', 'typescriptreact'), { kind: 'script', language: 'typescriptreact' });
    assert.deepEqual(fileKindOf('untitled:Untitled-1', 'python'), { kind: 'python' });
  });

  it('lints a run spec with the run-spec front-end and a notebook by its cells', async () => {
    const linter = await getLinter();
    const spec = lintFile(linter, fixturePath('runspecs', 'invalid-values.fitrun.json'));
    assert.ok('findings' in spec && spec.findings.length > 0 && spec.findings.every((f) => f.code.startsWith('FC0')), 'run-spec codes only');
    const notebook = lintFile(linter, fixturePath('notebooks', 'train.ipynb'));
    assert.ok('findings' in notebook && notebook.findings.length > 0 && notebook.findings.every((f) => 'cell' in f), 'findings carry their cell');
  });

  it('reports an unreadable file instead of throwing', async () => {
    assert.ok('unreadable' in lintFile(await getLinter(), fixturePath('does-not-exist.py')));
  });

  it('flags the fixes of behaviour-changing rules unsafe', async () => {
    const text = fs.readFileSync(fixturePath('fix-all', 'safe-and-unsafe.py'), 'utf8');
    const { findings } = lintText(await getLinter(), { path: 'train.py', text });
    const fix = (code: string) => findings.find((f) => f.code === code)?.fixes[0];
    assert.equal(fix('FC301')?.unsafe, true);
    assert.equal(fix('FC504')?.unsafe, undefined);
  });

  it('fix-all applies the safe fixes and lists the behaviour-changing ones it left', async () => {
    const text = fs.readFileSync(fixturePath('fix-all', 'safe-and-unsafe.py'), 'utf8');
    const fixed = fixText(await getLinter(), text, {});
    assert.equal(fixed.count, 1);
    assert.match(fixed.text, /total \+= loss\.item\(\)/);
    assert.doesNotMatch(fixed.text, /zero_grad/);
    assert.deepEqual(fixed.skipped.map((s) => `${s.code}@${s.line}: ${s.reason}`), ['FC301@10: changes training behaviour']);
  });

  it('names only rules of the catalog as behaviour-changing', () => {
    const codes = new Set(RULES.map((r) => r.code));
    for (const code of Object.keys(BEHAVIOUR_CHANGING_FIXES)) assert.ok(codes.has(code), code);
  });
});
