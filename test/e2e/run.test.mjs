// End-to-end test of Fitcheck in a real VS Code: code-server 4.100.3 (VS Code 1.100) in headless
// Debian chromium, driven by playwright-core. Run with:
//
//   node --test test/e2e/            (or: node --test test/e2e/run.test.mjs)
//
// Env:
//   FITCHECK_E2E_VSIX=path   use this .vsix instead of building one with `npm run package`
//   FITCHECK_E2E_KEEP=1      keep the temp user-data / workspace folders for inspection
//   FITCHECK_E2E_CACHE=dir   where provision.sh keeps code-server (default ~/.cache/fitcheck-e2e)
// Screenshots and code-server's log land in test/e2e/artifacts/.

import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS_DIR, E2E_DIR, REPO_ROOT, copyFixture, provision, removeFixture, startEditor } from './harness.mjs';

const FIXTURE = join(E2E_DIR, 'workspace');
const FILE = 'train_bad.py';
// What Fitcheck must report on the fixture (1-based lines, as the Problems panel shows them).
const EXPECTED = [
  { code: 'FC101', line: 8, severity: 'error' }, //  nn.Softmax(dim=1) feeding nn.CrossEntropyLoss
  { code: 'FC301', line: 16, severity: 'error' }, // loss.backward() in a loop without zero_grad()
];
const PROBLEMS_TIMEOUT_MS = 90_000; // language server start + parser load on a cold 2-core machine

/** Builds the extension with `npm run package` and returns the path of fitcheck-<version>.vsix. */
function buildVsix() {
  if (process.env.FITCHECK_E2E_VSIX) {
    const vsix = process.env.FITCHECK_E2E_VSIX;
    if (!existsSync(vsix)) throw new Error(`FITCHECK_E2E_VSIX=${vsix} does not exist`);
    return vsix;
  }
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  if (!pkg.scripts?.package) {
    throw new Error('package.json has no "package" script: the e2e test builds the extension with '
      + '`npm run package` (expected to write fitcheck-<version>.vsix to the repo root). '
      + 'Add the script, or point FITCHECK_E2E_VSIX at a .vsix.');
  }
  const vsix = join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
  rmSync(vsix, { force: true });
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', 'package'], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: 10 * 60_000, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`\`npm run package\` failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${out}`);
  }
  if (!existsSync(vsix)) {
    const found = readdirSync(REPO_ROOT).filter((f) => f.endsWith('.vsix'));
    throw new Error(`\`npm run package\` succeeded but ${vsix} is missing (found: ${found.join(', ') || 'no .vsix'})`);
  }
  console.error(`[e2e] built ${vsix} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return vsix;
}

function clearArtifacts() {
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
}

describe('Fitcheck in a real VS Code (code-server 4.100.3, headless chromium)', { timeout: 20 * 60_000 }, () => {
  let editor;
  let workspace;
  let fc101; // the FC101 row found in the Problems panel, reused by the hover step

  /** Runs a step; on failure saves a screenshot named after it before rethrowing. */
  async function step(name, fn) {
    try {
      return await fn();
    } catch (e) {
      if (editor) await editor.screenshot(`failed-${name}`);
      throw e;
    }
  }

  before(async () => {
    clearArtifacts();
    let codeServerEntry;
    try {
      codeServerEntry = provision();
    } catch (e) {
      throw new Error(`could not provision code-server and chromium (test/e2e/provision.sh): ${e.message}`);
    }
    const vsix = buildVsix();
    workspace = copyFixture(FIXTURE);
    editor = await startEditor({ workspace, vsix, codeServerEntry });
    await editor.screenshot('00-workbench-ready');
  }, { timeout: 20 * 60_000 });

  after(async () => {
    await editor?.close();
    if (workspace) removeFixture(workspace);
  });

  test(`step 1: opening ${FILE} lists FC101 on line 8 and FC301 on line 16 as errors in the Problems panel`, async () => {
    await step('step1', async () => {
      await editor.openFile(FILE);
      await editor.screenshot('01-train_bad-open');
      const has = (rows, e) => rows.some((r) => r.code === e.code && r.line === e.line && r.file === FILE);
      const rows = await editor.problems({
        predicate: (rs) => EXPECTED.every((e) => has(rs, e)),
        timeoutMs: PROBLEMS_TIMEOUT_MS,
      });
      await editor.screenshot('02-problems-panel');
      const shown = rows.map((r) => `${r.file}:${r.line}:${r.column} ${r.severity} ${r.source}(${r.code}) ${r.message}`);
      for (const e of EXPECTED) {
        const row = rows.find((r) => r.code === e.code && r.line === e.line && r.file === FILE);
        assert.ok(row, `expected ${e.code} on line ${e.line} of ${FILE}; the Problems panel shows:\n${shown.join('\n') || '(nothing)'}`);
        assert.equal(row.severity, e.severity, `${e.code} severity`);
        assert.equal(row.source, 'fitcheck', `${e.code} source`);
        assert.ok(row.message.length > 0, `${e.code} has a message`);
      }
      fc101 = rows.find((r) => r.code === 'FC101' && r.line === 8);
    });
  });

  test('step 3: hovering the nn.Softmax squiggle on line 8 explains FC101', async () => {
    await step('step3', async () => {
      const line = fc101?.line ?? 8;
      const column = fc101?.column ?? 5;
      // The hover has the diagnostic itself (kind "marker") and the extension's explanation
      // (kind "markdown", from its hover provider); the explanation is what this step checks.
      const explains = (h) => h.parts.some((p) => p.kind === 'markdown' && p.text.includes('FC101'));
      const hover = await editor.hoverAt(line, column, { waitFor: explains });
      await editor.screenshot('03-hover-fc101');
      assert.ok(hover.parts.length > 0, `no hover appeared at ${FILE}:${line}:${column}`);
      assert.ok(hover.text.includes('FC101'), `hover does not mention FC101:\n${hover.text}`);
      assert.ok(explains(hover),
        `hover has no explanation mentioning FC101 beyond the diagnostic; hover parts:\n${JSON.stringify(hover.parts, null, 2)}`);
    });
  });
});
