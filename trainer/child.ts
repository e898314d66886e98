/**
 * The trainer process: forked by run.ts, it waits for a start message, trains, writes every event
 * to `<runsDir>/<runId>/events.jsonl` (one write per event, so a SIGKILL loses nothing already
 * written) and sends it to the parent. A stop message, SIGINT/SIGTERM or a lost parent end the
 * run cleanly with status `stopped`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EndEvent, RunEvent } from '../metrics/diagnosis/events.js';
import { RunWriter } from '../metrics/store/run-store.js';
import { loadBackend } from './backend.js';
import { DataError } from './data/csv.js';
import { checkDataFitsSpec, loadDataset } from './data/dataset.js';
import { EventLog } from './event-log.js';
import { LimitError } from './limits.js';
import type { ChildMessage, ParentMessage, StartMessage } from './protocol.js';
import { trainRun } from './train.js';

let stopRequested = false;
let started = false;
/** The last message sent; awaited before disconnecting so no event is lost. */
let lastSend: Promise<void> = Promise.resolve();

const send = (message: ChildMessage): Promise<void> => {
  lastSend = new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
  return lastSend;
};

async function run(message: StartMessage): Promise<void> {
  let log: EventLog;
  try {
    log = new EventLog(openWriter(message), (event) => { void send({ type: 'event', event }); });
  } catch (error) {
    // No run files: the parent still hears how the run ended.
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOSPC' || code === 'EDQUOT'
      ? `disk full: cannot create the run's files in ${path.join(message.runsDir, message.runId)} (${code})`
      : `cannot create the run's files in ${path.join(message.runsDir, message.runId)}: ${error instanceof Error ? error.message : String(error)}`;
    void send({ type: 'event', event: { type: 'end', status: 'failed', epochs: 0, wallTime: 0, reason, error: reason, diagnosis: null } });
    return;
  }
  const emit = (event: RunEvent) => log.emit(event);
  const failEarly = (error: string) => {
    const end: EndEvent = { type: 'end', status: 'failed', epochs: 0, wallTime: 0, reason: error, error, diagnosis: null };
    emit(end);
  };
  try {
    let data;
    try {
      data = loadDataset(message.spec, message.baseDir, message.dataRoots ? { dataRoots: message.dataRoots } : {});
      const misfit = checkDataFitsSpec(message.spec, data);
      if (misfit) return failEarly(`data: ${misfit}`);
    } catch (error) {
      if (error instanceof LimitError) return failEarly(error.message);
      if (error instanceof DataError) return failEarly(`data: ${error.message}`);
      throw error;
    }
    const backend = await loadBackend(message.backend, message.wasmDir ? { wasmDir: message.wasmDir } : {});
    await trainRun(message.spec, data, {
      tf: backend.tf,
      runId: message.runId,
      backend: backend.backend,
      versions: backend.versions,
      notes: backend.notes,
      emit,
      // A full disk stops the run like a stop request; its end event then says why.
      shouldStop: () => stopRequested || log.failed,
      yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
    });
  } catch (error) {
    failEarly(error instanceof Error ? error.message : String(error));
  } finally {
    log.close();
  }
}

/** The run folder the parent created (exclusively); made here only when a caller did not. */
function openWriter(message: StartMessage): RunWriter {
  const dir = path.join(message.runsDir, message.runId);
  return fs.existsSync(dir) ? RunWriter.open(dir, message.spec) : RunWriter.create(message.runsDir, message.runId, message.spec);
}

process.on('message', (raw: ParentMessage) => {
  if (raw.type === 'stop') {
    stopRequested = true;
    return;
  }
  if (raw.type === 'start' && !started) {
    started = true;
    void run(raw).then(() => lastSend).finally(() => {
      if (process.connected) process.disconnect();
    });
  }
});

// Ctrl-C reaches the whole process group: finish the current batch and end the run as `stopped`.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { stopRequested = true; });
process.on('disconnect', () => { stopRequested = true; });
