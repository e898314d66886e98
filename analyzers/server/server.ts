/**
 * The Fitcheck language server: hosts the analyzers, re-analyses on edits (debounced,
 * incremental re-parse) and answers pull-diagnostic requests.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LintSettings } from '../config.js';
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, NotebookCellKind, NotebookDocuments, DocumentDiagnosticReportKind, ProposedFeatures,
  TextDocuments, TextDocumentSyncKind, FileChangeType, type Diagnostic,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigCache, mergeConfig } from '../config-file.js';
import { isScriptLanguage, Linter, readLimit, scriptLanguageOfPath, type ScriptLanguage } from '../linter.js';
import { fileKindOf, lintNotebookCells, lintText } from '../lint-file.js';
import type { PythonDocument } from '../python/document.js';
import { bundledWasmDir } from '../python/wasm-dir.js';
import { DEFAULT_DOCS_BASE } from '../engine.js';
import { VERSION } from '../version.js';
import { failedDiagnostic, skippedDiagnostic, toDiagnostic } from './diagnostics.js';
import { readLintFile } from '../read-file.js';
import { codeActionsFor } from './code-actions.js';
import { openRunActions } from './runtime/run-actions.js';
import { FIX_ALL_KIND, fixAllAction, wantsFixAll } from './fix-all.js';
import { hoverFor } from './hover.js';
import { AnalysisScheduler } from './scheduler.js';
import { exposedCollector, IdleCollector } from './idle-collector.js';
import { PythonParser } from '../python/parser.js';
import { RuntimeEvidence } from './runtime/runtime-diagnostics.js';
import { parseSettings, type FitcheckSettings } from './settings.js';
import { LintFilesRequest, RunRecordsChangedNotification, WorkspaceTrustedNotification } from './protocol.js';
import { ProjectLinter, type ModuleResult, type ProjectFinding } from '../project/project-linter.js';
import { TfjsProject } from '../project/tfjs-project.js';
import { findPythonModules } from '../project/find-modules.js';
import { defaultLintThreads } from '../pool/threads.js';
import { parseProgressOn, WorkspaceLinter } from './lint-files.js';

const DEBOUNCE_MS = 150;
/** Collects the analyses' garbage once the server is idle (see idle-collector.ts). */
const idleCollector = new IdleCollector(exposedCollector());

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const notebooks = new NotebookDocuments(TextDocument);
// Rule links open the repository's rendered page: a bundled .md file would open as raw Markdown.
// The hover carries the rule's explanation, so it reads offline too.
const docsBase = DEFAULT_DOCS_BASE;

let linter: Promise<Linter> | undefined;
let runtimeParser: Promise<PythonParser> | undefined;
/** Evidence from the latest monitored run of each script (`fitcheck run`, *Run with Monitor*). */
const runtimeEvidence = new RuntimeEvidence(() => (runtimeParser ??= PythonParser.create(bundledWasmDir(import.meta.url))));
let pullDiagnostics = false;
/** Whether the client re-pulls open documents' diagnostics when asked (findings of one module's analysis sit in others). */
let diagnosticRefresh = false;
let configurationRequests = false;
let dynamicConfigurationRegistration = false;
/** Open Python files and notebooks (by document or notebook URI), kept for incremental re-analysis. */
const parsed = new Map<string, PythonDocument>();
const settingsCache = new Map<string, Promise<FitcheckSettings>>();
const projectConfigs = new ConfigCache();
/** The pyproject answer per file, kept until the client reports a pyproject.toml change (no stat walk per keystroke). */
const projectByFile = new Map<string, ReturnType<ConfigCache['get']>>();
/** pyproject files whose problems were already logged, by path and content stamp, and settings problems already logged. */
const reportedProblems = new Set<string>();
/** Parsed pyproject answers whose problems were already looked at. */
const checkedProjects = new WeakSet<object>();
/** Problems of one pyproject.toml written to the log; the rest are counted. */
const MAX_LOGGED_PROBLEMS = 50;
let workspaceRoots: string[] = [];
/** False when the client says the workspace is untrusted (VS Code's Restricted Mode); other clients are trusted. */
let workspaceTrusted = true;

function log(message: string): void {
  connection.console.log(`[${new Date().toISOString().slice(11, 23)}] ${message}`);
}

function settingsFor(uri: string): Promise<FitcheckSettings> {
  let settings = settingsCache.get(uri);
  if (!settings) {
    settings = configurationRequests
      ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'fitcheck' }).then(parseSettings, () => parseSettings({})).then(logSettingsProblems)
      : Promise.resolve(parseSettings({}));
    settingsCache.set(uri, settings);
  }
  return settings;
}

/** Names each settings value that cannot be used, once per distinct message (settings are read per file). */
function logSettingsProblems(settings: FitcheckSettings): FitcheckSettings {
  for (const problem of settings.problems) {
    if (reportedProblems.has(problem)) continue;
    reportedProblems.add(problem);
    log(`settings: ${problem}; the value is ignored`);
  }
  return settings;
}

/** Editor settings over `[tool.fitcheck]` of the nearest pyproject.toml (file documents only). */
async function configFor(uri: string): Promise<{ enable: boolean; config: LintSettings }> {
  const settings = await settingsFor(uri);
  const filePath = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  const root = filePath ? workspaceRoots.find((r) => filePath.startsWith(r + path.sep)) : undefined;
  if (filePath && !projectByFile.has(filePath)) projectByFile.set(filePath, projectConfigs.get(filePath, root));
  const project = filePath ? projectByFile.get(filePath) : undefined;
  // Checked once per parsed file, not per keystroke: a file may hold thousands of problems.
  if (project && project.problems.length > 0 && !checkedProjects.has(project)) {
    checkedProjects.add(project);
    const key = `${project.path}:${JSON.stringify(project.problems)}`;
    if (!reportedProblems.has(key)) {
      reportedProblems.add(key);
      for (const problem of project.problems.slice(0, MAX_LOGGED_PROBLEMS)) log(`${project.path}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
      const more = project.problems.length - MAX_LOGGED_PROBLEMS;
      if (more > 0) log(`${project.path}: ${more} more problem${more === 1 ? '' : 's'} in [tool.fitcheck] (fitcheck lint lists them all)`);
    }
  }
  return { enable: settings.enable, config: mergeConfig(trustedProjectConfig(project), settings.config) };
}

/**
 * `[tool.fitcheck]` as it may apply: in an untrusted workspace the file's `max-file-size` is left out,
 * so a cloned repository cannot make the server parse more than the default (VS Code likewise ignores
 * the workspace's `fitcheck.maxFileSize` there, a restricted setting).
 */
function trustedProjectConfig(project: ReturnType<ConfigCache['get']>): LintSettings {
  if (!project) return {};
  if (workspaceTrusted || project.config.maxFileSize === undefined) return project.config;
  if (!reportedProblems.has(`untrusted:${project.path}`)) {
    reportedProblems.add(`untrusted:${project.path}`);
    log(`${project.path}: max-file-size is ignored until the workspace is trusted`);
  }
  const { maxFileSize: _ignored, ...rest } = project.config;
  return rest;
}

/**
 * The workspace's Python modules (created on the first Python analysis; none without a workspace
 * folder, where each file is linted alone). Open documents' texts override the files on disk.
 */
let project: ProjectLinter | undefined;
/** Findings an open module's analysis placed in other files: analysed file -> file it sits in -> findings. */
const contributions = new Map<string, Map<string, ProjectFinding[]>>();
/** The text each module was last analysed with: only a changed text sends its dependents to re-analysis. */
const analysedTexts = new Map<string, string>();

function projectFor(instance: Linter, file: string | undefined): ProjectLinter | undefined {
  if (!file || !file.endsWith('.py') || !workspaceRoots.some((r) => file.startsWith(r + path.sep))) return undefined;
  if (!project) {
    project = new ProjectLinter(instance, workspaceRoots, readModule);
    const started = performance.now();
    const files = findPythonModules(workspaceRoots);
    project.addFiles(files);
    log(`project model: ${files.length} Python module(s) found in ${(performance.now() - started).toFixed(0)} ms`);
  }
  return project;
}

/**
 * The workspace's TensorFlow.js project (ts-morph is loaded, and the project built, only when an open
 * tfjs module imports another project file; a script that never names tfjs costs one text search).
 */
let tfjsProject: TfjsProject | undefined;

function scriptProjectFor(instance: Linter, file: string | undefined): TfjsProject | undefined {
  if (!file || workspaceRoots.length === 0) return undefined;
  tfjsProject ??= new TfjsProject(instance, workspaceRoots, readModule);
  return tfjsProject.covers(file) ? tfjsProject : undefined;
}

function readModule(file: string): string | undefined {
  const read = readLintFile(file, readLimit({}));
  return read.ok ? read.text : undefined;
}

/** Diagnostics an open module's analysis found in `file`, besides the file's own analysis. */
function contributedTo(file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [from, byFile] of contributions) {
    if (from === file) continue;
    for (const finding of byFile.get(file) ?? []) out.push(toDiagnostic(finding, pathToFileURL(file).href));
  }
  return out;
}

/** Records where an analysis placed findings outside its file, and refreshes those files when that changed. */
function setContributions(file: string, findings: ProjectFinding[]): void {
  const byFile = new Map<string, ProjectFinding[]>();
  for (const finding of findings) {
    if (finding.file === file) continue;
    const list = byFile.get(finding.file) ?? [];
    byFile.set(finding.file, [...list, finding]);
  }
  const before = contributions.get(file);
  if (JSON.stringify([...(before ?? [])]) === JSON.stringify([...byFile])) return;
  if (byFile.size > 0) contributions.set(file, byFile);
  else contributions.delete(file);
  const touched = new Set([...(before?.keys() ?? []), ...byFile.keys()]);
  if (pullDiagnostics) {
    if (diagnosticRefresh) void connection.languages.diagnostics.refresh();
    return;
  }
  for (const target of touched) {
    const uri = pathToFileURL(target).href;
    void scheduler.result(uri).then((own) => connection.sendDiagnostics({ uri, diagnostics: [...(own ?? []), ...contributedTo(target)] }));
  }
}

/** Re-analyses the open modules whose last analysis read definitions from `file` (and only those). */
function reanalyseDependents(file: string): void {
  for (const dependent of [...(project?.dependentsOf(file) ?? []), ...(tfjsProject?.dependentsOf(file) ?? [])]) {
    if (dependent === file) continue;
    const document = documents.get(pathToFileURL(dependent).href);
    if (document) scheduler.update(document.uri, document.getText(), document.version, true);
  }
}

/** Diagnostics for a document's text; never rejects, so every diagnostic request is answered. */
async function analyze(uri: string, text: string): Promise<Diagnostic[]> {
  try {
    return await analyzeText(uri, text);
  } catch (error) {
    log(`analysis of ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
    return [failedDiagnostic(`internal error (${error instanceof Error ? error.message : String(error)}); the Fitcheck output has the details`)];
  } finally {
    idleCollector.busy();
  }
}

async function analyzeText(uri: string, text: string): Promise<Diagnostic[]> {
  const settings = await configFor(uri);
  if (!settings.enable) return [];
  const instance = await linter!;
  // The kind picks the front-end: TypeScript/JavaScript documents are linted when they import
  // TensorFlow.js (the others are dismissed after one text search); only Python keeps a parse tree.
  const kind = fileKindOf(uri, documents.get(uri)?.languageId);
  let document = kind.kind === 'python' ? parsed.get(uri) : undefined;
  if (kind.kind === 'python' && !document) parsed.set(uri, (document = instance.openDocument()));
  const started = performance.now();
  try {
    const filePath = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    const modules = kind.kind === 'python' ? projectFor(instance, filePath) : undefined;
    if (modules && filePath) return await withRuntimeEvidence(uri, text, analyzeModule(modules, uri, filePath, text, settings.config, started));
    const scripts = kind.kind === 'script' ? scriptProjectFor(instance, filePath) : undefined;
    if (scripts && filePath && kind.kind === 'script') return analyzeModule(scripts, uri, filePath, text, settings.config, started, kind.language);
    const result = lintText(instance, { path: uri, text, config: settings.config, kind, document });
    if (result.parsed && kind.kind !== 'runspec') log(`analysed ${uri} in ${(performance.now() - started).toFixed(1)} ms: ${result.findings.length} finding(s)`);
    if (result.skipped) return [skippedDiagnostic(result.skipped)];
    const diagnostics = result.findings.map((f) => toDiagnostic(f, uri));
    return kind.kind !== 'python' || !uri.startsWith('file:') ? diagnostics : await withRuntimeEvidence(uri, text, diagnostics);
  } catch (error) {
    // A bug in an analyzer must never take the server down, nor leave the file looking clean.
    log(`analysis of ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
    document?.dispose();
    parsed.delete(uri);
    return [failedDiagnostic(`internal error (${error instanceof Error ? error.message : String(error)}); the Fitcheck output has the details`)];
  }
}

/**
 * Each open Python file's static diagnostics (their text) and the run its evidence came from: when a
 * run changes, only the evidence layer is recomputed over them, and only for scripts whose run changed.
 */
const evidenceBase = new Map<string, { text: string; staticDiagnostics: Diagnostic[]; run: string }>();

/** Adds the runtime evidence of the script's latest monitored run; a failure there costs only that evidence. */
async function withRuntimeEvidence(uri: string, text: string, diagnostics: Diagnostic[]): Promise<Diagnostic[]> {
  try {
    evidenceBase.set(uri, { text, staticDiagnostics: diagnostics, run: runtimeEvidence.currentRun(fileURLToPath(uri), workspaceRoots) });
    return await runtimeEvidence.diagnose(fileURLToPath(uri), text, workspaceRoots, uri, diagnostics);
  } catch (error) {
    log(`runtime evidence for ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
    return diagnostics;
  }
}

/** An open module of the workspace, linted linked with what it imports from the project (Python's or TensorFlow.js's). */
function analyzeModule(modules: ProjectLinter | TfjsProject, uri: string, file: string, text: string, config: LintSettings, started: number, language?: ScriptLanguage): Diagnostic[] {
  if (modules instanceof ProjectLinter) modules.setText(file, text, true);
  else modules.setText(file, text);
  const result: ModuleResult & { parsed?: boolean } = modules instanceof TfjsProject ? modules.lintModule(file, config, language) : modules.lintModule(file, config);
  if (result.parsed !== false) log(`analysed ${uri} with ${result.dependencies.size} project module(s) in ${(performance.now() - started).toFixed(1)} ms: ${result.findings.length} finding(s)`);
  setContributions(file, result.findings);
  if (analysedTexts.get(file) !== text) {
    const first = !analysedTexts.has(file);
    analysedTexts.set(file, text);
    if (!first) reanalyseDependents(file);
  }
  if (result.skipped) return [skippedDiagnostic(result.skipped)];
  return result.findings.filter((f) => f.file === file).map((f) => toDiagnostic(f, uri));
}

/** A notebook is analysed as one program; the result holds each code cell's diagnostics by cell URI. */
async function analyzeNotebook(uri: string): Promise<Map<string, Diagnostic[]>> {
  const byCell = new Map<string, Diagnostic[]>();
  const notebook = notebooks.getNotebookDocument(uri);
  if (!notebook) return byCell;
  const settings = await configFor(uri);
  const cells = notebook.cells.map((cell, index) => {
    byCell.set(cell.document, []);
    return {
      index, kind: cell.kind === NotebookCellKind.Code ? 'code' as const : 'markdown' as const,
      source: notebooks.getCellTextDocument(cell)?.getText() ?? '',
    };
  });
  if (!settings.enable) return byCell;
  const instance = await linter!;
  let document = parsed.get(uri);
  if (!document) parsed.set(uri, (document = instance.openDocument()));
  try {
    const result = lintNotebookCells(instance, cells, settings.config, document);
    for (const finding of result.findings) {
      const cellUri = notebook.cells[finding.cell]!.document;
      byCell.get(cellUri)!.push(toDiagnostic(finding, cellUri));
    }
    if (result.skipped && notebook.cells[0]) byCell.get(notebook.cells[0].document)!.push(skippedDiagnostic(result.skipped));
  } catch (error) {
    log(`analysis of ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
    document.dispose();
    parsed.delete(uri);
    const first = notebook.cells[0];
    if (first) byCell.set(first.document, [failedDiagnostic(`internal error (${error instanceof Error ? error.message : String(error)}); the Fitcheck output has the details`)]);
  }
  return byCell;
}

/** Cells that were last sent diagnostics, per notebook, so removed cells and closed notebooks get cleared. */
const publishedCells = new Map<string, Set<string>>();

const notebookScheduler = new AnalysisScheduler<Map<string, Diagnostic[]>>(async (uri) => {
  const result = await analyzeNotebook(uri).finally(() => idleCollector.busy());
  // vscode-languageclient 9 pulls diagnostics only for documents in text tabs, never for notebook
  // cells, so cell diagnostics are pushed (a change in one cell can change all of them).
  publishCells(uri, result);
  return result;
}, DEBOUNCE_MS);

function publishCells(notebook: string, byCell: Map<string, Diagnostic[]>): void {
  const previous = publishedCells.get(notebook) ?? new Set<string>();
  for (const [cell, diagnostics] of byCell) void connection.sendDiagnostics({ uri: cell, diagnostics });
  for (const cell of previous) if (!byCell.has(cell)) void connection.sendDiagnostics({ uri: cell, diagnostics: [] });
  publishedCells.set(notebook, new Set(byCell.keys()));
}

/** Diagnostics for a document: a file, or a notebook cell (from its notebook's analysis). */
async function diagnosticsFor(uri: string): Promise<Diagnostic[]> {
  const notebook = notebooks.findNotebookDocumentForCell(uri);
  if (notebook) return (await notebookScheduler.result(notebook.uri))?.get(uri) ?? [];
  const own = (await scheduler.result(uri)) ?? [];
  return uri.startsWith('file:') && contributions.size > 0 ? [...own, ...contributedTo(fileURLToPath(uri))] : own;
}

const scheduler = new AnalysisScheduler<Diagnostic[]>(async (uri, text) => {
  const diagnostics = await analyze(uri, text);
  if (!pullDiagnostics) await connection.sendDiagnostics({ uri, diagnostics: uri.startsWith('file:') && contributions.size > 0 ? [...diagnostics, ...contributedTo(fileURLToPath(uri))] : diagnostics });
  return diagnostics;
}, DEBOUNCE_MS);

connection.onInitialize((params) => {
  const wasmDir = bundledWasmDir(import.meta.url);
  linter = Linter.create({ docsBase, ...(wasmDir ? { wasmDir } : {}) });
  pullDiagnostics = !!params.capabilities.textDocument?.diagnostic;
  diagnosticRefresh = !!params.capabilities.workspace?.diagnostics?.refreshSupport;
  workspaceTrusted = (params.initializationOptions as { trusted?: unknown } | undefined)?.trusted !== false;
  workspaceRoots = (params.workspaceFolders ?? []).filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
  configurationRequests = !!params.capabilities.workspace?.configuration;
  dynamicConfigurationRegistration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }] },
      ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'fitcheck', version: VERSION },
  };
});

connection.onInitialized(() => {
  if (configurationRequests && dynamicConfigurationRegistration) {
    connection.client.register(DidChangeConfigurationNotification.type, { section: 'fitcheck' })
      .catch((error: unknown) => log(`could not register for configuration changes: ${String(error)}`));
  }
  log(`Fitcheck language server ${VERSION} ready (${pullDiagnostics ? 'pull' : 'push'} diagnostics)`);
});

function reanalyseAll(): void {
  scheduler.invalidateAll();
  notebookScheduler.invalidateAll();
  if (pullDiagnostics) void connection.languages.diagnostics.refresh();
}

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  reanalyseAll();
});

connection.onNotification(WorkspaceTrustedNotification, () => {
  workspaceTrusted = true;
  reanalyseAll();
});

const RUN_REFRESH_MS = 2000;
let runRefresh: ReturnType<typeof setTimeout> | undefined;

// The client watches pyproject.toml files (an edit to [tool.fitcheck] applies without a reload), the
// run files of the monitor and the helper (a new record or run refreshes the runtime evidence) and Python files (a change
// on disk to a module nobody has open reaches the open modules that import it).
/** Re-reads the runs behind the runtime evidence: a live run writes every few hundred ms, so at most every RUN_REFRESH_MS. */
function scheduleRunRefresh(): void {
  runRefresh ??= setTimeout(() => {
    runRefresh = undefined;
    runtimeEvidence.invalidate();
    void refreshRuntimeEvidence();
  }, RUN_REFRESH_MS);
}

/**
 * Recomputes the runtime evidence of the open scripts whose latest run changed, over their cached static
 * diagnostics: a live run updates its script's evidence without re-analysing any open document.
 */
async function refreshRuntimeEvidence(): Promise<void> {
  let refreshed = 0;
  for (const [uri, base] of [...evidenceBase]) {
    const document = documents.get(uri);
    // An edited document is being analysed again anyway, with the fresh evidence.
    if (!document || document.getText() !== base.text) continue;
    const run = runtimeEvidence.currentRun(fileURLToPath(uri), workspaceRoots);
    if (run === base.run) continue;
    const diagnostics = await withRuntimeEvidence(uri, base.text, base.staticDiagnostics);
    if (!scheduler.replace(uri, document.version, diagnostics)) continue;
    refreshed++;
    if (!pullDiagnostics) await connection.sendDiagnostics({ uri, diagnostics: contributions.size > 0 ? [...diagnostics, ...contributedTo(fileURLToPath(uri))] : diagnostics });
  }
  log(`runtime evidence: ${refreshed} of ${evidenceBase.size} open script(s) had a new run; nothing else was analysed again`);
  if (refreshed > 0 && pullDiagnostics) void connection.languages.diagnostics.refresh();
}

connection.onNotification(RunRecordsChangedNotification, scheduleRunRefresh);

connection.onDidChangeWatchedFiles((params) => {
  if (params.changes.some((c) => c.uri.endsWith('.fitcheck.jsonl'))) scheduleRunRefresh();
  const isModule = (uri: string) => uri.endsWith('.py') || /\.[mc]?[jt]sx?$/i.test(uri);
  const configChanged = params.changes.some((c) => !isModule(c.uri) && !c.uri.endsWith('.fitcheck.jsonl'));
  if (configChanged) {
    // A tsconfig/jsconfig change may change module resolution: the TensorFlow.js project is built again when next needed.
    if (params.changes.some((c) => /\/[jt]sconfig\.json$/.test(c.uri))) tfjsProject = undefined;
    runtimeEvidence.invalidate();
    projectConfigs.clear();
    projectByFile.clear();
  }
  if (params.changes.some((c) => c.uri.endsWith('.py'))) workspaceLinter?.filesChanged();
  let created = false;
  for (const change of params.changes) {
    if (scriptLanguageOfPath(change.uri) && change.uri.startsWith('file:') && tfjsProject && !documents.get(change.uri)) {
      // A script changed on disk: the project reads it again, and the open modules that import it follow.
      const file = fileURLToPath(change.uri);
      if (change.type === FileChangeType.Deleted) tfjsProject.removeFile(file);
      else tfjsProject.forgetText(file);
      if (change.type === FileChangeType.Created) tfjsProject.addedFile();
      reanalyseDependents(file);
      continue;
    }
    if (!change.uri.endsWith('.py') || !change.uri.startsWith('file:') || !project) continue;
    const file = fileURLToPath(change.uri);
    if (documents.get(change.uri)) continue; // The editor's text wins over the disk's.
    if (change.type === FileChangeType.Deleted) project.removeFile(file);
    else {
      created ||= !project.has(file);
      project.addFiles([file]);
      project.forgetText(file);
    }
    reanalyseDependents(file);
  }
  // A new module may be what an open file's import was waiting for.
  if (configChanged || created) reanalyseAll();
});

documents.onDidOpen((e) => scheduler.update(e.document.uri, e.document.getText(), e.document.version, true));
documents.onDidChangeContent((e) => scheduler.update(e.document.uri, e.document.getText(), e.document.version));
documents.onDidClose((e) => {
  scheduler.close(e.document.uri);
  if (e.document.uri.startsWith('file:')) {
    const file = fileURLToPath(e.document.uri);
    // The file on disk is the module again; what this document's analysis placed elsewhere goes.
    project?.forgetText(file);
    tfjsProject?.forgetText(file);
    analysedTexts.delete(file);
    setContributions(file, []);
  }
  parsed.get(e.document.uri)?.dispose();
  parsed.delete(e.document.uri);
  evidenceBase.delete(e.document.uri);
  settingsCache.delete(e.document.uri);
  if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

notebooks.onDidOpen((n) => notebookScheduler.update(n.uri, '', n.version, true));
notebooks.onDidChange((e) => notebookScheduler.update(e.notebookDocument.uri, '', e.notebookDocument.version));
notebooks.onDidClose((n) => {
  notebookScheduler.close(n.uri);
  parsed.get(n.uri)?.dispose();
  parsed.delete(n.uri);
  publishCells(n.uri, new Map());
  publishedCells.delete(n.uri);
});

connection.languages.diagnostics.on(async (params) => {
  const items = await diagnosticsFor(params.textDocument.uri);
  return { kind: DocumentDiagnosticReportKind.Full, items };
});

// The server must outlive any single failure: log it and keep serving.
process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`));
process.on('uncaughtException', (error) => log(`uncaught exception: ${error.stack ?? error.message}`));

connection.onCodeAction(async (params) => {
  const document = documents.get(params.textDocument.uri) ?? notebooks.cellTextDocuments.get(params.textDocument.uri);
  if (!document) return [];
  const only = params.context.only;
  if (wantsFixAll(only)) {
    // Notebook cells are fixed one quick fix at a time: a cell is not a program of its own.
    const kind = fileKindOf(document.uri, document.languageId);
    if (notebooks.findNotebookDocumentForCell(document.uri) || (kind.kind !== 'python' && kind.kind !== 'script')) return [];
    const { enable, config } = await configFor(document.uri);
    const action = enable ? fixAllAction(await linter!, document, config, kind) : undefined;
    return action ? [action] : [];
  }
  if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
  // Directives go into `//` comments in TypeScript/JavaScript.
  const comment = isScriptLanguage(document.languageId) ? '//' : '#';
  return [...codeActionsFor(document.uri, document.getText(), params.context.diagnostics, comment), ...openRunActions(params.context.diagnostics)];
});

/** *Lint Workspace*'s linter and its worker pool, made on the first request. */
let workspaceLinter: WorkspaceLinter | undefined;

connection.onRequest(LintFilesRequest, async (params, token) => {
  const instance = await linter!;
  workspaceLinter ??= new WorkspaceLinter({
    linter: instance,
    configFor,
    projectFor: (file) => projectFor(instance, file),
    scriptProjectFor: (file) => scriptProjectFor(instance, file),
    openText: (uri) => {
      const document = documents.get(uri);
      return document && { text: document.getText(), version: document.version };
    },
    log,
  }, () => defaultLintThreads());
  const reading = parseProgressOn(connection.window.attachWorkDoneProgress(params.workDoneToken));
  return workspaceLinter.lint(params.uris ?? [], token, reading.report).finally(() => {
    reading.end();
    idleCollector.busy();
  });
});
connection.onShutdown(() => {
  workspaceLinter?.dispose();
  idleCollector.dispose();
});

connection.onHover(async (params) => hoverFor(await diagnosticsFor(params.textDocument.uri), params.position));

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
