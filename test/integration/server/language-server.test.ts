/** The real language server bundle, spoken to over IPC as VS Code's client does. */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, DocumentDiagnosticRequest, InitializeRequest, InitializedNotification,
  IPCMessageReader, IPCMessageWriter, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  ShutdownRequest, ExitNotification, HoverRequest, CodeActionRequest, type MarkupContent, type CodeAction, ConfigurationRequest, type ProtocolConnection, type Diagnostic,
  type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node.js';
import { LintFilesRequest } from '../../../analyzers/server/protocol.js';
import { repoRoot } from '../../unit/helpers.js';

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
  // The script has no validation step (FC405); these tests are about the loop and the output layer.
  const baseSettings = { select: ['FC1', 'FC3'] };
  let settings: Record<string, unknown> = baseSettings;
  const published = new Map<string, Diagnostic[]>();

  before(async () => {
    child = fork(path.join(repoRoot, 'dist', 'server.mjs'), ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
    connection.onNotification('window/logMessage', () => undefined);
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
      published.set(params.uri, params.diagnostics);
    });
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
    assert.equal(softmax.codeDescription!.href, 'https://github.com/fitcheck-dev/fitcheck/blob/main/docs/rules/FC101.md', 'the rendered rule page');
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
    assert.match(value, /\(https:\/\/github\.com\/fitcheck-dev\/fitcheck\/blob\/main\/docs\/rules\/FC101\.md\)/);
    const nothing = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.equal(nothing, null);
  });

  it('offers the rule fix and disable-for-line/file actions for a finding', async () => {
    const items = await pull();
    const softmax = items.filter((d) => d.code === 'FC101');
    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: softmax[0]!.range, context: { diagnostics: softmax },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, ['Remove nn.Softmax (return logits) (FC101)', 'Disable FC101 for this line', 'Disable FC101 for this file']);
    assert.equal(actions[0]!.isPreferred, true);
    const lineEdit = actions[1]!.edit!.changes![uri]![0]!;
    assert.equal(lineEdit.newText, '  # fitcheck: ignore[FC101]');
    assert.equal(lineEdit.range.start.line, 3);
  });

  it('offers source.fixAll.fitcheck with the safe fixes only, and no fix-all when nothing safe is left', async () => {
    const fixUri = pathToFileURL(path.join(repoRoot, 'fix_all.py')).href;
    const text = `import torch
import torch.nn as nn

model = nn.Linear(4, 3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
total = 0
for x, y in loader:
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    total += loss
`;
    settings = { select: ['FC3', 'FC5'] }; // settings are read per document: this one's are read on open
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: fixUri, languageId: 'python', version: 1, text } });
    const ask = async () => (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: fixUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    const actions = await ask();
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.fitcheck']);
    const edits = actions[0]!.edit!.changes![fixUri]!;
    assert.equal(edits.length, 1);
    const lines = text.split('\n');
    const { start, end } = edits[0]!.range;
    const before = lines.slice(0, start.line).join('\n') + (start.line > 0 ? '\n' : '') + lines[start.line]!.slice(0, start.character);
    const afterText = lines[end.line]!.slice(end.character) + '\n' + lines.slice(end.line + 1).join('\n');
    const fixed = before + edits[0]!.newText + afterText;
    assert.match(fixed, /total \+= loss\.item\(\)/, 'FC504 (safe) is fixed');
    assert.doesNotMatch(fixed, /zero_grad/, 'FC301 (adding zero_grad changes training) is not');

    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: fixUri, version: 2 }, contentChanges: [{ text: fixed }],
    });
    assert.deepEqual(await ask(), [], 'only the behaviour-changing fix is left: no fix-all is offered');
    settings = baseSettings;
  });

  it('analyses a notebook as one program and reports on the right cell', async () => {
    const notebook = pathToFileURL(path.join(repoRoot, 'nb.ipynb')).href;
    const cell = (i: number) => `vscode-notebook-cell:${notebook.slice('file:'.length)}#cell${i}`;
    const sources = [
      'import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n',
      '# Training\n',
      'criterion = nn.CrossEntropyLoss()\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n',
      'for x, y in loader:\n    optimizer.zero_grad()\n    criterion(model(x), y).backward()\n    optimizer.step()\n',
    ];
    await connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri: notebook, notebookType: 'jupyter-notebook', version: 1, cells: sources.map((_, i) => ({ kind: i === 1 ? 1 : 2, document: cell(i) })) },
      cellTextDocuments: sources.map((text, i) => ({ uri: cell(i), languageId: i === 1 ? 'markdown' : 'python', version: 1, text })),
    });
    const first = (await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: cell(0) } })) as FullDocumentDiagnosticReport;
    assert.deepEqual(first.items.map((d) => `${String(d.code)}@${d.range.start.line}`), ['FC101@2']);
    const last = (await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: cell(3) } })) as FullDocumentDiagnosticReport;
    assert.deepEqual(last.items, []);
    // VS Code's client never pulls cells, so they are also pushed.
    assert.deepEqual(published.get(cell(0))?.map((d) => String(d.code)), ['FC101']);
    assert.deepEqual(published.get(cell(3)), []);

    // Edits re-analyse the notebook from its kept tree: the finding follows the cell's text.
    const edit = async (version: number, text: string) => {
      await connection.sendNotification('notebookDocument/didChange', {
        notebookDocument: { uri: notebook, version },
        change: { cells: { textContent: [{ document: { uri: cell(0), version }, changes: [{ text }] }] } },
      });
      const report = (await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: cell(0) } })) as FullDocumentDiagnosticReport;
      return report.items.map((d) => `${String(d.code)}@${d.range.start.line}`);
    };
    assert.deepEqual(await edit(2, sources[0]!.replace(', nn.Softmax(dim=1)', '')), []);
    assert.deepEqual(await edit(3, `# first, the model\n${sources[0]!}`), ['FC101@3']);
  });

  it('lints files from disk for the workspace command, notebooks included', async () => {
    const files = ['python/FC301/pos-loop-without-zero-grad.py', 'notebooks/train.ipynb'].map((f) => pathToFileURL(path.join(repoRoot, 'test', 'fixtures', f)).href);
    const results = await connection.sendRequest(LintFilesRequest, { uris: files });
    assert.ok(results[files[0]!]!.some((d) => d.code === 'FC301'));
    assert.ok(results[files[1]!]!.some((d) => d.code === 'FC101' && d.message.startsWith('Cell 3:')));
  });

  it('lints an open run spec, positioning its validation errors', async () => {
    const spec = pathToFileURL(path.join(repoRoot, 'bad.fitrun.json')).href;
    const text = '{\n  "data": { "kind": "two-moons" },\n  "model": { "layers": [ { "type": "dropout", "rate": 1.5 } ] }\n}\n';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: spec, languageId: 'jsonc', version: 1, text } });
    const report = (await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: spec } })) as FullDocumentDiagnosticReport;
    assert.ok(report.items.length > 0 && report.items.every((d) => d.code === 'FC001'));
    assert.ok(report.items.some((d) => d.range.start.line === 2 && /rate/.test(d.message)), JSON.stringify(report.items));
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
    settings = { ...baseSettings, ignore: ['FC101'] };
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const items = await pull();
    assert.deepEqual(items.map((d) => String(d.code)), ['FC301']);
    settings = baseSettings;
  });
});
