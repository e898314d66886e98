/** The bundled `fitcheck lint` on TypeScript/JavaScript: tfjs files linted, others skipped cheaply, fixes written. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixturePath, repoRoot } from '../../unit/helpers.js';
import { expectedScriptFindings, tfjsFixtures } from '../../unit/tfjs/helpers.js';

const cli = path.join(repoRoot, 'dist', 'cli.mjs');
const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd });

interface JsonFinding { file: string; line: number; code: string; severity: string }

describe('fitcheck lint on tfjs files', () => {
  it('reports exactly the annotated codes and lines of a fixture folder, in JSON', () => {
    const folder = fixturePath('tfjs', 'FC601');
    const result = run(repoRoot, 'lint', path.relative(repoRoot, folder), '--format', 'json');
    assert.equal(result.status, 0, `warnings only: ${result.stderr}`);
    const findings = JSON.parse(result.stdout) as JsonFinding[];
    const actual = findings.map((f) => `${path.basename(f.file)}:${f.code}@${f.line}`).sort();
    const expected = tfjsFixtures().filter((f) => f.group === 'FC601')
      .flatMap((f) => expectedScriptFindings(f.text).map((e) => `${f.name}:${e}`)).sort();
    assert.deepEqual(actual, expected);
  });

  it('searches .ts/.tsx/.js/.jsx/.mjs/.cjs in folders, skipping node_modules, declarations and non-tfjs files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-tfjs-'));
    const leak = "import * as tf from '@tensorflow/tfjs';\nexport function f(rows) {\n  for (const r of rows) tf.tensor1d(r).print();\n}\n";
    for (const ext of ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs']) fs.writeFileSync(path.join(dir, `leak.${ext}`), leak);
    fs.writeFileSync(path.join(dir, 'types.d.ts'), leak);
    fs.writeFileSync(path.join(dir, 'plain.js'), 'for (const r of rows) console.log(r);\n');
    fs.mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'pkg', 'index.js'), leak);
    const result = run(dir, 'lint', '.', '--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    const files = (JSON.parse(result.stdout) as JsonFinding[]).map((f) => `${f.file}:${f.code}@${f.line}`).sort();
    assert.deepEqual(files, ['leak.cjs', 'leak.js', 'leak.jsx', 'leak.mjs', 'leak.ts', 'leak.tsx'].map((f) => `${f}:FC601@3`));
    const text = run(dir, 'lint', '.');
    assert.match(text.stdout, /leak\.ts:3:\d+: FC601 warning/);
    assert.doesNotMatch(text.stdout, /node_modules|plain\.js|types\.d\.ts/);
    fs.rmSync(dir, { recursive: true });
  });

  it('exits 1 on an error-level tfjs finding (FC101)', () => {
    const file = path.relative(repoRoot, fixturePath('tfjs', 'FC101', 'pos-dense-softmax-softmax-cross-entropy.ts'));
    const result = run(repoRoot, 'lint', file);
    assert.equal(result.status, 1);
    assert.match(result.stdout, new RegExp(`${file.replace(/[.]/g, '\\.')}:7:\\d+: FC101 error`));
  });

  it('applies the tfjs quick fixes with --fix and reports what is left', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-tfjs-fix-'));
    const file = path.join(dir, 'train.ts');
    fs.copyFileSync(fixturePath('tfjs', 'FC601', 'pos-loop-body-fix.ts'), file);
    const result = run(dir, 'lint', 'train.ts', '--fix', '--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /fixed 1 problem in train\.ts/);
    assert.deepEqual(JSON.parse(result.stdout), []);
    assert.match(fs.readFileSync(file, 'utf8'), /^ {4}tf\.tidy\(\(\) => \{$/m);
    fs.rmSync(dir, { recursive: true });
  });
});
