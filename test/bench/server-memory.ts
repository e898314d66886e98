/**
 * The language server's memory with documents open, as the benches measure it: the real server bundle
 * (`dist/server.mjs`) in a process of its own, driven over LSP as VS Code drives it.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as protocol from 'vscode-languageserver-protocol/node.js';

/** Seconds of idle after which the settled RSS is read. */
export const SETTLE_S = 40;

/** One document to open: where it is (it need not exist on disk), its language and its text. */
export interface OpenDocument {
  file: string;
  languageId: string;
  text: string;
}

/** RSS in KiB: at start, 3 s after the last analysis, once idle {@link SETTLE_S} s, and at its peak (the median of the runs), with every run's readings. */
export interface ServerMemory {
  before: number;
  after: number;
  settled: number;
  peak: number;
  afters: number[];
  settleds: number[];
}

type Reading = Pick<ServerMemory, 'before' | 'after' | 'settled' | 'peak'>;

/**
 * Opens the documents one by one in `runs` fresh servers (a workspace folder `workspace`, or none),
 * keeps them open, and reads the process's RSS 3 s after the last analysis and again once it has been
 * idle {@link SETTLE_S} s: the server collects its garbage 1 s into a pause (idle-collector.ts), but
 * only V8's memory reducer, 15-30 s into it, shrinks the young generation. The median of the runs,
 * since one reading swings with when the last GC ran.
 */
export async function serverMemory(root: string, documents: readonly OpenDocument[], options: { workspace?: string; runs?: number } = {}): Promise<ServerMemory> {
  const readings: Reading[] = [];
  for (let i = 0; i < (options.runs ?? 1); i++) readings.push(await serverMemoryOnce(root, documents, options.workspace));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const afters = readings.map((r) => r.after);
  const settleds = readings.map((r) => r.settled);
  return { before: median(readings.map((r) => r.before)), after: median(afters), settled: median(settleds), peak: median(readings.map((r) => r.peak)), afters, settleds };
}

async function serverMemoryOnce(root: string, documents: readonly OpenDocument[], workspace: string | undefined): Promise<Reading> {
  const child = fork(path.join(root, 'dist', 'server.mjs'), ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
  const connection = protocol.createProtocolConnection(new protocol.IPCMessageReader(child), new protocol.IPCMessageWriter(child));
  connection.onRequest(protocol.ConfigurationRequest.type, (params) => params.items.map(() => ({})));
  connection.onNotification('window/logMessage', () => undefined);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.listen();
  const folder = workspace === undefined ? null : pathToFileURL(workspace).href;
  await connection.sendRequest(protocol.InitializeRequest.type, {
    processId: process.pid, rootUri: folder, workspaceFolders: folder === null ? null : [{ uri: folder, name: 'bench' }],
    capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } },
  });
  await connection.sendNotification(protocol.InitializedNotification.type, {});
  const rss = (field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN);
  const idle = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  try {
    await idle(3);
    const before = rss('VmRSS');
    for (const document of documents) {
      const uri = pathToFileURL(document.file).href;
      await connection.sendNotification(protocol.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: document.languageId, version: 1, text: document.text } });
      await connection.sendRequest(protocol.DocumentDiagnosticRequest.type, { textDocument: { uri } });
    }
    await idle(3);
    const after = rss('VmRSS');
    await idle(SETTLE_S - 3);
    return { before, after, settled: rss('VmRSS'), peak: rss('VmHWM') };
  } finally {
    await connection.sendRequest(protocol.ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(protocol.ExitNotification.type).catch(() => undefined);
    connection.dispose();
    child.kill();
  }
}
