/** The language server with a workspace folder: open modules are linted as parts of one project. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DocumentDiagnosticRequest, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  type ProtocolConnection, type Diagnostic, type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node.js';
import { fixturePath } from '../helpers.js';
import { initializeServer, startServer, stopServer, type ServerProcess } from '../server-process.js';

describe('language server with a project', () => {
  let server: ServerProcess;
  let connection: ProtocolConnection;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-project-'));
  const uriOf = (...parts: string[]) => pathToFileURL(path.join(workspace, ...parts)).href;
  const textOf = (...parts: string[]) => fs.readFileSync(path.join(workspace, ...parts), 'utf8');
  const analysed: string[] = [];

  before(async () => {
    fs.cpSync(fixturePath('projects', 'softmax-in-package'), workspace, { recursive: true });
    // A module that imports nothing from the model's package: an edit there must not reach it.
    // The same project again in a sub-folder nobody opens, for Lint Workspace.
    fs.cpSync(fixturePath('projects', 'softmax-in-package'), path.join(workspace, 'copy'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'plot.py'), 'import torch\n\nprint(torch.arange(3))\n');
    server = startServer((c) => {
      c.onNotification('window/logMessage', (params: { message: string }) => {
        const match = /analysed (\S+)/.exec(params.message);
        if (match) analysed.push(match[1]!);
      });
      c.onRequest('workspace/diagnostic/refresh', () => null);
    });
    connection = server.connection;
    await initializeServer(connection, { path: workspace, name: 'project', rootUri: true }, { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } });
  });

  after(async () => {
    await stopServer(server);
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  async function pull(uri: string): Promise<Diagnostic[]> {
    const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    return (report as FullDocumentDiagnosticReport).items;
  }

  async function open(...parts: string[]): Promise<void> {
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(...parts), languageId: 'python', version: 1, text: textOf(...parts) } });
    await pull(uriOf(...parts));
  }

  it('shows in the model module the softmax that the open training script feeds to its loss', async () => {
    await open('mypkg', 'nets.py');
    await open('train.py');
    await open('plot.py');
    const [finding] = await pull(uriOf('mypkg', 'nets.py'));
    assert.equal(finding?.code, 'FC101');
    assert.equal(finding.range.start.line, 11);
    assert.deepEqual(finding.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [[uriOf('train.py'), 6]]);
    assert.deepEqual(await pull(uriOf('train.py')), []);
  });

  it('re-analyses the open modules that import an edited model, and only those', async () => {
    analysed.length = 0;
    const text = textOf('mypkg', 'nets.py');
    const line = text.split('\n').findIndex((l) => l.includes('nn.Softmax'));
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf('mypkg', 'nets.py'), version: 2 },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '        self.probs = nn.Identity()\n' }],
    });
    await pull(uriOf('mypkg', 'nets.py'));
    await pull(uriOf('train.py'));
    assert.deepEqual(await pull(uriOf('mypkg', 'nets.py')), [], 'the softmax is gone, and so is its finding');
    assert.ok(analysed.includes(uriOf('train.py')), 'train.py imports ConvNet through the package: it is analysed again');
    assert.ok(!analysed.includes(uriOf('plot.py')), 'plot.py imports nothing from the package');
  });

  it('places Lint Workspace findings in the unopened module they sit in', async () => {
    const results = await connection.sendRequest<Record<string, Diagnostic[]>>('fitcheck/lintFiles', { uris: [uriOf('copy', 'train.py')] });
    assert.deepEqual(results[uriOf('copy', 'train.py')], []);
    const [finding] = results[uriOf('copy', 'mypkg', 'nets.py')] ?? [];
    assert.equal(finding?.code, 'FC101');
    assert.equal(finding.relatedInformation?.[0]?.location.uri, uriOf('copy', 'train.py'));
  });
});
