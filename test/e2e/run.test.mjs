// End-to-end test of Fitcheck in a real VS Code: code-server 4.100.3 (VS Code 1.100) in headless
// Debian chromium, driven by playwright-core. Run with:
//
//   node --test test/e2e/            (or: node --test test/e2e/run.test.mjs)
//
// Env:
//   FITCHECK_E2E_VSIX=path   use this .vsix instead of building one with `npm run package`
//   FITCHECK_E2E_KEEP=1      keep the temp user-data / workspace folders for inspection
//   FITCHECK_E2E_CACHE=dir   where provision.sh keeps code-server (default ~/.cache/fitcheck-e2e)
//   FITCHECK_E2E_UPDATE_DOCS=1  copy the screenshots of passing steps to docs/images/
// Screenshots, code-server's log and VS Code's logs (vscode-logs/) land in test/e2e/artifacts/.

import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync, readdirSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ARTIFACTS_DIR, E2E_DIR, REPO_ROOT, copyFixture, parseLspTrace, provision, removeFixture, startEditor } from './harness.mjs';

const FIXTURE = join(E2E_DIR, 'workspace');
const FILE = 'train_bad.py';
// What Fitcheck must report on the fixture (1-based lines, as the Problems panel shows them).
const EXPECTED = [
  { code: 'FC101', line: 8, severity: 'error' }, //  nn.Softmax(dim=1) feeding nn.CrossEntropyLoss
  { code: 'FC301', line: 16, severity: 'error' }, // loss.backward() in a loop without zero_grad()
];
const PROBLEMS_TIMEOUT_MS = 90_000; // language server start + parser load on a cold 2-core machine
// Step 2 edits a copy of train_bad.py, so the other steps keep the original.
const QUICKFIX_FILE = 'quickfix.py';
const REMOVE_SOFTMAX = 'Remove nn.Softmax (return logits) (FC101)';
const DISABLE_FC301_LINE = 'Disable FC301 for this line';
// Step 4: a markdown cell, imports, the model (nn.Softmax on line 2 of cell 3), the loop (backward() on line 4 of cell 4).
const NOTEBOOK = 'notebook.ipynb';
const NOTEBOOK_EXPECTED = [
  { code: 'FC101', cell: 3, line: 2, text: 'nn.Softmax(dim=1)' },
  { code: 'FC301', cell: 4, line: 4, text: 'loss.backward()' },
];
const NOTEBOOK_TIMEOUT_MS = 30_000; // the server is warm by then: a notebook takes well under a second
// Step 4b: Lint Workspace on two lint worker threads (the pool starts, parses the workspace's modules, lints a few files).
const LINT_WORKSPACE_TIMEOUT_MS = 60_000;
// Step 5: examples/runs/hours-polynomial-overfit.fitrun.json without "$schema" (trains in ~2 s, high variance).
const SPEC = 'overfit.fitrun.json';
const RUN_NAME = 'hours-polynomial-overfit';
const RUN_REGIME = 'High variance';
const TRAINING_TIMEOUT_MS = 60_000;
// Step 6: test/e2e/append_run.py writes an over-fitting run with the Python helper, an epoch every 0.25 s.
const WATCH_NAME = 'live-overfit';
const WATCH_EPOCHS = 80; // 20 s of writing: ample time to open the panel while it grows
const WATCH_TIMEOUT_MS = 60_000;
// Step 9: the real Keras run (train/ + validation/ event files) in ../shared/tfevents, replayed record by record.
const KERAS_SOURCE = join(REPO_ROOT, '..', 'shared', 'tfevents', 'tf2-keras-mnist');
const KERAS_NAME = 'keras-live';
const KERAS_DELAY_MS = 80; // 144 records: about 12 s of writing, an epoch a second or so
// Step 10: a 12-layer sigmoid MLP run by the CodeLens with the interpreter of .vscode/settings.json.
const MONITOR_SCRIPT = 'monitor_sigmoid.py';
const MONITOR_NAME = 'monitor_sigmoid';
const MONITOR_FIRST_LAYER_LINE = 11; // nn.Linear(20, 32): the layer whose gradients vanish most
const MONITOR_PYTHON = JSON.parse(readFileSync(join(FIXTURE, '.vscode', 'settings.json'), 'utf8'))['fitcheck.python.path'];
/** Why step 10 cannot run here, or false: it needs the interpreter of the settings with PyTorch. */
function monitorSkipReason() {
  const r = spawnSync(MONITOR_PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `${MONITOR_PYTHON} (fitcheck.python.path in test/e2e/workspace/.vscode/settings.json) cannot run: ${r.error.message}`;
  if (r.status !== 0) return `PyTorch does not import with ${MONITOR_PYTHON} (install Debian's python3-torch): ${(r.stderr ?? '').trim().split('\n').pop()}`;
  return false;
}
const MONITOR_SKIP = monitorSkipReason();
if (MONITOR_SKIP) console.error(`[e2e] step 10 skipped: ${MONITOR_SKIP}`);
const KERAS_SKIP = existsSync(KERAS_SOURCE) ? false : `${KERAS_SOURCE} is absent (the shared real event files are not checked out here)`;
if (KERAS_SKIP) console.error(`[e2e] step 9 skipped: ${KERAS_SKIP}`);

/** Pids of live processes whose command line mentions `text` (read from /proc). */
function processesMentioning(text) {
  const pids = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const state = /^State:\s+(\w)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (cmd.includes(text) && state !== 'Z') pids.push(Number(pid));
    } catch { /* gone meanwhile */ }
  }
  return pids;
}

// FITCHECK_E2E_UPDATE_DOCS=1: copy these screenshots to docs/images/ when their step passes.
const DOCS_IMAGES = {
  '02-problems-panel': 'problems-panel.png',
  '03-hover-fc101': 'hover-fc101.png',
  '04-quickfix-menu': 'quick-fix.png',
  '08-notebook-problems': 'notebook.png',
  '10-training-panel': 'training-panel.png',
  '12-watched-run': 'watched-run.png',
};

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

function updateDocsImages(...shots) {
  if (process.env.FITCHECK_E2E_UPDATE_DOCS !== '1') return;
  for (const shot of shots) {
    const src = join(ARTIFACTS_DIR, `${shot}.png`);
    if (DOCS_IMAGES[shot] && existsSync(src)) copyFileSync(src, join(REPO_ROOT, 'docs', 'images', DOCS_IMAGES[shot]));
  }
}

const showRows = (rows) => rows.map((r) => `${r.file}:${r.line}:${r.column} ${r.severity} ${r.source}(${r.code}) ${r.message.slice(0, 60)}`).join('\n') || '(nothing)';

/**
 * What a run panel shows, read from whichever frame holds it (a webview is an outer iframe holding
 * the `active-frame` iframe): status, diagnosis, the epoch shown, and per chart canvas its painted,
 * training (blue) and validation (yellow) pixels. Null while no frame has the panel. With `runName`,
 * only a panel whose header names that run counts: a closed panel's frame can linger a moment, and
 * reading it instead of the new run's panel made steps 9 and 10 fail now and then.
 */
async function readRunPanel(page, runName) {
  for (const f of page.frames()) {
    const r = await f.evaluate((name) => {
      const header = document.getElementById('header');
      const charts = document.getElementById('charts');
      if (!header || !charts) return null;
      if (name && !header.innerText.includes(name)) return null;
      const canvases = [...charts.querySelectorAll('canvas')].map((c) => {
        let blue = 0; let yellow = 0; let painted = 0;
        if (c.width > 0 && c.height > 0) {
          const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < px.length; i += 4) {
            const [r, g, b, a] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
            if (a === 0) continue;
            painted++;
            if (b - r > 120 && b > 180) blue++; // training curve (--vscode-charts-blue)
            if (r > 150 && g > 120 && b < 80) yellow++; // validation curve (--vscode-charts-yellow)
          }
        }
        return { label: c.getAttribute('aria-label'), width: c.width, height: c.height, painted, blue, yellow };
      });
      const epoch = /epoch (\d+)/.exec(header.innerText)?.[1];
      // How far the run got as its first line names it: "epoch N", or "step N" on a step axis.
      const point = /(epoch|step) (\d+)/.exec(header.querySelector('.meta')?.textContent ?? header.innerText);
      return {
        status: header.querySelector('.status')?.textContent?.trim() ?? '',
        regime: header.querySelector('.diagnosis h2')?.textContent?.trim() ?? '',
        summary: header.querySelector('.diagnosis p')?.textContent?.trim() ?? '',
        epoch: epoch ? Number(epoch) : 0,
        axis: point?.[1] ?? '', point: point ? Number(point[2]) : -1,
        header: header.innerText.trim(),
        canvases,
      };
    }, runName).catch(() => null);
    if (r) return r;
  }
  return null;
}

/**
 * Types a path into code-server's file dialog and checks it stayed: on a busy machine the dialog
 * fills in its starting folder after it shows, and the typed path ended up appended to it.
 */
async function typePath(page, input, value) {
  for (let attempt = 0; attempt < 5; attempt++) {
    await input.fill(value);
    await page.waitForTimeout(400);
    if (await input.inputValue().catch(() => '') === value) return;
  }
  throw new Error(`the file dialog did not keep the typed path ${value} (it shows ${await input.inputValue().catch(() => '?')})`);
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

  async function waitFor(fn, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v || Date.now() >= deadline) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Why the Problems panel has nothing for the notebook, from the LSP trace in Fitcheck's output channel. */
  function notebookDiagnosis(rows) {
    const log = editor.extensionLog('fitcheck.fitcheck', 'Fitcheck');
    const trace = parseLspTrace(log);
    const isCell = (u) => u.startsWith('vscode-notebook-cell:');
    const nbOpen = trace.filter((m) => m.method === 'notebookDocument/didOpen');
    const pulls = trace.filter((m) => m.direction === 'sent' && m.method === 'textDocument/diagnostic');
    const cellPulls = pulls.filter((m) => m.uris.some(isCell));
    const cellPushes = trace.filter((m) => m.method === 'textDocument/publishDiagnostics' && m.uris.some(isCell));
    const errors = log.split('\n').filter((l) => /\[error\]|analysis of .* failed|unhandled|uncaught/i.test(l)).slice(0, 10);
    return [
      `no Fitcheck diagnostics for ${NOTEBOOK} in the Problems panel after ${NOTEBOOK_TIMEOUT_MS / 1000} s (it shows:\n${showRows(rows)})`,
      `LSP trace (Fitcheck output channel, artifacts/vscode-logs/): notebookDocument/didOpen sent ${nbOpen.length}x `
        + `(cell URIs: ${nbOpen.flatMap((m) => m.uris.filter(isCell)).length}); textDocument/diagnostic pulls: ${pulls.length}, `
        + `${cellPulls.length} of them for a notebook cell; textDocument/publishDiagnostics for a cell: ${cellPushes.length}.`,
      ...(nbOpen.length && !cellPulls.length && !cellPushes.length
        ? ['The server got the notebook, but the client never asked for (pull) nor received (push) diagnostics of its cells: '
          + "vscode-languageclient's pull-diagnostics feature only pulls documents synced with textDocument/didOpen and "
          + 'shown in text tabs, and notebook cells are neither.']
        : []),
      ...(log ? [] : ['Fitcheck wrote nothing to its output channel: was the extension activated?']),
      ...(errors.length ? ['errors in the Fitcheck output channel:', ...errors] : []),
    ].join('\n');
  }

  before(async () => {
    clearArtifacts();
    let codeServerEntry;
    try {
      codeServerEntry = provision();
    } catch (e) {
      throw new Error(`could not provision code-server and chromium (test/e2e/provision.sh): ${e.message}`, { cause: e });
    }
    const vsix = buildVsix();
    workspace = copyFixture(FIXTURE);
    // The LSP trace in Fitcheck's output channel (artifacts/vscode-logs/) explains failures, step 4's above all.
    // Two lint worker threads whatever the machine's load, so step 4b runs Lint Workspace on the pool: the
    // language server inherits code-server's environment, taken when it starts.
    const threads = process.env.FITCHECK_LINT_THREADS;
    process.env.FITCHECK_LINT_THREADS = '2';
    try {
      editor = await startEditor({ workspace, vsix, codeServerEntry, settings: { 'fitcheck.trace.server': 'verbose' } });
    } finally {
      if (threads === undefined) delete process.env.FITCHECK_LINT_THREADS;
      else process.env.FITCHECK_LINT_THREADS = threads;
    }
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
      updateDocsImages('02-problems-panel');
    });
  });

  test(`step 2: the quick fixes "${REMOVE_SOFTMAX}" and "${DISABLE_FC301_LINE}" edit ${QUICKFIX_FILE} and clear their problems`, async () => {
    await step('step2', async () => {
      const onDisk = () => readFileSync(join(workspace, QUICKFIX_FILE), 'utf8');
      const original = onDisk();
      const originalLines = original.split('\n');
      assert.match(originalLines[7], /nn\.Softmax\(dim=1\)/, `fixture ${QUICKFIX_FILE} line 8 should be the nn.Softmax layer`);
      const mine = (rows) => rows.filter((r) => r.file === QUICKFIX_FILE);
      const has = (rows, code, line) => mine(rows).some((r) => r.code === code && (line === undefined || r.line === line));

      await editor.closeAllEditors();
      await editor.openFile(QUICKFIX_FILE);
      let rows = await editor.problems({ predicate: (rs) => has(rs, 'FC101', 8) && has(rs, 'FC301', 16), timeoutMs: PROBLEMS_TIMEOUT_MS });
      assert.ok(has(rows, 'FC101', 8) && has(rows, 'FC301', 16),
        `before the fix, expected FC101@8 and FC301@16 for ${QUICKFIX_FILE}; the Problems panel shows:\n${showRows(rows)}`);

      // Quick fix 1: Ctrl+. on the FC101 squiggle, then the rule's own fix, chosen with the keyboard.
      const menu = await editor.codeActions(8, 5);
      await editor.screenshot('04-quickfix-menu');
      const titles = menu.map((a) => a.title);
      assert.ok(titles.includes(REMOVE_SOFTMAX), `the quick fix menu on line 8 lacks "${REMOVE_SOFTMAX}"; it shows: ${JSON.stringify(titles)}`);
      assert.ok(titles.includes('Disable FC101 for this line'), `the quick fix menu on line 8 lacks "Disable FC101 for this line"; it shows: ${JSON.stringify(titles)}`);
      await editor.page.keyboard.press('Escape');
      await editor.applyCodeAction(8, 5, REMOVE_SOFTMAX);

      // The editor's text: the nn.Softmax line is gone and nothing else changed.
      const expected = [...originalLines.slice(0, 7), ...originalLines.slice(8)].join('\n');
      const shown = await editor.waitForEditorText((t) => !t.includes('nn.Softmax'));
      assert.ok(!shown.includes('nn.Softmax'), `after "${REMOVE_SOFTMAX}" the editor still shows nn.Softmax:\n${shown}`);
      assert.equal(shown.trimEnd(), expected.trimEnd(), 'editor text after removing the nn.Softmax line');
      await editor.save();
      assert.equal(onDisk(), expected, `${QUICKFIX_FILE} on disk after the fix and a save`);

      // FC101 is gone; FC301 stays (one line up, at 15, since a line went away).
      rows = await editor.problems({ predicate: (rs) => !has(rs, 'FC101') && has(rs, 'FC301', 15), timeoutMs: 30_000 });
      await editor.screenshot('05-quickfix-applied');
      assert.ok(!has(rows, 'FC101'), `FC101 is still listed for ${QUICKFIX_FILE} after the fix:\n${showRows(rows)}`);
      assert.ok(has(rows, 'FC301', 15), `FC301 should stay (on line 15 now) for ${QUICKFIX_FILE}:\n${showRows(rows)}`);

      // Quick fix 2: silence FC301 on its line with a `# fitcheck: ignore[FC301]` comment.
      const fc301Line = 15;
      const fc301 = mine(rows).find((r) => r.code === 'FC301');
      await editor.applyCodeAction(fc301Line, fc301.column, DISABLE_FC301_LINE);
      await editor.screenshot('06-disable-fc301-applied');
      const withComment = await editor.waitForEditorText((t) => t.includes('# fitcheck: ignore[FC301]'));
      const commentLine = withComment.split('\n')[fc301Line - 1] ?? '';
      assert.match(commentLine, /^\s*loss\.backward\(\)\s+# fitcheck: ignore\[FC301\]$/,
        `line ${fc301Line} should end with "# fitcheck: ignore[FC301]"; the editor shows:\n${withComment}`);
      await editor.save();
      const savedLines = onDisk().split('\n');
      assert.ok(savedLines[fc301Line - 1].endsWith('# fitcheck: ignore[FC301]'),
        `${QUICKFIX_FILE} line ${fc301Line} on disk: ${JSON.stringify(savedLines[fc301Line - 1])}`);
      assert.equal(savedLines.filter((l) => l.includes('fitcheck: ignore')).length, 1, 'exactly one suppression comment was added');
      // FC301 is gone while the file is still linted (its FC405 warning, untouched, stays).
      rows = await editor.problems({ predicate: (rs) => !has(rs, 'FC301') && has(rs, 'FC405'), timeoutMs: 30_000 });
      await editor.screenshot('07-disable-fc301-problems');
      assert.ok(!has(rows, 'FC301'), `FC301 is still listed for ${QUICKFIX_FILE} after "${DISABLE_FC301_LINE}":\n${showRows(rows)}`);
      assert.ok(has(rows, 'FC405'), `${QUICKFIX_FILE} should still be linted (FC405 stays):\n${showRows(rows)}`);
      updateDocsImages('04-quickfix-menu');
      await editor.closeAllEditors();
    });
  });

  test('step 3: hovering the nn.Softmax squiggle on line 8 explains FC101', async () => {
    await step('step3', async () => {
      const line = fc101?.line ?? 8;
      const column = fc101?.column ?? 5;
      await editor.openFile(FILE);
      // The hover has the diagnostic itself (kind "marker") and the extension's explanation
      // (kind "markdown", from its hover provider); the explanation is what this step checks.
      const explains = (h) => h.parts.some((p) => p.kind === 'markdown' && p.text.includes('FC101'));
      const hover = await editor.hoverAt(line, column, { waitFor: explains });
      await editor.screenshot('03-hover-fc101');
      assert.ok(hover.parts.length > 0, `no hover appeared at ${FILE}:${line}:${column}`);
      assert.ok(hover.text.includes('FC101'), `hover does not mention FC101:\n${hover.text}`);
      assert.ok(explains(hover),
        `hover has no explanation mentioning FC101 beyond the diagnostic; hover parts:\n${JSON.stringify(hover.parts, null, 2)}`);
      updateDocsImages('03-hover-fc101');
    });
  });

  test(`step 4: ${NOTEBOOK} lists FC101 on line 2 of cell 3 and FC301 on line 4 of cell 4 in the Problems panel`, async () => {
    await step('step4', async () => {
      await editor.page.keyboard.press('Escape');
      await editor.closeAllEditors();
      await editor.openNotebook(NOTEBOOK); // throws when code-server cannot open it as a notebook
      const cells = await editor.notebookCells();
      assert.deepEqual(cells.map((c) => c.kind), ['markdown', 'code', 'code', 'code'], `${NOTEBOOK}'s cells as the notebook editor draws them`);
      assert.ok(cells[2].lines[1]?.includes('nn.Softmax(dim=1)'), `cell 3 line 2 should hold the nn.Softmax layer: ${JSON.stringify(cells[2].lines)}`);
      await editor.screenshot('08-notebook-open');

      // Cell diagnostics are listed under the notebook's own name, with the line within the cell
      // ("[Ln 2, Col 71]"); the row does not say which cell, so opening it must reveal that.
      const inNotebook = (rows) => rows.filter((r) => r.file === NOTEBOOK);
      const rows = await editor.problems({
        predicate: (rs) => NOTEBOOK_EXPECTED.every((e) => inNotebook(rs).some((r) => r.code === e.code && r.line === e.line)),
        timeoutMs: NOTEBOOK_TIMEOUT_MS,
      });
      await editor.screenshot('08-notebook-problems');
      if (!inNotebook(rows).length) assert.fail(notebookDiagnosis(rows));
      for (const e of NOTEBOOK_EXPECTED) {
        const row = inNotebook(rows).find((r) => r.code === e.code);
        assert.ok(row, `expected ${e.code} for ${NOTEBOOK}; the Problems panel shows:\n${showRows(rows)}`);
        assert.equal(row.line, e.line, `${e.code}'s line within its cell (the Problems panel shows ${NOTEBOOK} [Ln ${row.line}, Col ${row.column}])`);
        assert.equal(row.source, 'fitcheck', `${e.code} source`);
        assert.equal(row.severity, 'error', `${e.code} severity`);
      }
      // The squiggles sit in the right cells, on the right lines.
      const drawn = await editor.notebookCells();
      for (const e of NOTEBOOK_EXPECTED) {
        const cell = drawn.find((c) => c.index === e.cell - 1);
        assert.ok(cell?.errorLines.includes(e.line),
          `${e.code}: cell ${e.cell} should have an error squiggle on line ${e.line}; error squiggles per cell: `
          + JSON.stringify(drawn.map((c) => ({ cell: c.index + 1, errorLines: c.errorLines }))));
        assert.ok(cell.lines[e.line - 1]?.includes(e.text), `cell ${e.cell} line ${e.line} should read ${e.text}: ${JSON.stringify(cell.lines)}`);
      }
      // Opening the FC101 row from the Problems panel goes to cell 3.
      await editor.openProblem('FC101');
      const at = await waitFor(async () => (await editor.statusBarItems()).find((t) => /^Cell \d+ of \d+$/.test(t) && t !== 'Cell 1 of 4'), 5000);
      await editor.screenshot('09-notebook-fc101-opened');
      const status = await editor.statusBarItems();
      assert.ok(status.includes('Cell 3 of 4'), `opening FC101 from the Problems panel should select cell 3; the status bar shows: ${JSON.stringify(status)} (${at})`);
      const focused = (await editor.notebookCells()).find((c) => c.focused);
      assert.equal(focused?.index, 2, 'the focused cell after opening FC101 (0-based index)');
      updateDocsImages('08-notebook-problems');
    });
  });

  test('step 4b: "Fitcheck: Lint Workspace" reports its problems, showing the lint workers\u2019 parse of the Python project on the first batch\u2019s progress token', async () => {
    await step('step4b', async () => {
      const p = editor.page;
      await p.keyboard.press('Escape');
      await editor.closeAllEditors();
      await editor.dismissNotifications();
      const sentBefore = parseLspTrace(editor.extensionLog('fitcheck.fitcheck', 'Fitcheck')).length;
      await editor.runCommand('Fitcheck: Lint Workspace');
      const summary = await waitFor(async () => {
        const toasts = await editor.notificationTexts();
        return toasts.map((t) => /Fitcheck: (\d+) problems? in (\d+) files?/.exec(t)).find(Boolean);
      }, LINT_WORKSPACE_TIMEOUT_MS);
      assert.ok(summary, `no "Fitcheck: N problems in M files" notification within ${LINT_WORKSPACE_TIMEOUT_MS / 1000} s of Lint Workspace`);
      await editor.screenshot('09b-lint-workspace-done');
      // train_bad.py, quickfix.py, monitor_sigmoid.py, notebook.ipynb and the run spec, at least.
      assert.ok(Number(summary[2]) >= 5, `Lint Workspace linted ${summary[2]} files`);
      assert.ok(Number(summary[1]) >= 4, `Lint Workspace found ${summary[1]} problems (train_bad.py and notebook.ipynb have FC101 and FC301 each)`);
      const trace = parseLspTrace(editor.extensionLog('fitcheck.fitcheck', 'Fitcheck')).slice(sentBefore);
      const requests = trace.filter((m) => m.direction === 'sent' && m.kind === 'request' && m.method === 'fitcheck/lintFiles');
      const progress = trace.filter((m) => m.direction === 'received' && m.method === '$/progress');
      assert.ok(requests.length >= 1, `no fitcheck/lintFiles request in the LSP trace (${trace.length} messages since the command)`);
      // FITCHECK_LINT_THREADS=2: the first batch has the workers parse the project's modules and reports it (begin ... end).
      assert.ok(progress.length >= 2, `the server reported the project's parse ${progress.length} times on the batch's progress token`);
      console.error(`[e2e] step 4b: "${summary[0]}", ${requests.length} lintFiles request(s), ${progress.length} $/progress notification(s)`);
    });
  });

  test(`step 5: "Fitcheck: Start Training" on ${SPEC} opens "Run: ${RUN_NAME}" with drawn charts, completed, "${RUN_REGIME}"`, async () => {
    await step('step5', async () => {
      const p = editor.page;
      await p.keyboard.press('Escape');
      await editor.closeAllEditors();
      await editor.openFile(SPEC);
      const runsDir = join(workspace, '.fitcheck', 'runs');
      const before = existsSync(runsDir) ? readdirSync(runsDir) : [];
      const t0 = Date.now();
      await editor.runCommand('Fitcheck: Start Training');

      // The panel's tab, then its document: a webview is an outer iframe holding the `active-frame` iframe.
      const tab = p.locator(`.tabs-container .tab[aria-label*="Run: ${RUN_NAME}"]`).first();
      await tab.waitFor({ state: 'visible', timeout: TRAINING_TIMEOUT_MS }).catch(async () => {
        const toasts = await editor.notificationTexts();
        const tabs = await p.$$eval('.tabs-container .tab', (ts) => ts.map((t) => t.getAttribute('aria-label'))).catch(() => []);
        assert.fail(`no "Run: ${RUN_NAME}" tab within ${TRAINING_TIMEOUT_MS / 1000} s of "Fitcheck: Start Training"; tabs: ${JSON.stringify(tabs)}`
          + (toasts.length ? `; notifications: ${toasts.join(' | ')}` : ''));
      });
      const readPanel = () => readRunPanel(p, RUN_NAME);
      const done = (r) => r && (r.status === 'failed' || (r.status === 'completed' && r.regime && r.canvases.some((c) => c.blue > 0)));
      const panel = await waitFor(async () => { const r = await readPanel(); return done(r) ? r : null; }, TRAINING_TIMEOUT_MS) ?? await readPanel();
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      assert.ok(panel, `the "Run: ${RUN_NAME}" tab opened but no frame has the panel's #header and #charts (frames: ${JSON.stringify(p.frames().map((f) => f.url().slice(0, 80)))})`);
      const shown = `header: ${JSON.stringify(panel.header)}; canvases: ${JSON.stringify(panel.canvases)}`;
      assert.equal(panel.status, 'completed', `the run's status after ${seconds} s (${shown})`);
      assert.equal(panel.regime, RUN_REGIME, `the diagnosis (${shown})`);
      // The banner's evidence line: the numbers with their sampling noise, on the two sides of ε.
      assert.match(panel.summary, /^training error [\d.e+-]+( ± [\d.e+-]+)? ≤ ε = [\d.]+ < validation error [\d.]+/, `the diagnosis text (${shown})`);
      assert.ok(panel.canvases.length >= 1, `the panel has no chart canvas (${shown})`);
      const loss = panel.canvases.find((c) => c.label === 'Loss') ?? panel.canvases[0];
      assert.ok(loss.width > 0 && loss.height > 0, `the Loss chart's canvas is empty (${shown})`);
      assert.ok(loss.blue > 0 && loss.yellow > 0, `the Loss chart has no training (blue) and validation (yellow) curve pixels (${shown})`);

      // The run on disk: .fitcheck/runs/<id>/events.jsonl, ending with the `end` event.
      assert.ok(existsSync(runsDir), `no ${runsDir} after training`);
      const runs = readdirSync(runsDir).filter((d) => !before.includes(d) && existsSync(join(runsDir, d, 'events.jsonl')));
      assert.equal(runs.length, 1, `new run folders with events.jsonl in .fitcheck/runs (before: ${JSON.stringify(before)}, now: ${JSON.stringify(readdirSync(runsDir))})`);
      const lines = readFileSync(join(runsDir, runs[0], 'events.jsonl'), 'utf8').trim().split('\n');
      const last = JSON.parse(lines[lines.length - 1]);
      assert.equal(last.type, 'end', `the last event of ${runs[0]}/events.jsonl: ${lines[lines.length - 1].slice(0, 200)}`);

      // The Runs view (activity bar "Fitcheck") lists it.
      await editor.runCommand('Fitcheck: Focus on Runs View');
      const listed = await waitFor(async () => {
        const rows = await p.$$eval('.part.sidebar .monaco-list-row', (rs) => rs.map((r) => (r.innerText ?? '').replace(/\s+/g, ' ').trim()));
        return rows.some((r) => r.includes(RUN_NAME)) ? rows : null;
      }, 10_000) ?? await p.$$eval('.part.sidebar .monaco-list-row', (rs) => rs.map((r) => (r.innerText ?? '').replace(/\s+/g, ' ').trim()));
      // For the picture: no Problems panel under the charts, no "finished" toast over them.
      await editor.runCommand('View: Hide Panel', { timeoutMs: 5000 }).catch(() => {});
      await editor.dismissNotifications();
      await editor.screenshot('10-training-panel');
      assert.ok(listed.some((r) => r.includes(RUN_NAME)), `the Runs view does not list ${RUN_NAME}; its rows: ${JSON.stringify(listed)}`);
      console.error(`[e2e] step 5: trained and drawn in ${seconds} s; run ${runs[0]} (${lines.length} events); canvases: ${JSON.stringify(panel.canvases)}; Runs view: ${JSON.stringify(listed)}`);
      updateDocsImages('10-training-panel');
    });
  });

  test(`step 6: "Fitcheck: Watch Run…" on a JSONL file that a script appends to opens "Run: ${WATCH_NAME}" and the panel grows live`, async () => {
    await step('step6', async () => {
      const p = editor.page;
      await p.keyboard.press('Escape');
      await editor.closeAllEditors();
      await editor.dismissNotifications();
      // The writer: the Python helper (no PyTorch needed), an epoch every 0.25 s into <workspace>/runs/.
      const writer = spawn('python3', [join(E2E_DIR, 'append_run.py'), join(workspace, 'runs'), '--epochs', String(WATCH_EPOCHS), '--delay', '0.25'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      writer.stdout.on('data', (d) => { out += d; });
      writer.stderr.on('data', (d) => { err += d; });
      const writerDone = new Promise((resolve) => writer.on('close', resolve));
      const t0 = Date.now();
      try {
        const logFile = await waitFor(async () => /FITCHECK_LOG=(.+)\n/.exec(out)?.[1], 15_000);
        assert.ok(logFile, `append_run.py printed no FITCHECK_LOG line (stdout: ${out}; stderr: ${err})`);

        // *Watch Run…* asks for a file or folder; code-server's dialog is a quick input that takes a typed path.
        await editor.runCommand('Fitcheck: Watch Run…');
        const dialog = p.locator('.quick-input-widget').first();
        await dialog.waitFor({ state: 'visible', timeout: 10_000 });
        const input = dialog.locator('input').first();
        // First the folder (the dialog lists it afresh: the file is newer than its listing), then the file.
        await typePath(p, input, `${dirname(logFile)}/`);
        await p.waitForTimeout(400);
        await typePath(p, input, logFile);
        await input.press('Enter');
        // The dialog may first complete the typed path and want a second Enter to accept it.
        for (let i = 0; i < 3 && await dialog.isVisible().catch(() => false); i++) {
          await p.waitForTimeout(500);
          if (await dialog.isVisible().catch(() => false)) await input.press('Enter');
        }
        const tab = p.locator(`.tabs-container .tab[aria-label*="Run: ${WATCH_NAME}"]`).first();
        await tab.waitFor({ state: 'visible', timeout: 15_000 });
        const watchedAt = Date.now();

        const readPanel = () => readRunPanel(p, WATCH_NAME);
        // Live: the panel shows the run while the script is still writing it, and follows it.
        const first = await waitFor(async () => { const r = await readPanel(); return r && r.epoch > 0 ? r : null; }, 15_000);
        assert.ok(first, `the watched run's panel shows no epoch (${JSON.stringify(await readPanel())})`);
        assert.ok(first.epoch < WATCH_EPOCHS, `the panel should show the run before it ends, but it first showed epoch ${first.epoch} (${((watchedAt - t0) / 1000).toFixed(1)} s after the writer started)`);
        assert.equal(first.status, 'watching', `status while the script writes (${first.header})`);
        const later = await waitFor(async () => { const r = await readPanel(); return r && r.epoch >= first.epoch + 3 ? r : null; }, 10_000);
        assert.ok(later, `the panel did not grow past epoch ${first.epoch} (${JSON.stringify(await readPanel())})`);
        const final = await waitFor(async () => { const r = await readPanel(); return r && r.status === 'completed' ? r : null; }, WATCH_TIMEOUT_MS) ?? await readPanel();
        await writerDone;
        assert.equal(final.status, 'completed', `after the script's end line (${final.header})`);
        assert.equal(final.epoch, WATCH_EPOCHS, final.header);
        assert.equal(final.regime, 'High variance', final.header);
        assert.ok(final.canvases.find((c) => c.label === 'Loss')?.blue > 0, `no training curve drawn (${JSON.stringify(final)})`);

        await editor.runCommand('Fitcheck: Focus on Runs View');
        const listed = await waitFor(async () => {
          const rows = await p.$$eval('.part.sidebar .monaco-list-row', (rs) => rs.map((r) => (r.innerText ?? '').replace(/\s+/g, ' ').trim()));
          return rows.some((r) => r.includes(WATCH_NAME) && r.includes('watching')) ? rows : null;
        }, 10_000);
        await editor.runCommand('View: Hide Panel', { timeoutMs: 5000 }).catch(() => {});
        await editor.dismissNotifications();
        await editor.screenshot('12-watched-run');
        assert.ok(listed, 'the Runs view lists the watched run, marked "watching"');
        console.error(`[e2e] step 6: first seen at epoch ${first.epoch}, then ${later.epoch}, ended at ${final.epoch}: ${final.regime}`);
        updateDocsImages('12-watched-run');
      } finally {
        writer.kill();
      }
    });
  });

  test(`step 7: clicking ${RUN_NAME} and then ${WATCH_NAME} in the Runs view shows them one after the other in one panel, in one editor group`, async () => {
    await step('step7', async () => {
      const p = editor.page;
      await p.keyboard.press('Escape');
      await editor.closeAllEditors();
      await editor.dismissNotifications();
      await editor.runCommand('Fitcheck: Focus on Runs View');
      const row = (name) => p.locator('.part.sidebar .monaco-list-row', { hasText: name }).first();
      const tab = (name) => p.locator(`.tabs-container .tab[aria-label*="Run: ${name}"]`).first();
      const runTabs = () => p.$$eval('.tabs-container .tab', (ts) => ts.map((t) => t.getAttribute('aria-label') ?? '').filter((l) => l.includes('Run: ')));
      const groups = () => p.$$eval('.part.editor .editor-group-container', (gs) => gs.length);
      for (const name of [RUN_NAME, WATCH_NAME]) {
        await row(name).waitFor({ state: 'visible', timeout: 10_000 });
        await row(name).click();
        await tab(name).waitFor({ state: 'visible', timeout: 15_000 });
      }
      const tabs = await runTabs();
      const groupCount = await groups();
      await editor.screenshot('13-runs-view-preview');
      assert.equal(groupCount, 1, `editor groups after opening two runs from the Runs view (run tabs: ${JSON.stringify(tabs)})`);
      assert.equal(tabs.length, 1, `run panels after two clicks in the Runs view: ${JSON.stringify(tabs)}`);
      assert.ok(tabs[0].includes(WATCH_NAME), `the preview panel should show the run clicked last (${WATCH_NAME}); tabs: ${JSON.stringify(tabs)}`);
      // The panel itself follows: it draws the second run.
      const shown = await waitFor(async () => { const r = await readRunPanel(p, WATCH_NAME); return r && r.header.includes(WATCH_NAME) ? r : null; }, 15_000);
      assert.ok(shown, `the preview panel does not show ${WATCH_NAME} (${JSON.stringify(await readRunPanel(p, WATCH_NAME))})`);
      // Back to the first run: still one group and one panel.
      await row(RUN_NAME).click();
      await tab(RUN_NAME).waitFor({ state: 'visible', timeout: 15_000 });
      assert.equal(await groups(), 1, 'editor groups after a third click');
      assert.equal((await runTabs()).length, 1, `run panels after a third click: ${JSON.stringify(await runTabs())}`);
      console.error(`[e2e] step 7: ${groupCount} editor group, run tabs ${JSON.stringify(tabs)}`);
    });
  });

  test(`step 7b: the Runs view's inline Open Run, pressed while a text editor is active, opens ${RUN_NAME} and ${WATCH_NAME} in that editor's group`, async () => {
    await step('step7b', async () => {
      const p = editor.page;
      await p.keyboard.press('Escape');
      await editor.closeAllEditors();
      await editor.dismissNotifications();
      const row = (name) => p.locator('.part.sidebar .monaco-list-row', { hasText: name }).first();
      const tab = (name) => p.locator(`.tabs-container .tab[aria-label*="Run: ${name}"]`).first();
      const groups = () => p.$$eval('.part.editor .editor-group-container', (gs) => gs.length);
      for (const name of [RUN_NAME, WATCH_NAME]) {
        // VS Code keeps this editor as the active text editor while the Runs view has focus.
        await editor.openFile('train_bad.py');
        await editor.runCommand('Fitcheck: Focus on Runs View');
        await row(name).waitFor({ state: 'visible', timeout: 10_000 });
        await row(name).hover();
        await row(name).locator('.action-label[aria-label="Open Run"]').click();
        await tab(name).waitFor({ state: 'visible', timeout: 15_000 });
      }
      const groupCount = await groups();
      await editor.screenshot('13b-runs-view-open-run');
      assert.equal(groupCount, 1, 'editor groups after Open Run on two runs from the Runs view, each with a text editor active');
      console.error(`[e2e] step 7b: ${groupCount} editor group after two inline Open Run clicks`);
    });
  });

  test('step 8: at half of a 1280×800 window the run panel shows the whole loss chart, curves included, without scrolling', async () => {
    await step('step8', async () => {
      const p = editor.page;
      const before = p.viewportSize();
      await p.keyboard.press('Escape');
      await editor.closeAllEditors();
      await editor.dismissNotifications();
      await p.setViewportSize({ width: 1280, height: 800 });
      try {
        await editor.runCommand('View: Hide Panel', { timeoutMs: 5000 }).catch(() => {});
        await editor.runCommand('View: Close Primary Side Bar', { timeoutMs: 5000 }).catch(() => {});
        // The spec in the first group, then *Open Run* from it: a kept panel opens beside the spec, in the other half.
        await editor.openFile(SPEC);
        const runId = readdirSync(join(workspace, '.fitcheck', 'runs'))[0];
        await editor.runCommand('Fitcheck: Open Run');
        const quick = p.locator('.quick-input-widget').first();
        await quick.waitFor({ state: 'visible', timeout: 10_000 });
        await quick.locator('input').first().fill(runId);
        await p.waitForTimeout(300);
        await quick.locator('input').first().press('Enter');
        await p.locator(`.tabs-container .tab[aria-label*="Run: ${RUN_NAME}"]`).first().waitFor({ state: 'visible', timeout: 15_000 });
        const readLoss = async () => {
          for (const f of p.frames()) {
            const r = await f.evaluate(() => {
              const charts = document.getElementById('charts');
              const c = charts?.querySelector('canvas[aria-label="Loss"]');
              if (!document.getElementById('header') || !c || c.width === 0) return null;
              const rect = c.getBoundingClientRect();
              const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              // The box of the painted curve pixels, per curve, in canvas pixels.
              const box = () => ({ n: 0, top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity });
              const blueBox = box(); const yellowBox = box();
              const grow = (b, x, y) => { b.n++; b.top = Math.min(b.top, y); b.bottom = Math.max(b.bottom, y); b.left = Math.min(b.left, x); b.right = Math.max(b.right, x); };
              for (let y = 0; y < c.height; y++) {
                for (let x = 0; x < c.width; x++) {
                  const i = (y * c.width + x) * 4;
                  if (px[i + 3] === 0) continue;
                  // The training curve (--vscode-charts-blue), the validation curve (--vscode-charts-yellow).
                  if (px[i + 2] - px[i] > 120 && px[i + 2] > 180) grow(blueBox, x, y);
                  else if (px[i] > 150 && px[i + 1] > 120 && px[i + 2] < 80) grow(yellowBox, x, y);
                }
              }
              const sy = rect.height / c.height; const sx = rect.width / c.width;
              // Where those pixels are drawn in the panel (CSS px of its viewport).
              const onScreen = (b) => (b.n ? { n: b.n, top: rect.top + b.top * sy, bottom: rect.top + (b.bottom + 1) * sy, left: rect.left + b.left * sx, right: rect.left + (b.right + 1) * sx } : null);
              return {
                viewport: { width: innerWidth, height: innerHeight }, scrollY,
                canvas: { top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right },
                blue: blueBox.n, yellow: yellowBox.n, plotted: onScreen(blueBox), validation: onScreen(yellowBox),
              };
            }).catch(() => null);
            if (r) return r;
          }
          return null;
        };
        const loss = await waitFor(async () => { const r = await readLoss(); return r && r.blue > 0 ? r : null; }, 20_000) ?? await readLoss();
        await editor.screenshot('14-half-width-panel');
        const shown = JSON.stringify(loss);
        assert.ok(loss && loss.blue > 0, `no drawn training curve in the Loss chart at half width (${shown})`);
        assert.ok(loss.viewport.width <= 700, `the panel should have half of the 1280 px window (${shown})`);
        assert.equal(loss.scrollY, 0, `the panel opened scrolled (${shown})`);
        assert.ok(loss.canvas.top >= 0 && loss.canvas.bottom <= loss.viewport.height, `the Loss chart is not wholly inside the panel's ${loss.viewport.height} px (${shown})`);
        assert.ok(loss.canvas.left >= 0 && loss.canvas.right <= loss.viewport.width, `the Loss chart is wider than the panel's ${loss.viewport.width} px (${shown})`);
        // The plotted pixels themselves, not only the canvas box, lie inside the panel's viewport.
        const inside = (b) => b.top >= 0 && b.bottom <= loss.viewport.height && b.left >= 0 && b.right <= loss.viewport.width;
        assert.ok(inside(loss.plotted), `the training curve's pixels are not all inside the panel's ${loss.viewport.width}×${loss.viewport.height} px (${shown})`);
        assert.ok(loss.yellow > 0 && inside(loss.validation), `the validation curve's pixels are missing or not all inside the panel's viewport (${shown})`);
        console.error(`[e2e] step 8: Loss chart at ${Math.round(loss.canvas.top)}–${Math.round(loss.canvas.bottom)} px of ${loss.viewport.height} (panel ${loss.viewport.width} px wide)`);
      } finally {
        await editor.runCommand('View: Toggle Primary Side Bar Visibility', { timeoutMs: 5000 }).catch(() => {});
        if (before) await p.setViewportSize(before);
      }
    });
  });

  test(`step 9: "Fitcheck: Watch Run…" on a folder that the real Keras train/ and validation/ event files are appended to, record by record, shows the epochs arrive live`, { skip: KERAS_SKIP }, async () => {
    await step('step9', async () => {
      const p = editor.page;
      await p.keyboard.press('Escape');
      await editor.closeAllEditors();
      await editor.dismissNotifications();
      const dest = join(workspace, KERAS_NAME);
      mkdirSync(dest, { recursive: true });

      // *Watch Run…* on the still empty folder: its run opens as soon as the first event file is there.
      await editor.runCommand('Fitcheck: Watch Run…');
      const dialog = p.locator('.quick-input-widget').first();
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      const input = dialog.locator('input').first();
      await typePath(p, input, `${dest}/`);
      await p.waitForTimeout(400);
      await input.press('Enter');
      // code-server's simple dialog first enters a typed folder; Enter on the folder itself then accepts it.
      for (let i = 0; i < 3 && await dialog.isVisible().catch(() => false); i++) {
        await p.waitForTimeout(600);
        if (await dialog.isVisible().catch(() => false)) await input.press('Enter');
      }
      assert.ok(!await dialog.isVisible().catch(() => false), `the Watch dialog did not accept ${dest}/`);
      await p.waitForTimeout(500);

      const writer = spawn(process.execPath, [join(E2E_DIR, 'append_tfevents.mjs'), KERAS_SOURCE, dest, '--delay', String(KERAS_DELAY_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      writer.stdout.on('data', (d) => { out += d; });
      writer.stderr.on('data', (d) => { err += d; });
      let writing = true;
      const writerDone = new Promise((resolve) => writer.on('close', (code) => { writing = false; resolve(code); }));
      const t0 = Date.now();
      try {
        const planned = await waitFor(async () => /FITCHECK_TFEVENTS records=(\d+) epochs=(\d+)/.exec(out), 10_000);
        assert.ok(planned, `append_tfevents.mjs did not start (stdout: ${out}; stderr: ${err})`);
        const epochs = Number(planned[2]);
        await p.locator(`.tabs-container .tab[aria-label*="Run: ${KERAS_NAME}"]`).first().waitFor({ state: 'visible', timeout: 20_000 });

        // While the writer appends: the epochs the panel's header shows, one sample every 200 ms.
        const seen = [];
        while (writing) {
          const r = await readRunPanel(p, KERAS_NAME);
          if (writing && r && r.point >= 0 && seen.at(-1)?.point !== r.point) seen.push({ point: r.point, axis: r.axis, at: Date.now() - t0, status: r.status });
          await p.waitForTimeout(200);
        }
        const code = await writerDone;
        assert.equal(code, 0, `append_tfevents.mjs failed (stderr: ${err})`);
        assert.ok(out.includes('FITCHECK_TFEVENTS_DONE'), `append_tfevents.mjs did not finish (stdout: ${out})`);
        const shown = JSON.stringify(seen);
        assert.ok(seen.length >= 3, `the panel showed fewer than 3 different epochs while the records were being appended: ${shown}`);
        assert.ok(seen.every((s, i) => i === 0 || s.point > seen[i - 1].point), `the epochs went backwards: ${shown}`);
        assert.ok(seen[0].point < epochs, `the panel first showed the run at its last epoch, not while it grew: ${shown}`);
        assert.ok(seen.every((s) => s.status === 'watching'), `status while the files grow: ${shown}`);

        // After the last record: every epoch (the header counts them from 1), with the training and validation loss drawn.
        const final = await waitFor(async () => { const r = await readRunPanel(p, KERAS_NAME); return r && r.point === epochs ? r : null; }, 15_000) ?? await readRunPanel(p, KERAS_NAME);
        await editor.screenshot('15-keras-watched-live');
        assert.equal(final?.point, epochs, `the epoch the panel shows after all ${epochs} epochs were written: ${final?.header}`);
        const loss = final.canvases.find((c) => c.label === 'Loss');
        assert.ok(loss && loss.blue > 0 && loss.yellow > 0, `the Loss chart lacks the training (blue) or validation (yellow) curve: ${JSON.stringify(final.canvases)}`);
        console.error(`[e2e] step 9: ${epochs} Keras epochs; while appending the panel showed ${seen.map((s) => `${s.axis} ${s.point}@${(s.at / 1000).toFixed(1)}s`).join(', ')}; writing took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } finally {
        writer.kill();
      }
    });
  });

  test(`step 10: the CodeLens "Run with Monitor" on ${MONITOR_SCRIPT} runs it, the panel fills live, a fitcheck-run diagnostic lands on line ${MONITOR_FIRST_LAYER_LINE}, and Stop Monitored Run ends the process`, { skip: MONITOR_SKIP }, async () => {
    await step('step10', async () => {
      const p = editor.page;
      const scriptPath = join(workspace, MONITOR_SCRIPT);
      await p.keyboard.press('Escape');
      await editor.closeAllEditors();
      await editor.dismissNotifications();
      try {
        await editor.openFile(MONITOR_SCRIPT);
        // The lens sits above the main guard, below the first screenful: scroll it into view.
        const guardLine = readFileSync(scriptPath, 'utf8').split('\n').findIndex((l) => l.startsWith('if __name__')) + 1;
        await editor.gotoLine(guardLine, 1);
        const lens = p.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run with Monitor' }).first();
        await lens.waitFor({ state: 'visible', timeout: 30_000 });
        const t0 = Date.now();
        await lens.click();

        // The script runs in a terminal with the interpreter of fitcheck.python.path.
        const pids = await waitFor(async () => { const ps = processesMentioning(scriptPath); return ps.length ? ps : null; }, 20_000);
        assert.ok(pids, `no process runs ${scriptPath} after the CodeLens was clicked`);

        // The panel opens by itself once the monitor writes, and grows while the script trains.
        const runTab = p.locator(`.tabs-container .tab[aria-label*="Run: ${MONITOR_NAME}"]`).first();
        await runTab.waitFor({ state: 'visible', timeout: 60_000 });
        const tabLabel = await runTab.getAttribute('aria-label');
        const first = await waitFor(async () => { const r = await readRunPanel(p, MONITOR_NAME); return r && r.point > 0 ? r : null; }, 30_000);
        assert.ok(first, `the monitored run's panel shows no progress (${JSON.stringify(await readRunPanel(p, MONITOR_NAME))})`);
        const later = await waitFor(async () => { const r = await readRunPanel(p, MONITOR_NAME); return r && r.point > first.point && r.canvases.some((c) => c.blue > 0) ? r : null; }, 30_000);
        assert.ok(later, `the panel did not grow past ${first.axis} ${first.point}, or drew no curve (${JSON.stringify(await readRunPanel(p, MONITOR_NAME))})`);
        await editor.screenshot('16-monitored-run-panel');
        const filledAt = Date.now() - t0;

        // The runtime evidence, on the line that creates the first layer, in the script's editor.
        await editor.openFile(MONITOR_SCRIPT);
        const runtimeMarker = (h) => h.parts.find((part) => part.kind === 'marker' && part.source === 'fitcheck-run');
        const hover = await editor.hoverAt(MONITOR_FIRST_LAYER_LINE, 9, { timeoutMs: 60_000, waitFor: (h) => runtimeMarker(h)?.code === 'vanishing-gradients' });
        await editor.screenshot('17-monitored-run-diagnostic');
        const measured = runtimeMarker(hover);
        assert.ok(measured, `no fitcheck-run diagnostic on line ${MONITOR_FIRST_LAYER_LINE}; its hover: ${hover.text}`);
        assert.equal(measured.code, 'vanishing-gradients', `the fitcheck-run diagnostic on line ${MONITOR_FIRST_LAYER_LINE}: ${measured.text}`);
        assert.match(measured.message, /^In run monitor_sigmoid, step \d+: layer 0's gradient norm was/, measured.text);
        await p.keyboard.press('Escape');

        // Its quick fix menu opens the run at the step it was measured (the panel comes to the front).
        // The run goes on, so the step in the action's title moves: matched by pattern.
        const openAtTitle = /^Open run \S+ at step \d+$/;
        const runPanelInFront = p.locator(`.editor-group-container.active .tab.active[aria-label*="Run: ${MONITOR_NAME}"]`);
        assert.equal(await runPanelInFront.count(), 0, 'the script\'s editor group is the active one before the action');
        const shownActions = await editor.applyCodeAction(MONITOR_FIRST_LAYER_LINE, 9, openAtTitle);
        const openAt = { title: shownActions.find((t) => openAtTitle.test(t)) };
        await runPanelInFront.first().waitFor({ state: 'visible', timeout: 15_000 });
        assert.ok(processesMentioning(scriptPath).length > 0, 'the script ended before Stop was pressed (the step needs it running)');

        // Stop ends it: SIGINT to the terminal's process group, SIGKILL 5 s later.
        await editor.runCommand('Fitcheck: Stop Monitored Run');
        const gone = await waitFor(async () => processesMentioning(scriptPath).length === 0, 15_000);
        assert.ok(gone, `${MONITOR_SCRIPT} still runs 15 s after Stop Monitored Run (pids ${processesMentioning(scriptPath).join(', ')})`);
        assert.ok(tabLabel?.includes(MONITOR_NAME), `the monitored run's panel is named after its script (${MONITOR_NAME}): ${tabLabel}`);
        console.error(`[e2e] step 10: panel "${tabLabel}" filled (${later.axis} ${later.point}) ${(filledAt / 1000).toFixed(1)} s after the click; fitcheck-run on line ${MONITOR_FIRST_LAYER_LINE}: ${measured.text.slice(0, 160)}; "${openAt.title}" brought the panel forward; stopped after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } finally {
        for (const pid of processesMentioning(scriptPath)) {
          try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
        }
      }
    });
  });
});
