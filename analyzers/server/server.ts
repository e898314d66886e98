/**
 * The Fitcheck language server: hosts the analyzers, re-analyses on edits (debounced,
 * incremental re-parse) and answers pull-diagnostic requests.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection, DidChangeConfigurationNotification, DocumentDiagnosticReportKind, ProposedFeatures,
  TextDocuments, TextDocumentSyncKind, type Diagnostic,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Linter } from '../linter.js';
import type { PythonDocument } from '../python/document.js';
import { bundledWasmDir } from '../python/wasm-dir.js';
import { VERSION } from '../version.js';
import { skippedDiagnostic, toDiagnostic } from './diagnostics.js';
import { hoverFor } from './hover.js';
import { AnalysisScheduler } from './scheduler.js';
import { parseSettings, type FitcheckSettings } from './settings.js';

const DEBOUNCE_MS = 150;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const here = path.dirname(fileURLToPath(import.meta.url));
// The bundled docs are linked from diagnostics so the pages open offline.
const docsBase = `${pathToFileURL(path.join(here, '..', 'docs', 'rules')).href}/`;

let linter: Promise<Linter> | undefined;
let pullDiagnostics = false;
let configurationRequests = false;
let dynamicConfigurationRegistration = false;
const parsed = new Map<string, PythonDocument>();
const settingsCache = new Map<string, Promise<FitcheckSettings>>();

function log(message: string): void {
  connection.console.log(`[${new Date().toISOString().slice(11, 23)}] ${message}`);
}

function settingsFor(uri: string): Promise<FitcheckSettings> {
  let settings = settingsCache.get(uri);
  if (!settings) {
    settings = configurationRequests
      ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'fitcheck' }).then(parseSettings, () => parseSettings({}))
      : Promise.resolve(parseSettings({}));
    settingsCache.set(uri, settings);
  }
  return settings;
}

async function analyze(uri: string, text: string): Promise<Diagnostic[]> {
  const settings = await settingsFor(uri);
  if (!settings.enable) return [];
  const instance = await linter!;
  let document = parsed.get(uri);
  if (!document) parsed.set(uri, (document = instance.openDocument()));
  const started = performance.now();
  try {
    const result = instance.lint(text, settings.config, document);
    log(`analysed ${uri} in ${(performance.now() - started).toFixed(1)} ms: ${result.findings.length} finding(s)`);
    if (result.skipped) return [skippedDiagnostic(result.skipped)];
    return result.findings.map((f) => toDiagnostic(f, uri));
  } catch (error) {
    // A bug in an analyzer must never take the server down; the file just gets no findings.
    log(`analysis of ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
    document.dispose();
    parsed.delete(uri);
    return [];
  }
}

const scheduler = new AnalysisScheduler<Diagnostic[]>(async (uri, text) => {
  const diagnostics = await analyze(uri, text);
  if (!pullDiagnostics) await connection.sendDiagnostics({ uri, diagnostics });
  return diagnostics;
}, DEBOUNCE_MS);

connection.onInitialize((params) => {
  const wasmDir = bundledWasmDir(import.meta.url);
  linter = Linter.create({ docsBase, ...(wasmDir ? { wasmDir } : {}) });
  pullDiagnostics = !!params.capabilities.textDocument?.diagnostic;
  configurationRequests = !!params.capabilities.workspace?.configuration;
  dynamicConfigurationRegistration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      ...(pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
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

connection.onDidChangeConfiguration(() => {
  settingsCache.clear();
  scheduler.invalidateAll();
  if (pullDiagnostics) connection.languages.diagnostics.refresh();
});

documents.onDidOpen((e) => scheduler.update(e.document.uri, e.document.getText(), e.document.version, true));
documents.onDidChangeContent((e) => scheduler.update(e.document.uri, e.document.getText(), e.document.version));
documents.onDidClose((e) => {
  scheduler.close(e.document.uri);
  parsed.get(e.document.uri)?.dispose();
  parsed.delete(e.document.uri);
  settingsCache.delete(e.document.uri);
  if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.languages.diagnostics.on(async (params) => {
  const items = (await scheduler.result(params.textDocument.uri)) ?? [];
  return { kind: DocumentDiagnosticReportKind.Full, items };
});

// The server must outlive any single failure: log it and keep serving.
process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`));
process.on('uncaughtException', (error) => log(`uncaught exception: ${error.stack ?? error.message}`));

connection.onHover(async (params) => hoverFor((await scheduler.result(params.textDocument.uri)) ?? [], params.position));

documents.listen(connection);
connection.listen();
