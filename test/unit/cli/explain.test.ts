/** `fitcheck explain`: a rule's page by code or name, a suggestion for typos, and finding the docs folder. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { RULES } from '../../../analyzers/rules/index.js';
import { defaultDocsDir, explain } from '../../../cli/explain-command.js';
import { repoRoot } from '../helpers.js';

const docsDir = path.join(repoRoot, 'docs', 'rules');

function run(codeOrName: string, dir = docsDir) {
  const out = { stdout: '', stderr: '' };
  const code = explain(codeOrName, dir, { stdout: (s) => { out.stdout += s; }, stderr: (s) => { out.stderr += s; } });
  return { code, ...out };
}

describe('fitcheck explain', () => {
  it('prints the rule page for a code, a lower-case code or a name, and exits 0', () => {
    const page = fs.readFileSync(path.join(docsDir, 'FC301.md'), 'utf8');
    for (const query of ['FC301', 'fc301', 'missing-zero-grad', ' FC301 ']) {
      const result = run(query);
      assert.equal(result.code, 0, query);
      assert.equal(result.stdout, page, query);
      assert.equal(result.stderr, '', query);
    }
  });

  it('has a page for every rule in the catalog', () => {
    for (const rule of RULES) {
      const result = run(rule.name);
      assert.equal(result.code, 0, rule.code);
      assert.match(result.stdout, new RegExp(`^# ${rule.code} ${rule.name}\\n`));
    }
  });

  it('suggests the closest code or name for a typo and exits 2', () => {
    const typo = run('missing-zerograd');
    assert.equal(typo.code, 2);
    assert.equal(typo.stdout, '');
    assert.equal(typo.stderr, 'fitcheck: no rule is called "missing-zerograd"; did you mean FC301 (missing-zero-grad)? Run `fitcheck rules` for the list.\n');
    assert.match(run('FC3O1').stderr, /did you mean FC301 \(missing-zero-grad\)\?/);
    assert.match(run('fc 301').stderr, /did you mean FC301 \(missing-zero-grad\)\?/);
    assert.match(run('double-softmx').stderr, /did you mean FC101 \(double-softmax\)\?/);
    assert.match(run('dropout-rate').stderr, /did you mean FC401 \(dropout-rate-extreme\)\?/);
  });

  it('says only that the rule is unknown when nothing is close', () => {
    const result = run('E501');
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'fitcheck: no rule is called "E501". Run `fitcheck rules` for the list.\n');
  });

  it('exits 2 and names the path when the page cannot be read', () => {
    const result = run('FC101', path.join(os.tmpdir(), 'fitcheck-no-docs-here'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read the page for FC101 at .*fitcheck-no-docs-here.FC101\.md: no such file/);
  });
});

describe('defaultDocsDir', () => {
  it('finds docs/rules beside the bundle (dist/cli.mjs) and above the compiled sources (out/cli/main.js)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-docs-'));
    fs.mkdirSync(path.join(root, 'docs', 'rules'), { recursive: true });
    const bundle = pathToFileURL(path.join(root, 'dist', 'cli.mjs')).href;
    const compiled = pathToFileURL(path.join(root, 'out', 'cli', 'main.js')).href;
    assert.equal(defaultDocsDir(bundle), path.join(root, 'docs', 'rules'));
    assert.equal(defaultDocsDir(compiled), path.join(root, 'docs', 'rules'));
    fs.rmSync(root, { recursive: true });
  });

  it('finds the repository pages from the compiled test run', () => {
    const compiledCli = pathToFileURL(path.join(repoRoot, 'out', 'cli', 'main.js')).href;
    assert.equal(defaultDocsDir(compiledCli), docsDir);
  });
});
