/** Starts the Fitcheck language server and connects VS Code to it. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { RunRecordsChangedNotification, WorkspaceTrustedNotification } from '../analyzers/server/protocol.js';

/** TypeScript/JavaScript: the server lints those that import TensorFlow.js and dismisses the rest after a text search. */
const SCRIPT_LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

/** Documents the server analyses: Python files on disk and unsaved ones, TS/JS (TensorFlow.js) files. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { notebook: 'jupyter-notebook', language: 'python' },
  ...SCRIPT_LANGUAGES.flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]),
  { scheme: 'file', pattern: '**/*.fitrun.json' },
];

/** Creates (not starts) the client for the server bundled at `dist/server.mjs`. */
export function createClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.mjs'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    // pyproject.toml for [tool.fitcheck]; *.py and scripts so a change on disk to an unopened module reaches the modules importing it; tsconfig/jsconfig for module resolution.
    synchronize: { configurationSection: 'fitcheck', fileEvents: [vscode.workspace.createFileSystemWatcher('**/{pyproject.toml,*.py,tsconfig.json,jsconfig.json,*.ts,*.tsx,*.mts,*.cts,*.js,*.jsx,*.mjs,*.cjs}'), vscode.workspace.createFileSystemWatcher('**/*.fitcheck.jsonl')] },
    diagnosticPullOptions: { onChange: true, onSave: true },
    // An untrusted workspace's pyproject.toml must not size the server's work (see docs/security-and-limits.md).
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
  };
  const client = new LanguageClient('fitcheck', 'Fitcheck', serverOptions, clientOptions);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    if (client.isRunning()) void client.sendNotification(WorkspaceTrustedNotification);
  }));
  return client;
}


/** Tells the running server that a watched Fitcheck JSONL run gained records (see run-records-notice.ts). */
export function notifyRunRecords(client: LanguageClient | undefined): void {
  if (client?.isRunning()) void client.sendNotification(RunRecordsChangedNotification);
}
