// Real-editor e2e harness: code-server 4.100.3 (VS Code 1.100) driven by Debian's chromium
// through playwright-core. Plain ESM, Node 20, no dependencies beyond playwright-core.
//
//   const s = await startEditor({ workspace, vsix, artifactsDir });
//   try { await s.openFile('train_bad.py'); const rows = await s.problems(); ... }
//   finally { await s.close(); }
//
// Everything started here (code-server and its children, chromium) is tracked and is
// killed by close(), by a failing start, and on SIGINT/SIGTERM/exit of this process.

import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, createWriteStream, existsSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import net from 'node:net';

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(E2E_DIR, '..', '..');
export const ARTIFACTS_DIR = join(E2E_DIR, 'artifacts');
export const CACHE_DIR = process.env.FITCHECK_E2E_CACHE || join(homedir(), '.cache', 'fitcheck-e2e');
// Debian's /usr/bin/chromium is a shell wrapper that sources /etc/chromium.d (API keys, extra
// flags such as --enable-remote-extensions) and execs /usr/lib/chromium/chromium; launch the
// binary itself so only our flags apply, and fall back to the wrapper elsewhere.
export const CHROMIUM = process.env.FITCHECK_E2E_CHROMIUM
  || (existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

// The notebook editor's cells (in its overlay, see openNotebook()).
const NOTEBOOK_CELLS = '.notebookOverlay .cell-list-container .monaco-list-row';

const log = (...a) => { if (process.env.FITCHECK_E2E_QUIET !== '1') console.error('[e2e]', ...a); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ process tracking / cleanup

const live = new Set(); // { name, kill(): Promise<void>, killSync(): void }

function killGroupSync(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* gone */ }
  try { process.kill(pid, signal); } catch { /* gone */ }
}

function isAlive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

function groupAlive(pgid) {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

/**
 * Pids of live processes whose command line mentions `marker` (the session's unique temp
 * folder): code-server's helpers and chromium's crashpad handlers that left their group.
 */
export function processesMentioning(marker) {
  const pids = [];
  let entries;
  try { entries = readdirSync('/proc'); } catch { return pids; }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.includes(marker)) pids.push(Number(e));
    } catch { /* exited */ }
  }
  return pids;
}

/** Kills a detached child's whole process group: SIGTERM, then SIGKILL after graceMs. */
async function killGroup(pid, graceMs = 3000) {
  if (!pid) return;
  killGroupSync(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (groupAlive(pid) || isAlive(pid))) await sleep(100);
  if (groupAlive(pid) || isAlive(pid)) killGroupSync(pid, 'SIGKILL');
  const hard = Date.now() + 2000;
  while (Date.now() < hard && (groupAlive(pid) || isAlive(pid))) await sleep(50);
}

const tempDirs = new Set(); // removed on exit unless FITCHECK_E2E_KEEP=1

function cleanupSync() {
  for (const p of live) p.killSync();
  live.clear();
  for (const d of tempDirs) {
    for (const pid of processesMentioning(d)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    if (process.env.FITCHECK_E2E_KEEP !== '1') {
      try { rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
    }
  }
  tempDirs.clear();
}

let hooksInstalled = false;
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', cleanupSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      cleanupSync();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

const TEMP_PREFIX = 'fitcheck-e2e-';
const OWNER_FILE = '.fitcheck-e2e-owner';

/** A fresh temp folder owned by this process (its pid is written inside, for reapStale()). */
export function makeTempDir(kind = 'session') {
  installExitHooks();
  const d = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${kind}-`));
  writeFileSync(join(d, OWNER_FILE), String(process.pid));
  tempDirs.add(d);
  return d;
}

/**
 * Cleans up after earlier runs that were killed hard (SIGKILL, power loss): for each
 * $TMPDIR/fitcheck-e2e-* folder whose owner process is gone, kills the processes started
 * for it (code-server, chromium) and removes it. Folders of live runs are left alone.
 */
export function reapStale() {
  let names;
  try { names = readdirSync(tmpdir()).filter((n) => n.startsWith(TEMP_PREFIX)); } catch { return 0; }
  let reaped = 0;
  for (const n of names) {
    const d = join(tmpdir(), n);
    let owner;
    try { owner = Number(readFileSync(join(d, OWNER_FILE), 'utf8')); } catch { continue; } // not ours
    if (owner === process.pid || (owner > 0 && isAlive(owner))) continue;
    for (const pid of processesMentioning(d)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    try { rmSync(d, { recursive: true, force: true }); reaped++; } catch { /* best effort */ }
  }
  if (reaped) log(`removed ${reaped} stale e2e folder(s) from earlier runs`);
  return reaped;
}

// ------------------------------------------------------------------ provisioning / lookup

/** Runs provision.sh (idempotent; ~0.1 s when the cache is complete). Returns code-server's entry.js. */
export function provision({ timeoutMs = 15 * 60_000 } = {}) {
  const script = join(E2E_DIR, 'provision.sh');
  const t0 = Date.now();
  const r = spawnSync('bash', [script], {
    env: { ...process.env, FITCHECK_E2E_CACHE: CACHE_DIR },
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) {
    const tail = `${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`test/e2e/provision.sh failed (exit ${r.status}${r.signal ? `, signal ${r.signal}` : ''}):\n${tail}`);
  }
  const m = /^CODE_SERVER=(.+)$/m.exec(r.stdout);
  if (!m || !existsSync(m[1])) throw new Error(`provision.sh did not report a code-server entry point:\n${r.stdout}`);
  log(`provisioned in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return m[1];
}

/** playwright-core: the repo's devDependency when present, else the copy in the e2e cache. */
export async function loadPlaywright() {
  const candidates = [join(REPO_ROOT, 'package.json'), join(CACHE_DIR, 'playwright-core', 'package.json')];
  for (const from of candidates) {
    try {
      const req = createRequire(from);
      const p = req.resolve('playwright-core');
      const mod = await import(pathToFileURL(p).href);
      return mod.chromium ? mod : mod.default;
    } catch { /* next */ }
  }
  throw new Error('playwright-core not found: add it as a devDependency or run test/e2e/provision.sh');
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

// ------------------------------------------------------------------ code-server

function codeServerArgs(dirs) {
  return [
    '--config', dirs.config,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
}

function codeServerEnv(dirs) {
  // Keep code-server from writing to ~/.config/code-server or ~/.local/share/code-server.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
  };
  delete env.VSCODE_IPC_HOOK_CLI; delete env.VSCODE_PROXY_URI; delete env.PASSWORD; delete env.HASHED_PASSWORD;
  delete env.NODE_OPTIONS; delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** Installs a .vsix into the session's extensions dir (a separate, short-lived code-server CLI run). */
export function installExtension(entry, dirs, vsix, { timeoutMs = 120_000 } = {}) {
  const r = spawnSync(process.execPath, [entry, ...codeServerArgs(dirs), '--install-extension', vsix, '--force'], {
    env: codeServerEnv(dirs), encoding: 'utf8', timeout: timeoutMs,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed|already installed/i.test(out)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${out}`);
  }
  return out.trim();
}

async function waitForHttp(url, { timeoutMs, proc, logFile }) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`code-server exited early (code ${proc.exitCode}, signal ${proc.signalCode}); see ${logFile}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      lastErr = new Error(`HTTP ${res.status}`);
    } catch (e) { lastErr = e; }
    await sleep(200);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms (${lastErr?.message}); see ${logFile}`);
}

// ------------------------------------------------------------------ the session

/**
 * Starts code-server on a free 127.0.0.1 port with fresh user-data and extensions dirs,
 * installs `vsix` first (if given), launches headless chromium on the workbench with
 * ?folder=<workspace>, and waits until the workbench is ready. `settings` are added to the
 * user settings (e.g. {'fitcheck.trace.server': 'verbose'}).
 */
export async function startEditor({
  workspace,
  vsix,
  codeServerEntry,
  artifactsDir = ARTIFACTS_DIR,
  viewport = { width: 1600, height: 1000 },
  startTimeoutMs = 90_000,
  settings = {},
} = {}) {
  if (!workspace) throw new Error('startEditor: workspace folder is required');
  installExitHooks();
  reapStale();
  const entry = codeServerEntry ?? provision();
  mkdirSync(artifactsDir, { recursive: true });
  const root = makeTempDir('session');
  const dirs = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    config: join(root, 'config.yaml'),
    xdgConfig: join(root, 'xdg-config'),
    xdgData: join(root, 'xdg-data'),
    xdgCache: join(root, 'xdg-cache'),
    browser: join(root, 'chromium-profile'),
  };
  for (const d of [dirs.userData, dirs.extensions, dirs.xdgConfig, dirs.xdgData, dirs.xdgCache, dirs.browser]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  // Quiet, deterministic editor: no welcome page, no tips, no auto-save surprises.
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'editor.hover.delay': 300,
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'window.commandCenter': false,
    'chat.commandCenter.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    ...settings,
  }, null, 2));

  const session = new EditorSession({ dirs, artifactsDir, workspace: resolve(workspace) });
  try {
    if (vsix) {
      const t = Date.now();
      const out = installExtension(entry, dirs, resolve(vsix));
      log(`installed ${basename(vsix)} in ${Date.now() - t} ms: ${out.split('\n').pop()}`);
    }
    await session._startCodeServer(entry, startTimeoutMs);
    await session._startBrowser(viewport);
    await session.waitForWorkbench(startTimeoutMs);
    return session;
  } catch (e) {
    await session.close();
    throw e;
  }
}

export class EditorSession {
  constructor({ dirs, artifactsDir, workspace }) {
    this.dirs = dirs;
    this.artifactsDir = artifactsDir;
    this.workspace = workspace;
    this.port = 0;
    this.url = '';
    this.codeServer = null;
    this.context = null;
    this.page = null;
    this.consoleErrors = [];
    this._closed = false;
    this._tracked = [];
  }

  _track(entry) { live.add(entry); this._tracked.push(entry); }

  async _startCodeServer(entry, timeoutMs) {
    this.port = await freePort();
    const logFile = join(this.artifactsDir, 'code-server.log');
    const out = createWriteStream(logFile);
    const proc = spawn(process.execPath, [
      entry, ...codeServerArgs(this.dirs), '--bind-addr', `127.0.0.1:${this.port}`, this.workspace,
    ], { env: codeServerEnv(this.dirs), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.pipe(out);
    proc.stderr.pipe(out);
    this.codeServer = proc;
    this.codeServerLog = logFile;
    const pid = proc.pid;
    this._track({
      name: `code-server (${pid})`,
      kill: () => killGroup(pid),
      killSync: () => killGroupSync(pid, 'SIGKILL'),
    });
    await waitForHttp(`http://127.0.0.1:${this.port}/healthz`, { timeoutMs, proc, logFile });
    this.url = `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}`;
    log(`code-server ${pid} on ${this.url}`);
  }

  async _startBrowser(viewport) {
    const { chromium } = await loadPlaywright();
    this.context = await chromium.launchPersistentContext(this.dirs.browser, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
      timeout: 60_000,
      // Keep chromium's crashpad database and caches inside the session's temp folder
      // (by default they go to ~/.config/chromium/Crash Reports).
      env: { ...process.env, XDG_CONFIG_HOME: this.dirs.xdgConfig, XDG_CACHE_HOME: this.dirs.xdgCache },
    });
    const browserProc = this.context.browser()?.process?.() ?? null;
    const bpid = browserProc?.pid;
    const ctx = this.context;
    this._track({
      name: `chromium (${bpid ?? '?'})`,
      kill: async () => {
        try { await Promise.race([ctx.close(), sleep(5000)]); } catch { /* already closed */ }
        if (bpid) await killGroup(bpid, 1000);
      },
      killSync: () => { if (bpid) killGroupSync(bpid, 'SIGKILL'); },
    });
    this.page = this.context.pages()[0] ?? await this.context.newPage();
    this.page.setDefaultTimeout(30_000);
    this.page.on('console', (m) => { if (m.type() === 'error') this.consoleErrors.push(m.text()); });
    this.page.on('pageerror', (e) => this.consoleErrors.push(String(e)));
    await this.page.goto(this.url, { waitUntil: 'domcontentloaded' });
  }

  /** The workbench is ready when its parts are drawn and the explorer shows the folder. */
  async waitForWorkbench(timeoutMs = 90_000) {
    const p = this.page;
    await p.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
    await p.locator('.part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    await p.locator('.part.sidebar, .part.editor').first().waitFor({ state: 'visible', timeout: timeoutMs });
    // The file explorer lists the workspace once the remote file system is connected.
    await p.locator('.explorer-folders-view .monaco-list-row').first()
      .waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => {});
    // Let the initial layout, notifications and extension activation settle.
    await sleep(1000);
    await this.dismissNotifications();
  }

  async dismissNotifications() {
    const p = this.page;
    // "Clear All Notifications" keeps toasts from covering the Problems panel in screenshots.
    const toasts = p.locator('.notifications-toasts .notification-toast');
    if (await toasts.count()) {
      await this.runCommand('Notifications: Clear All Notifications').catch(() => {});
    }
  }

  // ---------------------------------------------------------------- quick input

  async _quickInput(prefixKey) {
    const p = this.page;
    const widget = p.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    if (await widget.isVisible()) {
      await p.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    }
    // Focus the workbench (not a webview or the terminal) before the shortcut.
    await this._focusWorkbench();
    await p.keyboard.press(prefixKey);
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    return { widget, input };
  }

  async _focusWorkbench() {
    const p = this.page;
    const editor = p.locator('.part.editor .monaco-editor textarea.inputarea, .part.editor .monaco-editor .native-edit-context').first();
    if (await editor.count() && await editor.isVisible().catch(() => false)) {
      await editor.focus().catch(() => {});
    } else {
      await p.locator('.part.statusbar').click({ position: { x: 1, y: 1 } }).catch(() => {});
    }
  }

  /** Rows of the open quick input: [{label, ariaLabel, description}]. */
  async quickInputRows() {
    return this.page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) => rows.map((r) => ({
      ariaLabel: r.getAttribute('aria-label') ?? '',
      label: (r.querySelector('.quick-input-list-label .label-name, .monaco-icon-label .label-name, .monaco-highlighted-label')?.textContent ?? '').trim(),
      description: (r.querySelector('.label-description')?.textContent ?? '').trim(),
      focused: r.classList.contains('focused'),
    })));
  }

  /** Runs a command from the command palette (F1) by its exact title, e.g. "View: Focus Problems". */
  async runCommand(title, { timeoutMs = 15_000 } = {}) {
    const p = this.page;
    let opened;
    for (let attempt = 1; ; attempt++) {
      opened = await this._quickInput('F1');
      // The palette closes when focus moves (a webview finishing its load takes it): open it again.
      const filled = await opened.input.fill(`>${title}`, { timeout: 5000 }).then(() => true, (error) => { if (attempt >= 3) throw error; return false; });
      if (filled) break;
    }
    const { widget } = opened;
    const deadline = Date.now() + timeoutMs;
    let rows = [];
    while (Date.now() < deadline) {
      rows = await this.quickInputRows();
      const idx = rows.findIndex((r) => r.label === title || r.ariaLabel === title || r.ariaLabel.startsWith(`${title},`) || r.ariaLabel.startsWith(`${title} `));
      if (idx >= 0) {
        await widget.locator('.quick-input-list .monaco-list-row').nth(idx).click();
        await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
        return;
      }
      await sleep(150);
    }
    await p.keyboard.press('Escape');
    throw new Error(`command "${title}" not found in the command palette; rows: ${JSON.stringify(rows.map((r) => r.label))}`);
  }

  /**
   * Opens a workspace file via Quick Open (Ctrl+P), typing its relative path. `.ipynb` files
   * must open in the notebook editor (see openNotebook()).
   */
  async openFile(relPath, { timeoutMs = 20_000 } = {}) {
    if (relPath.endsWith('.ipynb')) return this.openNotebook(relPath, { timeoutMs });
    await this._quickOpen(relPath, { timeoutMs });
    await this.page.locator('.part.editor .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: timeoutMs });
    await this._focusWorkbench();
  }

  /**
   * Opens a notebook via Quick Open and waits for a code cell in the notebook editor.
   * VS Code draws the notebook editor in an overlay (`.notebookOverlay`, a child of
   * `.monaco-workbench`) laid over an empty placeholder in `.part.editor`. Throws a readable
   * error when the file opens as text or not at all (no notebook serializer).
   */
  async openNotebook(relPath, { timeoutMs = 30_000 } = {}) {
    const p = this.page;
    await this._quickOpen(relPath, { timeoutMs });
    // Wait for a code cell: a markdown cell's row counts as hidden to playwright (its rendering is in a webview).
    const cells = p.locator(`${NOTEBOOK_CELLS}.code-cell-row`);
    try {
      await cells.first().waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      const textEditor = await p.locator('.part.editor .monaco-editor .view-lines').first().isVisible().catch(() => false);
      const toasts = await this.notificationTexts();
      const placeholder = await p.locator('.part.editor .editor-placeholder, .part.editor .monaco-editor-pane-placeholder').first()
        .innerText().catch(() => '');
      throw new Error(`${relPath} did not open in the notebook editor within ${timeoutMs} ms: `
        + (textEditor ? 'it opened as plain text (no notebook serializer for it: is the built-in ipynb extension there?)' : 'no notebook cells were drawn')
        + (placeholder ? `; the editor says: ${placeholder}` : '')
        + (toasts.length ? `; notifications: ${toasts.join(' | ')}` : ''));
    }
  }

  async _quickOpen(relPath, { timeoutMs }) {
    const p = this.page;
    const name = basename(relPath);
    const { widget, input } = await this._quickInput('Control+P');
    await input.fill(relPath);
    const deadline = Date.now() + timeoutMs;
    let rows = [];
    // The list is redrawn as results arrive ("recently opened" first, then file results), so
    // click the row by its label rather than by a position read a moment earlier.
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const row = widget.locator('.quick-input-list .monaco-list-row')
      .filter({ has: p.locator('.label-name', { hasText: new RegExp(`^\\s*${escaped}\\s*$`) }) }).first();
    let opened = false;
    while (!opened && Date.now() < deadline) {
      rows = await this.quickInputRows();
      if (rows.some((r) => r.label === name)) {
        opened = await row.click({ timeout: 2000 }).then(() => true, () => false);
      }
      if (!opened) await sleep(200);
    }
    if (!opened) {
      await p.keyboard.press('Escape');
      throw new Error(`Quick Open found no "${relPath}"; rows: ${JSON.stringify(rows)}`);
    }
    await p.locator(`.tabs-container .tab.active[aria-label*="${name}"], .title .label-name:text-is("${name}")`).first()
      .waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** Opens (focuses) the Problems panel. */
  async openProblems() {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)').catch(async () => {
      await this._focusWorkbench();
      await this.page.keyboard.press('Control+Shift+M');
    });
    await this.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
  }

  /**
   * Reads the Problems panel: [{file, path, message, code, source, severity, line, column, related}].
   * Marker rows carry an aria-label "Error: <message> at line L and character C. generated by <source>";
   * the code is drawn in the row (.marker-code), and the file is the preceding resource row.
   * `related` lists the diagnostic's relatedInformation rows ({message, line, column, file}).
   * The panel's tree is virtualised: only rows in view are in the DOM (about 13 at 1000 px).
   */
  async readProblems() {
    return this.page.$$eval('.markers-panel .monaco-list-row', (rows) => {
      const out = [];
      let file = null;
      let path = null;
      const sorted = rows
        .map((r) => ({ r, idx: Number(r.getAttribute('data-index') ?? 0) }))
        .sort((a, b) => a.idx - b.idx)
        .map((x) => x.r);
      for (const r of sorted) {
        const aria = r.getAttribute('aria-label') ?? '';
        const level = Number(r.getAttribute('aria-level') ?? '0');
        const resource = r.querySelector('.markers-panel-tree-resource, .resource-label-container, .file-icon');
        const markerEl = r.querySelector('.marker-message-details-container, .marker-message-line');
        if (level === 1 && !markerEl) {
          file = (r.querySelector('.label-name')?.textContent ?? '').trim() || file;
          path = r.querySelector('.monaco-icon-label[aria-label]')?.getAttribute('aria-label') ?? null;
          continue;
        }
        if (!markerEl && !resource) {
          // Related information rows (aria-level 3) follow their marker:
          // "<message> at line L and character C in <file>".
          const rel = /^([\s\S]*?) at line (\d+) and character (\d+) in (.+)$/.exec(aria);
          if (rel && out.length && level > 2) {
            out[out.length - 1].related.push({ message: rel[1].trim(), line: Number(rel[2]), column: Number(rel[3]), file: rel[4].trim() });
          }
          continue;
        }
        const m = /^(Error|Warning|Info)\s*:\s*([\s\S]*?) at line (\d+) and character (\d+)\.[\s\S]*?(?:generated by (.+?))?\s*$/.exec(aria);
        const codeEl = r.querySelector('.marker-code');
        let code = (codeEl?.textContent ?? '').trim();
        code = code.replace(/^\(|\)$/g, '');
        const sourceEl = r.querySelector('.marker-source');
        const lineEl = r.querySelector('.marker-line');
        const lc = /Ln\s*(\d+),\s*Col\s*(\d+)/.exec(lineEl?.textContent ?? '');
        const msgEl = r.querySelector('.marker-message');
        out.push({
          file,
          path,
          severity: m ? m[1].toLowerCase() : (r.querySelector('.codicon-error') ? 'error' : r.querySelector('.codicon-warning') ? 'warning' : 'info'),
          message: (msgEl?.textContent ?? '').trim() || (m ? m[2].trim() : ''),
          code,
          source: (sourceEl?.textContent ?? '').trim() || (m?.[5] ?? '').trim(),
          line: Number(m?.[3] ?? lc?.[1] ?? NaN),
          column: Number(m?.[4] ?? lc?.[2] ?? NaN),
          related: [],
          ariaLabel: aria,
        });
      }
      return out;
    });
  }

  /** Opens the Problems panel and polls until `predicate(rows)` holds (or times out); returns the rows. */
  async problems({ predicate = (rows) => rows.length > 0, timeoutMs = 30_000 } = {}) {
    await this.openProblems();
    const deadline = Date.now() + timeoutMs;
    let rows = [];
    while (Date.now() < deadline) {
      rows = await this.readProblems();
      if (predicate(rows)) return rows;
      await sleep(300);
    }
    return rows;
  }

  /** Moves the cursor via Go to Line (Ctrl+G) to `line` (1-based), optionally `column`. */
  async gotoLine(line, column) {
    const { widget, input } = await this._quickInput('Control+G');
    // Ctrl+G opens the quick input pre-filled with the ":" prefix; fill() replaces it, so keep it.
    await input.fill(column ? `:${line}:${column}` : `:${line}`);
    await sleep(150);
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    // The status bar shows "Ln L, Col C" once the cursor has moved.
    const want = column ? `Ln ${line}, Col ${column}` : `Ln ${line},`;
    await this.page.locator('.statusbar-item', { hasText: want }).first()
      .waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
  }

  /**
   * Puts the cursor at line:column and runs "Show or Focus Hover"; returns
   * {text, parts: [{kind: 'marker'|'markdown', text}]} read from `.monaco-hover`.
   */
  async hoverAt(line, column, { timeoutMs = 15_000, waitFor } = {}) {
    await this.gotoLine(line, column);
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
    const deadline = Date.now() + timeoutMs;
    let last = { text: '', parts: [] };
    for (;;) {
      await this.runCommand('Show or Focus Hover');
      try {
        await hover.waitFor({ state: 'visible', timeout: 4000 });
        // Hover parts arrive asynchronously (markers first, providers later).
        for (let i = 0; i < 10; i++) {
          last = await this._readHover();
          if (!waitFor || waitFor(last)) return last;
          await sleep(300);
        }
      } catch { /* not shown yet: retry */ }
      // Out of time: leave the hover open so a screenshot shows what was there.
      if (Date.now() >= deadline) return last;
      await this.page.keyboard.press('Escape');
      await sleep(300);
    }
  }

  async _readHover() {
    // VS Code 1.100 hover DOM: .monaco-hover > .monaco-hover-content > .hover-row*
    //   diagnostics: .hover-row > .marker.hover-contents > span(message) span(span(source) a.code-link(code))
    //                  (a code without a link: span(message) span("source(code)"))
    //                  div(a("file(line, col): ") span(related message))*
    //   providers:   .hover-row > .hover-row-contents > .markdown-hover > .hover-contents > .rendered-markdown
    //   actions:     .hover-row.status-bar ("View Problem", "Quick Fix...")
    return this.page.$$eval('.monaco-editor .monaco-hover:not(.hidden)', (hovers) => {
      const txt = (el) => (el?.innerText ?? el?.textContent ?? '').trim();
      const parts = [];
      for (const h of hovers) {
        for (const row of h.querySelectorAll('.hover-row')) {
          const marker = row.querySelector('.marker.hover-contents');
          if (marker) {
            const spans = marker.querySelectorAll(':scope > span');
            const link = marker.querySelector('a.code-link');
            const meta = spans[1];
            // A code with a link: span(span(source) a.code-link(span(code))); a plain string code: span("source(code)").
            const plain = meta && !link && !meta.querySelector(':scope > span') ? /^([\s\S]*?)(?:\(([^()]*)\))?$/.exec(txt(meta)) : null;
            const source = plain ? plain[1].trim() : meta ? txt(meta.querySelector(':scope > span')) : '';
            const code = link ? txt(link) : plain?.[2] ?? '';
            const message = txt(spans[0]);
            // relatedInformation: <div><a>file(line, col): </a><span>message</span></div>
            const related = [...marker.querySelectorAll(':scope > div')].map((d) => {
              const where = /^(.*)\((\d+), (\d+)\):?\s*$/.exec(txt(d.querySelector('a')));
              return { message: txt(d.querySelector('span')), file: where?.[1] ?? '', line: Number(where?.[2] ?? NaN), column: Number(where?.[3] ?? NaN) };
            });
            parts.push({ kind: 'marker', message, source, code, href: link?.getAttribute('href') ?? null, related,
              text: [message, source && code ? `${source}(${code})` : source || code].filter(Boolean).join(' ') });
          } else if (row.classList.contains('status-bar')) {
            parts.push({ kind: 'actions', text: txt(row) });
          } else {
            const md = row.querySelector('.rendered-markdown') ?? row;
            const text = txt(md);
            if (text) parts.push({ kind: 'markdown', text, html: md.innerHTML });
          }
        }
      }
      return { text: parts.map((p) => p.text).join('\n'), parts };
    });
  }

  // ---------------------------------------------------------------- editing

  /**
   * The active text editor's text, read from its rendered lines (`.view-line`, sorted by
   * position; non-breaking spaces turned back into spaces). Only lines in view are
   * rendered, so this is the whole text only for files that fit the editor (~45 lines).
   */
  async editorText() {
    return this.page.$eval('.part.editor .editor-group-container.active .monaco-editor .view-lines', (el) => [...el.querySelectorAll('.view-line')]
      .map((l) => ({ top: parseFloat(l.style.top) || 0, text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n'));
  }

  /** Polls editorText() until `predicate(text)` holds (or times out); returns the last text. */
  async waitForEditorText(predicate, { timeoutMs = 10_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let text;
    for (;;) {
      text = await this.editorText().catch(() => '');
      if (predicate(text) || Date.now() >= deadline) return text;
      await sleep(200);
    }
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
  async save({ timeoutMs = 10_000 } = {}) {
    await this._focusWorkbench();
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: timeoutMs });
  }

  /** Saves all editors, then closes them (no "save changes?" dialog). */
  async closeAllEditors() {
    if (await this.page.locator('.tabs-container .tab.dirty').count()) await this.runCommand('File: Save All');
    // The palette can close before the command runs (a webview taking focus): check, and try again.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await this.runCommand('View: Close All Editors').catch((error) => console.error(`[e2e] Close All Editors, attempt ${attempt}: ${error.message}`));
      const closed = await this.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).then(() => true, () => false);
      if (closed) return;
    }
    const left = await this.page.$$eval('.tabs-container .tab', (ts) => ts.map((t) => t.getAttribute('aria-label'))).catch(() => []);
    console.error(`[e2e] tabs still open after three "Close All Editors": ${JSON.stringify(left)}`);
  }

  /**
   * Opens the quick fix menu (Ctrl+.) at line:column and returns its actions:
   * [{title, focused, disabled}] read from the action widget (group headers left out).
   * The menu stays open; applyCodeAction() picks from it, Escape closes it.
   */
  async codeActions(line, column, { timeoutMs = 15_000 } = {}) {
    const p = this.page;
    const widget = p.locator('.action-widget');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.gotoLine(line, column);
      await this._focusWorkbench();
      await p.keyboard.press('Control+.');
      try {
        await widget.locator('.monaco-list-row.action').first().waitFor({ state: 'visible', timeout: 4000 });
        await sleep(300); // providers answer asynchronously; let the list settle
        return await this._readActionWidget();
      } catch {
        // "No code actions available" shows a message instead of a list; retry until the deadline.
        if (Date.now() >= deadline) return [];
        await p.keyboard.press('Escape');
        await sleep(500);
      }
    }
  }

  async _readActionWidget() {
    return this.page.$$eval('.action-widget .monaco-list-row.action', (rows) => rows
      .map((r) => ({ idx: Number(r.getAttribute('data-index')), r }))
      .sort((a, b) => a.idx - b.idx)
      .map(({ r }) => ({
        title: r.getAttribute('aria-label') || (r.querySelector('.title')?.textContent ?? '').trim(),
        focused: r.classList.contains('focused'),
        disabled: r.classList.contains('option-disabled') || r.getAttribute('aria-disabled') === 'true',
      })));
  }

  /**
   * Applies the code action titled `title` (a string, or a RegExp for titles that change, such
   * as a live run's step) at line:column with the keyboard: Ctrl+., arrow keys to it, Enter.
   * Returns the titles the menu showed; throws (listing them) when the action is not there.
   */
  async applyCodeAction(line, column, title) {
    const p = this.page;
    const actions = await this.codeActions(line, column);
    const titles = actions.map((a) => a.title);
    const matches = (t) => (title instanceof RegExp ? title.test(t) : t === title);
    const target = actions.findIndex((a) => matches(a.title));
    if (target < 0) {
      await p.keyboard.press('Escape');
      throw new Error(`no code action "${title}" at ${line}:${column}; the quick fix menu shows: ${JSON.stringify(titles)}`);
    }
    for (let i = 0; i < actions.length + 2; i++) {
      const now = await this._readActionWidget();
      const at = now.findIndex((a) => a.focused);
      if (at === target) break;
      await p.keyboard.press(at < target ? 'ArrowDown' : 'ArrowUp');
      await sleep(50);
    }
    const focused = (await this._readActionWidget()).find((a) => a.focused);
    if (!focused || !matches(focused.title)) {
      await p.keyboard.press('Escape');
      throw new Error(`could not move the quick fix menu's focus to "${title}" (focused: "${focused?.title}")`);
    }
    await p.keyboard.press('Enter');
    await p.locator('.action-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    return titles;
  }

  /** Clicks the Problems panel row of the marker whose rendered text contains all of `texts` (opens it). */
  async openProblem(...texts) {
    await this.openProblems();
    let row = this.page.locator('.markers-panel .monaco-list-row:has(.marker-message-details-container)');
    for (const t of texts) row = row.filter({ hasText: t });
    // Click the message's start: the row's middle can land on the rule code, a link to its page.
    await row.first().click({ position: { x: 80, y: 10 } });
    await sleep(200);
    await this.page.keyboard.press('Enter');
  }

  /** Texts of the notification toasts on screen ([] when none, or when the page cannot be read). */
  async notificationTexts() {
    return this.page.$$eval('.notifications-toasts .notification-toast', (ts) => ts.map((t) => t.innerText.trim())).catch(() => []);
  }

  /** Texts of the status bar items, e.g. ["Ln 8, Col 5", "Cell 3 of 4", ...]. */
  async statusBarItems() {
    return this.page.$$eval('.part.statusbar .statusbar-item', (els) => els.map((e) => (e.innerText ?? '').trim()).filter(Boolean));
  }

  // ---------------------------------------------------------------- notebooks

  /**
   * Cells of the open notebook editor, in order: [{index (0-based), kind: 'code'|'markdown',
   * focused, lines: [text], errorLines: [1-based], warningLines: [1-based]}]. `lines` and the
   * squiggle lines come from each code cell's Monaco editor (markdown cells are rendered in a
   * webview: no lines). Cells scrolled out of view are not in the DOM.
   */
  async notebookCells() {
    return this.page.$$eval(NOTEBOOK_CELLS, (rows) => rows
      .map((r) => {
        const ed = r.querySelector('.monaco-editor');
        const lines = ed ? [...ed.querySelectorAll('.view-lines .view-line')]
          .map((l) => ({ top: parseFloat(l.style.top) || 0, text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
          .sort((a, b) => a.top - b.top) : [];
        // Squiggles are drawn in .view-overlays, one absolutely positioned div per line.
        const lineAt = (top) => { const i = lines.findIndex((l) => Math.abs(l.top - top) < 2); return i < 0 ? NaN : i + 1; };
        const squiggles = (cls) => (ed ? [...ed.querySelectorAll('.view-overlays > div')] : [])
          .filter((d) => d.querySelector(`.${cls}`))
          .map((d) => lineAt(parseFloat(d.style.top) || 0));
        return {
          index: Number(r.getAttribute('data-index')),
          kind: r.classList.contains('code-cell-row') ? 'code' : 'markdown',
          focused: r.classList.contains('focused'),
          lines: lines.map((l) => l.text),
          errorLines: squiggles('squiggly-error'),
          warningLines: squiggles('squiggly-warning'),
        };
      })
      .sort((a, b) => a.index - b.index));
  }

  // ---------------------------------------------------------------- extension logs

  /** The session's VS Code log folder (user-data/logs/<timestamp>), or null before one exists. */
  logsDir() {
    const root = join(this.dirs.userData, 'logs');
    let runs;
    try { runs = readdirSync(root).sort(); } catch { return null; }
    return runs.length ? join(root, runs[runs.length - 1]) : null;
  }

  /**
   * The text of an extension's output channel as logged by the extension host, e.g.
   * extensionLog('fitcheck.fitcheck', 'Fitcheck'); '' when there is none (yet).
   */
  extensionLog(extensionId, channel) {
    const dir = this.logsDir();
    if (!dir) return '';
    let hosts;
    try { hosts = readdirSync(dir).filter((d) => d.startsWith('exthost')); } catch { return ''; }
    return hosts.map((h) => {
      try { return readFileSync(join(dir, h, extensionId, `${channel}.log`), 'utf8'); } catch { return ''; }
    }).join('');
  }

  /** Saves a full-page PNG to artifacts/<name>.png; returns its path. Never throws. */
  async screenshot(name) {
    const file = join(this.artifactsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    try {
      await this.page?.screenshot({ path: file, timeout: 10_000 });
      return file;
    } catch (e) {
      log(`screenshot ${name} failed: ${e.message}`);
      return null;
    }
  }

  /** Kills chromium and code-server (with all their children) and removes the temp folder. Idempotent. */
  async close({ keepTemp = process.env.FITCHECK_E2E_KEEP === '1' } = {}) {
    if (this._closed) return;
    this._closed = true;
    // Keep VS Code's logs (extension host, output channels such as Fitcheck's) with the artifacts.
    const logs = this.logsDir();
    if (logs) {
      try {
        rmSync(join(this.artifactsDir, 'vscode-logs'), { recursive: true, force: true });
        cpSync(logs, join(this.artifactsDir, 'vscode-logs'), { recursive: true });
      } catch (e) { log(`copying VS Code's logs: ${e.message}`); }
    }
    for (const t of [...this._tracked].reverse()) {
      try { await t.kill(); } catch (e) { log(`stopping ${t.name}: ${e.message}`); }
      live.delete(t);
    }
    // Last sweep: anything still running that was started for this session's temp folder.
    for (let i = 0; i < 3; i++) {
      const stray = processesMentioning(this.dirs.root);
      if (!stray.length) break;
      log(`killing ${stray.length} leftover process(es): ${stray.join(' ')}`);
      for (const pid of stray) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      await sleep(200);
    }
    if (!keepTemp) rmSync(this.dirs.root, { recursive: true, force: true, maxRetries: 3 });
    tempDirs.delete(this.dirs.root);
  }
}

/**
 * Parses the verbose LSP trace a vscode-languageclient writes to its output channel
 * (setting `<id>.trace.server: "verbose"`) into messages:
 * [{direction: 'sent'|'received', kind: 'request'|'notification'|'response', method, uris}],
 * `uris` being every "uri" in the message's params.
 */
export function parseLspTrace(text) {
  const out = [];
  let cur = null;
  for (const line of text.split('\n')) {
    const m = /\[Trace - [^\]]*\] (Sending|Received) (request|notification|response) '([^' ]+)/.exec(line);
    if (m) {
      cur = { direction: m[1] === 'Sending' ? 'sent' : 'received', kind: m[2], method: m[3], uris: [] };
      out.push(cur);
      continue;
    }
    const u = cur && /"uri":\s*"([^"]+)"/.exec(line);
    if (u) cur.uris.push(u[1]);
  }
  return out;
}

/**
 * Copies a fixture folder to <fresh temp folder>/<its name>; returns the copy's path.
 * The temp folder is removed at exit, or by removeFixture().
 */
export function copyFixture(src) {
  const dst = join(makeTempDir('ws'), basename(src));
  cpSync(src, dst, { recursive: true });
  return dst;
}

export function removeFixture(dir, { keep = process.env.FITCHECK_E2E_KEEP === '1' } = {}) {
  const root = dirname(dir);
  if (!tempDirs.has(root)) return;
  if (!keep) rmSync(root, { recursive: true, force: true });
  tempDirs.delete(root);
}
