/** Broken TypeScript, JSX, huge, binary and non-tfjs files never throw; non-tfjs files are not even parsed. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fuzzCorpus, mutate, random } from '../../unit/fuzz-mutations.js';
import { getLinter, repoRoot } from '../../unit/helpers.js';
import { tfjsFixtures } from '../../unit/tfjs/helpers.js';

const fixtures = tfjsFixtures();
const sample = fixtures.find((f) => f.name === 'pos-webcam-frame-loop.ts')!;

describe('tfjs robustness', () => {
  it('lints every prefix of a real script without throwing', async () => {
    const linter = await getLinter();
    for (let end = 0; end <= sample.text.length; end += 5) {
      const result = linter.lintScript(sample.text.slice(0, end), {}, 'typescript');
      assert.ok(Array.isArray(result.findings));
    }
  });

  it('still finds problems after a syntax error elsewhere in the file', async () => {
    const broken = `${sample.text}\nfunction broken( { return ]; \nconst x = <div>{</span>;\n`;
    const { findings } = (await getLinter()).lintScript(broken, {}, 'typescript');
    assert.ok(findings.some((f) => f.code === 'FC601'), 'FC601 survives the syntax error');
  });

  it('parses JSX in .tsx/.jsx files and lints the tfjs code around it', async () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      "import React from 'react';",
      'const model = tf.sequential();',
      'export function Predictions({ rows }: { rows: number[][] }) {',
      '  for (const row of rows) tf.tensor2d([row]).print();',
      '  return <ul>{rows.map((r, i) => <li key={i}>{r.join(", ")}</li>)}</ul>;',
      '}',
      'export async function train(x: tf.Tensor, y: tf.Tensor) { model.fit(x, y, { validationSplit: 0.1 }); }',
    ].join('\n');
    const linter = await getLinter();
    const codes = (language: 'typescriptreact' | 'javascriptreact') => linter.lintScript(text, {}, language).findings.map((f) => `${f.code}@${f.span.start.line + 1}`);
    assert.deepEqual(codes('typescriptreact'), ['FC601@5', 'FC603@8']);
    assert.ok(Array.isArray(codes('javascriptreact')));
  });

  it('treats a TypeScript file with JSX-like casts and generics without throwing', async () => {
    const text = "import * as tf from '@tensorflow/tfjs';\nconst t = <tf.Tensor>tf.zeros([1]);\nfunction id<T>(x: T): T { return x; }\nid<number>(1);\n";
    assert.ok(Array.isArray((await getLinter()).lintScript(text, {}, 'typescript').findings));
  });

  it('returns nothing, unparsed, for files that do not import tfjs', async () => {
    const linter = await getLinter();
    for (const text of ['', 'const x = 1;\n', "import * as tf from '@tensorflow/tfjs-vis';\nmodel.fit(x, y);\n", '// @tensorflow/tfjs is mentioned in a comment\n']) {
      const result = linter.lintScript(text, {}, 'javascript');
      assert.deepEqual(result.findings, []);
    }
    assert.equal(linter.lintScript('export const big = 1;\n'.repeat(100_000), {}, 'typescript').parsed, false);
  });

  it('parses but reports nothing when tfjs is only named in a string', async () => {
    const result = (await getLinter()).lintScript("const name = '@tensorflow/tfjs';\nfor (;;) { model.fit(x); }\n", {}, 'javascript');
    assert.deepEqual(result.findings, []);
  });

  it('skips a huge tfjs file with a reason naming the limit, and a binary one', async () => {
    const linter = await getLinter();
    const huge = `import * as tf from '@tensorflow/tfjs';\n${'const x = 1;\n'.repeat(2_100_000 / 13)}`;
    assert.match(linter.lintScript(huge, {}, 'typescript').skipped ?? '', /over the 2\.0 MB limit/);
    const binary = "import * as tf from '@tensorflow/tfjs';\u0000\u0001";
    assert.match(linter.lintScript(binary, {}, 'javascript').skipped ?? '', /binary/);
  });

  it('lints a 1.5 MB tfjs file under the limit', async () => {
    const body = fixtures.filter((f) => f.group === 'FC601').map((f) => f.text.replace(/^import .*$|^const tf = require.*$/gm, '')).join('\n');
    const text = `import * as tf from '@tensorflow/tfjs';\n${`{\n${body}\n}\n`.repeat(Math.ceil(1_500_000 / body.length))}`;
    const result = (await getLinter()).lintScript(text, {}, 'typescript');
    assert.equal(result.skipped, undefined);
    assert.ok(result.findings.some((f) => f.code === 'FC601'));
  });

  it('reports pathological nesting as skipped instead of overflowing the stack', async () => {
    const linter = await getLinter();
    const deep = `import * as tf from '@tensorflow/tfjs';\nconst x = ${'['.repeat(20_000)}1${']'.repeat(20_000)};\n`;
    const result = linter.lintScript(deep, {}, 'typescript');
    assert.deepEqual(result.findings, []);
    assert.ok(result.skipped === undefined || /nested too deeply/.test(result.skipped));
    // The analyzer is still usable afterwards.
    assert.ok(linter.lintScript(sample.text, {}, 'typescript').findings.some((f) => f.code === 'FC601'));
  });

  it('analyses 5,000 mutated tfjs fixtures without an exception', async () => {
    const linter = await getLinter();
    const corpus = fixtures.map((f) => f.text);
    const next = random(20261126);
    for (let i = 0; i < 5_000; i++) {
      const { kind, text } = mutate(corpus[i % corpus.length]!, next);
      const language = i % 2 ? 'typescript' : 'javascript';
      let result;
      try {
        result = linter.lintScript(text, {}, language);
      } catch (error) {
        assert.fail(`mutant ${i} (${kind}) threw ${error instanceof Error ? error.stack : String(error)}:\n${text.slice(0, 3000)}`);
      }
      assert.ok(Array.isArray(result.findings));
    }
  });

  it('survives Python fixtures fed in as scripts', async () => {
    const linter = await getLinter();
    for (const text of fuzzCorpus(repoRoot).slice(0, 40)) {
      assert.ok(Array.isArray(linter.lintScript(`import * as tf from '@tensorflow/tfjs';\n${text}`, {}, 'javascript').findings));
    }
  });

  it('never loads ts-morph for Python and non-tfjs files (the CLI included)', () => {
    const script = [
      "import { Linter } from './out/analyzers/linter.js';",
      "import { tsMorphLoaded } from './out/analyzers/tfjs/loader.js';",
      'const linter = await Linter.create();',
      "linter.lint('import torch\\nx = torch.zeros(1)\\n');",
      "linter.lintScript('export const a = 1;\\n', {}, 'typescript');",
      "linter.lint('const a = 1;', {}, undefined, 'javascript');",
      'const before = tsMorphLoaded();',
      "linter.lintScript(\"import * as tf from '@tensorflow/tfjs';\\n\", {}, 'typescript');",
      'console.log(JSON.stringify({ before, after: tsMorphLoaded() }));',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { before: false, after: true });
    // The bundled CLI, watched by a preloaded hook that reports every module load naming ts-morph.
    const hook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-hook-')), 'hook.cjs');
    fs.writeFileSync(hook, "const M = require('node:module'); const load = M._load; M._load = function (r, ...a) { if (/ts-morph/.test(r)) process.stderr.write('LOADED ' + r + '\\n'); return load.call(this, r, ...a); };\n");
    const cliRun = (target: string) => spawnSync(process.execPath, ['-r', hook, path.join(repoRoot, 'dist', 'cli.mjs'), 'lint', target], { cwd: repoRoot, encoding: 'utf8' });
    const cli = cliRun(path.join('test', 'fixtures', 'python', 'FC101'));
    assert.doesNotMatch(cli.stderr, /LOADED/, 'the CLI did not load ts-morph for Python files');
    assert.match(cliRun(path.join('test', 'fixtures', 'tfjs', 'FC601')).stderr, /LOADED/, 'the hook sees ts-morph load for tfjs files');
  });
});
