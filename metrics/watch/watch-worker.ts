/**
 * The worker thread that follows one watched path: reading, parsing, assembling and analysing its
 * runs happen here, off the thread that started the watch (the extension host, shared with every
 * other extension). It posts each run's update (see `WorkerMessage`) and stops on `close` (or when the owner terminates it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RunWatcher } from './watcher.js';
import type { WorkerCommand, WorkerMessage, WorkerStart } from './worker-protocol.js';

/** Posts a message to the thread that owns the watch. */
function post(message: WorkerMessage): void {
  parentPort!.postMessage(message);
}

// Only as a watch worker (importing this module elsewhere does nothing).
const start = workerData as WorkerStart | undefined;
if (parentPort && start?.kind === 'fitcheck-watch') {
  const watcher = new RunWatcher(start.target, {
    ...start.options,
    onUpdate: (u) => post({
      type: 'update',
      runId: u.runId,
      target: u.target,
      // The other side keeps the run's events: only a reset sends them all.
      ...(u.reset ? { events: u.events } : {}),
      appended: u.reset ? [] : u.appended,
      reset: u.reset,
      gone: u.gone,
      ...(u.diagnosis !== undefined ? { diagnosis: u.diagnosis } : {}),
    }),
    onIssues: (issues) => post({ type: 'issues', issues }),
    onRuns: (runs) => post({ type: 'runs', runs }),
  });
  parentPort.on('message', (command: WorkerCommand) => {
    if (command.type === 'poll') watcher.pollNow(command.final);
    else if (command.type === 'close') {
      watcher.close();
      parentPort!.close();
    }
  });
  watcher.start();
}
