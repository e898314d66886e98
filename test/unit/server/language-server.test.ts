/** The real language server bundle, spoken to over IPC as VS Code's client does. */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, DocumentDiagnosticRequest, InitializeRequest, InitializedNotification,
  IPCMessageReader, IPCMessageWriter, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  ShutdownRequest, ExitNotification, HoverRequest, type MarkupContent, ConfigurationRequest, type ProtocolConnection, type Diagnostic,
  type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node.js';
import { repoRoot } from '../helpers.js';

const uri = pathToFileURL(path.join(repoRoot, 'train.py')).href;
const buggy = `import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3), nn.Softmax(dim=1))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
`;

describe('language server', () => {
  let child: ChildProcess;
  let connection: ProtocolConnection;
  let settings: Record<string, unknown> = {};

  before(async () => {
    child = fork(path.join(repoRoot, 'dist', 'server.mjs'), ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
    connection.onNotification('window/logMessage', () => undefined);
    connection.listen();
    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, workspaceFolders: null,
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } },
    });
    assert.ok(init.capabilities.diagnosticProvider, 'the server offers pull diagnostics');
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
    child.kill();
  });

  async function pull(): Promise<Diagnostic[]> {
    const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    return (report as FullDocumentDiagnosticReport).items;
  }

  it('reports diagnostics with codes, doc links and source for an opened file', async () => {
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: buggy } });
    const items = await pull();
    assert.deepEqual(items.map((d) => `${String(d.code)}@${d.range.start.line + 1}`).sort(), ['FC101@4', 'FC301@9']);
    const softmax = items.find((d) => d.code === 'FC101')!;
    assert.equal(softmax.source, 'fitcheck');
    assert.match(softmax.codeDescription!.href, /docs\/rules\/FC101\.md$/);
    assert.equal(softmax.severity, 1);
  });

  it('re-analyses after an edit and drops the fixed finding', async () => {
    const line = 8; // `    loss.backward()` is line 9, 0-based 8: insert zero_grad before it
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '    optimizer.zero_grad()\n' }],
    });
    const items = await pull();
    assert.deepEqual(items.map((d) => String(d.code)), ['FC101']);
  });

  it('explains a finding on hover with its lesson and rule page', async () => {
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 70 } });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /Fitcheck FC101/);
    assert.match(value, /cross entropy/);
    assert.match(value, /\(file:.*FC101\.md\)/);
    const nothing = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.equal(nothing, null);
  });

  it('keeps only the last of a burst of edits', async () => {
    for (let v = 3; v < 8; v++) {
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: v },
        contentChanges: [{ text: `${buggy}# edit ${v}\n` }],
      });
    }
    const items = await pull();
    assert.deepEqual(items.map((d) => String(d.code)).sort(), ['FC101', 'FC301']);
  });

  it('applies settings pulled from the client after a configuration change', async () => {
    settings = { ignore: ['FC101'] };
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const items = await pull();
    assert.deepEqual(items.map((d) => String(d.code)), ['FC301']);
    settings = {};
  });
});
