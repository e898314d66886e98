/** The real language server with a workspace folder: open TensorFlow.js modules are linted as parts of one ts-morph project. */
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
import { fixturePath } from '../../unit/helpers.js';
import { initializeServer, startServer, stopServer, type ServerProcess } from '../../unit/server-process.js';

describe('language server with a TensorFlow.js project', () => {
  let server: ServerProcess;
  let connection: ProtocolConnection;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-tfjs-project-'));
  const uriOf = (...parts: string[]) => pathToFileURL(path.join(workspace, ...parts)).href;
  const textOf = (...parts: string[]) => fs.readFileSync(path.join(workspace, ...parts), 'utf8');
  const analysed: string[] = [];

  before(async () => {
    fs.cpSync(fixturePath('projects', 'tfjs-softmax-through-barrel'), workspace, { recursive: true });
    // A tfjs module that imports nothing from the model's package: an edit there must not reach it.
    fs.writeFileSync(path.join(workspace, 'src', 'plot.ts'), "import * as tf from '@tensorflow/tfjs';\n\nexport const grid = tf.linspace(0, 1, 11);\n");
    // The same project again in a sub-folder nobody opens, for Lint Workspace.
    fs.cpSync(fixturePath('projects', 'tfjs-softmax-through-barrel', 'src'), path.join(workspace, 'copy'), { recursive: true });
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
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(...parts), languageId: 'typescript', version: 1, text: textOf(...parts) } });
    await pull(uriOf(...parts));
  }

  it('shows in the model module the softmax that the open training script feeds to its loss, with the loss as related information', async () => {
    await open('src', 'models', 'classifier.ts');
    await open('src', 'train.ts');
    await open('src', 'plot.ts');
    const [finding] = await pull(uriOf('src', 'models', 'classifier.ts'));
    assert.equal(finding?.code, 'FC101');
    assert.equal(finding.range.start.line, 8);
    assert.deepEqual(finding.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [[uriOf('src', 'train.ts'), 5]]);
    assert.deepEqual(await pull(uriOf('src', 'train.ts')), []);
  });

  it('re-analyses the open modules that import an edited model, and only those', async () => {
    analysed.length = 0;
    const line = textOf('src', 'models', 'classifier.ts').split('\n').findIndex((l) => l.includes("'softmax'"));
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf('src', 'models', 'classifier.ts'), version: 2 },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '  model.add(tf.layers.dense({ units: classes }));\n' }],
    });
    await pull(uriOf('src', 'models', 'classifier.ts'));
    await pull(uriOf('src', 'train.ts'));
    assert.deepEqual(await pull(uriOf('src', 'models', 'classifier.ts')), [], 'the softmax is gone, and so is its finding');
    assert.ok(analysed.includes(uriOf('src', 'train.ts')), 'train.ts imports buildClassifier through the barrel: it is analysed again');
    assert.ok(!analysed.includes(uriOf('src', 'plot.ts')), 'plot.ts imports nothing from the model module');
  });

  it('places Lint Workspace findings in the unopened module they sit in', async () => {
    const results = await connection.sendRequest<Record<string, Diagnostic[]>>('fitcheck/lintFiles', { uris: [uriOf('copy', 'train.ts')] });
    assert.deepEqual(results[uriOf('copy', 'train.ts')], []);
    const [finding] = results[uriOf('copy', 'models', 'classifier.ts')] ?? [];
    assert.equal(finding?.code, 'FC101');
    assert.equal(finding.relatedInformation?.[0]?.location.uri, uriOf('copy', 'train.ts'));
  });
});
