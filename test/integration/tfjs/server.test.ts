/** The real language server on TypeScript/JavaScript documents: tfjs ones are linted, the rest cost nothing. */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest, ConfigurationRequest, createProtocolConnection, DidOpenTextDocumentNotification, DocumentDiagnosticRequest,
  ExitNotification, HoverRequest, InitializedNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter, ShutdownRequest,
  type CodeAction, type Diagnostic, type FullDocumentDiagnosticReport, type MarkupContent, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node.js';
import { fixturePath, repoRoot } from '../../unit/helpers.js';
import { expectedScriptFindings, tfjsFixtures } from '../../unit/tfjs/helpers.js';
import { LintFilesRequest } from '../../../analyzers/server/protocol.js';

describe('language server on tfjs files', () => {
  let child: ChildProcess;
  let connection: ProtocolConnection;
  const logs: string[] = [];

  before(async () => {
    child = fork(path.join(repoRoot, 'dist', 'server.mjs'), ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
    connection.onNotification('window/logMessage', (params: { message: string }) => { logs.push(params.message); });
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, workspaceFolders: null,
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
    child.kill();
  });

  async function open(name: string, languageId: string, text: string): Promise<{ uri: string; items: Diagnostic[] }> {
    const uri = pathToFileURL(path.join(repoRoot, name)).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    const report = (await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
    return { uri, items: report.items };
  }

  it('reports the annotated findings of a TypeScript and a JavaScript fixture', async () => {
    for (const fixture of tfjsFixtures().filter((f) => f.name === 'pos-webcam-frame-loop.ts' || f.name === 'pos-fit-in-loop-and-history.js')) {
      const { items } = await open(fixture.name, fixture.language, fixture.text);
      assert.deepEqual(items.map((d) => `${String(d.code)}@${d.range.start.line + 1}`).sort(), expectedScriptFindings(fixture.text), fixture.name);
      assert.ok(items.every((d) => d.source === 'fitcheck' && /docs\/rules\/FC\d+\.md$/.test(d.codeDescription!.href)));
    }
  });

  it('returns nothing for TypeScript that does not use tfjs, without analysing it', async () => {
    const before = logs.length;
    const { items } = await open('plain.ts', 'typescript', 'for (const x of [1, 2]) console.log(x);\n'.repeat(500));
    assert.deepEqual(items, []);
    assert.ok(!logs.slice(before).some((l) => l.includes('plain.ts')), 'no analysis was logged for the non-tfjs file');
  });

  it('explains a tfjs finding on hover and offers the fix and // directives', async () => {
    const text = "import * as tf from '@tensorflow/tfjs';\nexport function f(rows: number[][]) {\n  for (const r of rows) {\n    tf.tensor1d(r).print();\n  }\n}\n";
    const { uri, items } = await open('leak.ts', 'typescript', text);
    assert.deepEqual(items.map((d) => `${String(d.code)}@${d.range.start.line}`), ['FC601@3']);
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 6 } });
    assert.match((hover?.contents as MarkupContent).value, /Fitcheck FC601/);
    const actions = (await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: items[0]!.range, context: { diagnostics: items } })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ['Wrap the loop body in tf.tidy() (FC601)', 'Disable FC601 for this line', 'Disable FC601 for this file']);
    assert.equal(actions[1]!.edit!.changes![uri]![0]!.newText, '  // fitcheck: ignore[FC601]');
    assert.equal(actions[2]!.edit!.changes![uri]![0]!.newText, '// fitcheck: ignore-file[FC601]\n');
  });

  it('lints TS/JS files from disk for the workspace command', async () => {
    const files = [fixturePath('tfjs', 'FC603', 'pos-fit-then-evaluate.ts'), fixturePath('tfjs', 'clean', 'mnist-node-training.js')].map((f) => pathToFileURL(f).href);
    const results = await connection.sendRequest(LintFilesRequest, { uris: files });
    assert.deepEqual(results[files[0]!]!.map((d) => String(d.code)), ['FC603']);
    assert.deepEqual(results[files[1]!], []);
  });
});
