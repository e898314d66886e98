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
    const server = startServer((c) => {
      c.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
      c.onNotification('window/logMessage', () => undefined);
      c.onRequest('workspace/diagnostic/refresh', () => { refreshed(); return null; });
    });
    const { connection } = server;
    try {
      await initializeServer(connection, { path: dir, name: 'w' }, { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true, diagnostics: { refreshSupport: true } } });
      const uri = pathToFileURL(script).href;
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(script, 'utf8') } });
      const pull = async () => (await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as FullDocumentDiagnosticReport).items.filter((d) => d.source === 'fitcheck-run');
      assert.deepEqual(await pull(), [], 'no run yet, no runtime evidence');

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
