/**
 * The real language server bundle (dist/server.mjs) as a child process, spoken to over IPC as VS
 * Code's client does: one way to start, initialise and stop it for every server test.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, ExitNotification, InitializedNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter,
  ShutdownRequest, type ClientCapabilities, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node.js';
import { repoRoot } from './helpers.js';

export interface ServerProcess {
  child: ChildProcess;
  connection: ProtocolConnection;
}

/** Starts the server; `handlers` registers the client's handlers before the connection listens. */
export function startServer(handlers: (connection: ProtocolConnection) => void = () => undefined, env: Record<string, string> = {}): ServerProcess {
  const child = fork(path.join(repoRoot, 'dist', 'server.mjs'), ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], env: { ...process.env, ...env } });
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  handlers(connection);
  connection.listen();
  return { child, connection };
}

/** `initialize` and `initialized` with one workspace folder (or none) and these client capabilities. */
export async function initializeServer(connection: ProtocolConnection, folder: { path: string; name: string; rootUri?: boolean } | undefined, capabilities: ClientCapabilities): Promise<void> {
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folder?.rootUri ? pathToFileURL(folder.path).href : null,
    workspaceFolders: folder ? [{ uri: pathToFileURL(folder.path).href, name: folder.name }] : null,
    capabilities,
  });
  await connection.sendNotification(InitializedNotification.type, {});
}

/** Shuts the server down and ends its process, whatever state it is in. */
export async function stopServer({ child, connection }: ServerProcess): Promise<void> {
  await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
  await connection.sendNotification(ExitNotification.type).catch(() => undefined);
  connection.dispose();
  child.kill();
}
