/**
 * The runtime evidence follows a live monitored run through `fitcheck/runRecordsChanged`, without any
 * file-watcher event: the real language server bundle, spoken to over IPC as VS Code's client does.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DocumentDiagnosticRequest, DidOpenTextDocumentNotification, ConfigurationRequest, CodeActionRequest, type CodeAction, type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node.js';
import { OPEN_RUN_AT_STEP_COMMAND, RunRecordsChangedNotification } from '../../../analyzers/server/protocol.js';
import { fixturePath } from '../../unit/helpers.js';
import { initializeServer, startServer, stopServer } from '../../unit/server-process.js';

describe('runtime evidence told by the client that a run grew', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-notice-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appears on the layer lines after fitcheck/runRecordsChanged, with no file event, with an action that opens the run at its step', { timeout: 30_000 }, async () => {
    const script = path.join(dir, 'sigmoid_mlp.py');
    fs.copyFileSync(fixturePath('monitor', 'sigmoid_mlp.py'), script);
    let refreshed: () => void = () => undefined;
    const logs: string[] = [];
    let logged: (line: string) => void = () => undefined;
    const server = startServer((c) => {
      c.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
      c.onNotification('window/logMessage', (m: { message: string }) => { logs.push(m.message); logged(m.message); });
      c.onRequest('workspace/diagnostic/refresh', () => { refreshed(); return null; });
    });
    const { connection } = server;
    try {
      await initializeServer(connection, { path: dir, name: 'w' }, { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true, diagnostics: { refreshSupport: true } } });
      const uri = pathToFileURL(script).href;
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(script, 'utf8') } });
      const pull = async () => (await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as FullDocumentDiagnosticReport).items.filter((d) => d.source === 'fitcheck-run');
      assert.deepEqual(await pull(), [], 'no run yet, no runtime evidence');
      const staticBefore = (await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as FullDocumentDiagnosticReport).items;
      // Another open script, with no run: a run of the first must not make the server analyse it again.
      const other = path.join(dir, 'other.py');
      fs.copyFileSync(fixturePath('monitor', 'sigmoid_mlp.py'), other);
      const otherUri = pathToFileURL(other).href;
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: otherUri, languageId: 'python', version: 1, text: fs.readFileSync(other, 'utf8') } });
      await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: otherUri } });
      const analysed = (name: string) => logs.filter((l) => l.includes(`analysed `) && l.includes(name)).length;
      const otherAnalyses = analysed('other.py');
      const scriptAnalyses = analysed('sigmoid_mlp.py');
      assert.equal(otherAnalyses, 1, `the other script was analysed once when opened: ${logs.join('\n')}`);

      // The monitor's run of this script, written now: a 12-layer sigmoid MLP whose first layers barely learn.
      const lines = fs.readFileSync(fixturePath('monitor', 'runs', 'vanishing.fitcheck.jsonl'), 'utf8').trim().split('\n');
      const start = { ...JSON.parse(lines[0]!) as object, script };
      const session = path.join(dir, '.fitcheck', 'monitor', 'session-1');
      fs.mkdirSync(session, { recursive: true });
      fs.writeFileSync(path.join(session, 'r-vanishing.fitcheck.jsonl'), [JSON.stringify(start), ...lines.slice(1)].join('\n') + '\n');

      const refresh = new Promise<void>((resolve) => { refreshed = resolve; });
      await connection.sendNotification(RunRecordsChangedNotification);
      await refresh;
      const runtime = await pull();
      assert.ok(runtime.some((d) => d.code === 'vanishing-gradients' && d.range.start.line + 1 === 9), `runtime evidence on line 9: ${JSON.stringify(runtime.map((d) => [d.code, d.range.start.line + 1]))}`);
      assert.ok(logs.some((l) => l.includes('runtime evidence: 1 of 2 open script(s) had a new run')), `only the script whose run changed got new evidence: ${logs.slice(-5).join('\n')}`);
      assert.equal(analysed('other.py'), otherAnalyses, 'the other script was not analysed again');
      assert.equal(analysed('sigmoid_mlp.py'), scriptAnalyses, 'the script itself was not analysed again: only its evidence layer was recomputed');
      const items = (await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as FullDocumentDiagnosticReport).items;
      assert.deepEqual(items.filter((d) => d.source !== 'fitcheck-run').map((d) => [d.code, d.range.start.line]), staticBefore.map((d) => [d.code, d.range.start.line]), 'the static findings stay as they were');

      // A notice with no new record changes nothing and computes nothing.
      const quiet = new Promise<void>((resolve) => { logged = (line) => { if (line.includes('runtime evidence:')) resolve(); }; });
      await connection.sendNotification(RunRecordsChangedNotification);
      await quiet;
      assert.ok(logs.some((l) => l.includes('runtime evidence: 0 of 2 open script(s) had a new run')), logs.slice(-3).join('\n'));

      // Its code action opens the run at the step it was measured.
      const first = runtime.find((d) => d.range.start.line + 1 === 9)!;
      const actions = await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: first.range, context: { diagnostics: [first] } }) as CodeAction[];
      const open = actions.find((a) => a.command?.command === OPEN_RUN_AT_STEP_COMMAND);
      assert.ok(open, `an action opens the run: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(open.title, 'Open run r-vanishing at step 30');
      assert.deepEqual(open.command!.arguments, [path.join(session, 'r-vanishing.fitcheck.jsonl'), 30]);
    } finally {
      await stopServer(server);
    }
  });
});
