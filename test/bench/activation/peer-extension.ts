/**
 * The activation benchmark's peer: the smallest useful extension of Fitcheck's kind, which creates a
 * language client for Python and starts it, as the extension samples' lsp-sample does.
 */
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node.js';

/** Starts a language client whose server is a Node module next to the extension. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('server.js');
  const client = new LanguageClient('peer', 'Peer', { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } }, { documentSelector: [{ scheme: 'file', language: 'python' }] });
  context.subscriptions.push(client);
  void client.start().catch(() => undefined);
}
