/**
 * The extension's bundle loads its heavy parts (the trainer's side, the in-thread run reader, the live
 * run analysis, the run panel's webview side) from
 * bundles of their own on first use: each must be built next to it and shipped in the VSIX, and the
 * activation bundle must not carry them. `npm test` builds dist/ first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const dist = path.join(repoRoot, 'dist');
const bundle = path.join(dist, 'extension.cjs');
const shipped = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!'))
  .map((l) => new RegExp(`^${l.slice(1).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));

describe('lazy extension bundles', { skip: fs.existsSync(bundle) ? false : 'dist/extension.cjs is not built (run node esbuild.mjs)' }, () => {
  const text = fs.existsSync(bundle) ? fs.readFileSync(bundle, 'utf8') : '';
  const lazy = [...new Set([...text.matchAll(/require\("\.\/([\w-]+\.cjs)"\)/g)].map((m) => m[1]!))];

  it('are required by the extension bundle: the trainer side, the in-thread run reader, the run analysis and the run panel', () => {
    assert.deepEqual(lazy.sort(), ['run-analysis.cjs', 'run-panel.cjs', 'training-deps.cjs', 'watcher.cjs']);
  });

  it('load on first use through their loaders, giving the module the source exports', async () => {
    const { createRequire } = await import('node:module');
    const required = createRequire(bundle);
    assert.equal(typeof (required('./run-analysis.cjs') as { RunAnalyzer?: unknown }).RunAnalyzer, 'function');
    assert.ok(/function \w+\(\)\s*\{\s*return \w+\s*\?\?=\s*require\("\.\/run-analysis\.cjs"\);?\s*\}/.test(text), 'the loader requires the bundle once and keeps it');
    assert.ok(!text.includes('overfitting'), 'the analysis and its remedies are not in extension.cjs');
  });

  it('are built next to extension.cjs and listed in the VSIX allowlist', () => {
    for (const file of lazy) {
      assert.ok(fs.existsSync(path.join(dist, file)), `dist/${file} is built`);
      assert.ok(shipped.some((re) => re.test(`dist/${file}`)), `dist/${file} is in the .vscodeignore allowlist`);
    }
  });

  it('share one copy of the vscode API instead of copying its names into each module that imports it', () => {
    assert.equal([...text.matchAll(/__toESM\(require\("vscode"\)/g)].length, 0, 'no module wraps require("vscode") in its own namespace copy');
    assert.equal([...text.matchAll(/__reExport\(\w+, require\("vscode"\)\)/g)].length, 1, 'one module re-exports vscode for all of them');
  });

  it('leave the run-spec validator and protobufjs out of the activation bundle', () => {
    assert.ok(fs.readFileSync(path.join(dist, 'training-deps.cjs'), 'utf8').includes('fitrun'), 'the validator is in the lazy bundle');
    assert.ok(!/fitrun\.schema|must have required property/.test(text), 'the validator is not in extension.cjs');
    assert.ok(!/protobufjs|util\.Long/.test(text), 'protobufjs is not in extension.cjs');
  });
});
