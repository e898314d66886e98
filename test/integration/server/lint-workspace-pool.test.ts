/**
 * *Lint Workspace* on the language server's worker pool, through the real server process: the same
 * diagnostics as on the server's own thread, a dead worker costing only its file, and cancellation.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, ConfigurationRequest, WorkDoneProgress, type ProtocolConnection, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport } from 'vscode-languageserver-protocol/node.js';
import { LintFilesRequest, type LintFilesResult } from '../../../analyzers/server/protocol.js';
import { fixturePath } from '../../unit/helpers.js';
import { initializeServer, startServer, stopServer } from '../../unit/server-process.js';

// The fixtures hold every kind of file: Python projects, notebooks, TensorFlow.js scripts, run specs.
const workspace = fixturePath();
// What the extension's findFiles asks for, in the batches it sends.
const LINTED = /\.(py|ipynb|ts|tsx|js|jsx|mjs|cjs)$|\.fitrun\.json$/;
const BATCH = 25;
const uris = fs.readdirSync(workspace, { recursive: true, encoding: 'utf8' })
  .filter((f) => LINTED.test(f) && !f.split(path.sep).includes('node_modules'))
  .sort()
  .map((f) => pathToFileURL(path.join(workspace, f)).href);

interface Server {
  child: ChildProcess;
  connection: ProtocolConnection;
  logs: string[];
}

const servers: Server[] = [];

/** Starts the bundled server on the fixtures workspace with FITCHECK_LINT_THREADS and any other variables. */
async function startPoolServer(env: Record<string, string>): Promise<Server> {
  const logs: string[] = [];
  const { child, connection } = startServer((c) => {
    c.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
    c.onNotification('window/logMessage', (params: { message: string }) => { logs.push(params.message); });
  }, env);
  await initializeServer(connection, { path: workspace, name: 'fixtures' }, { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } });
  const server = { child, connection, logs };
  servers.push(server);
  return server;
}

/** Lints the workspace as the extension does, batch after batch; the merged answer. */
async function lintWorkspace(server: Server): Promise<LintFilesResult> {
  const merged: LintFilesResult = {};
  for (let i = 0; i < uris.length; i += BATCH) {
    const results = await server.connection.sendRequest(LintFilesRequest, { uris: uris.slice(i, i + BATCH) });
    for (const [uri, diagnostics] of Object.entries(results)) merged[uri] = [...(merged[uri] ?? []), ...diagnostics];
  }
  return merged;
}

describe('Lint Workspace on the worker pool', () => {
  let serial: LintFilesResult;
  let serialServer: Server;

  after(async () => {
    for (const server of servers) await stopServer(server);
  });

  it('answers with the same diagnostics on 2 worker threads as on the server thread', async () => {
    assert.ok(uris.length > 3 * BATCH, `the fixtures make several batches (${uris.length} files)`);
    serialServer = await startPoolServer({ FITCHECK_LINT_THREADS: '1' });
    serial = await lintWorkspace(serialServer);
    const pooledServer = await startPoolServer({ FITCHECK_LINT_THREADS: '2' });
    const pooled = await lintWorkspace(pooledServer);
    assert.ok(Object.values(serial).flat().length > 100, 'the serial run finds problems');
    assert.ok(pooledServer.logs.some((l) => /Lint Workspace: starting 2 lint worker threads/.test(l)), 'the pool ran');
    assert.ok(!serialServer.logs.some((l) => /lint worker threads/.test(l)), 'the serial server started no workers');
    assert.deepEqual(pooled, serial);
    // A second workspace lint reuses the warm workers and still answers the same.
    assert.deepEqual(await lintWorkspace(pooledServer), serial);
    // The workers parsed the project once between them, in the first batch, not in every batch or lint.
    const shares = pooledServer.logs.filter((l) => /Python modules parsed once between the lint workers/.test(l));
    assert.equal(shares.length, 1, shares.join('\n'));
    assert.match(shares[0]!, /: (\d+) of \1 Python modules/, 'every module was parsed');
  });

  it('reports the first batch\u2019s parse of the Python project on the client\u2019s progress token, and nothing for a batch that parses nothing', async () => {
    const server = await startPoolServer({ FITCHECK_LINT_THREADS: '2' });
    const heard = async (workDoneToken: string, batch: string[]) => {
      const values: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];
      const listening = server.connection.onProgress(WorkDoneProgress.type, workDoneToken, (value) => values.push(value));
      try {
        await server.connection.sendRequest(LintFilesRequest, { uris: batch, workDoneToken });
      } finally {
        listening.dispose();
      }
      return values;
    };
    const first = await heard('first-batch', uris.slice(0, BATCH));
    assert.equal(first[0]?.kind, 'begin');
    const total = Number(/^reading Python modules: 0 of (\d+)$/.exec(first[0].message ?? '')?.[1]);
    assert.ok(total > 10, `the fixtures' project has modules to parse (${first[0].message})`);
    const reports = first.filter((v): v is WorkDoneProgressReport => v.kind === 'report');
    assert.equal(reports.at(-1)?.message, `reading Python modules: ${total} of ${total}`);
    assert.equal(reports.at(-1)?.percentage, 100);
    const percents = reports.map((r) => r.percentage ?? -1);
    assert.deepEqual(percents, [...new Set(percents)].sort((a, b) => a - b), 'at most one report per percent, in order');
    assert.equal(first.at(-1)?.kind, 'end');
    assert.deepEqual(await heard('second-batch', uris.slice(BATCH, 2 * BATCH)), [], 'the project is parsed already');
  });

  it('reports a file whose worker died as not analysed and answers the same for every other file', async () => {
    const victim = 'FC101/pos-sequential-softmax-crossentropy.py';
    const server = await startPoolServer({ FITCHECK_LINT_THREADS: '2', FITCHECK_TEST_CRASH_LINT_WORKER_ON: victim });
    const crashed = await lintWorkspace(server);
    const victimUri = uris.find((u) => u.endsWith(victim))!;
    assert.equal(crashed[victimUri]!.length, 1);
    assert.match(crashed[victimUri]![0]!.message, /^Fitcheck could not analyse this file: the lint worker stopped \(exit code 70\) while linting this file/);
    const rest = (result: LintFilesResult) => Object.fromEntries(Object.entries(result).filter(([uri]) => uri !== victimUri));
    assert.deepEqual(rest(crashed), rest(serial));
    assert.ok(server.logs.some((l) => l.includes(`could not lint ${victimUri}`)), 'the failure is in the Fitcheck output');
  });

  it('stops a cancelled batch early and answers the next one in full', async () => {
    const server = await startPoolServer({ FITCHECK_LINT_THREADS: '2' });
    const source = new CancellationTokenSource();
    const cancelled = server.connection.sendRequest(LintFilesRequest, { uris }, source.token);
    source.cancel();
    // Either an answer for the files reached before the cancellation or the protocol's cancellation error: never a hang.
    const partial = await cancelled.catch(() => ({}));
    assert.ok(Object.keys(partial).length < uris.length, 'not every file was linted');
    const batch = uris.slice(0, BATCH);
    const full = await server.connection.sendRequest(LintFilesRequest, { uris: batch });
    assert.deepEqual(full, await serialServer.connection.sendRequest(LintFilesRequest, { uris: batch }));
  });
});
