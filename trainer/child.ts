/**
 * The trainer process: forked by run.ts, it waits for a start message, trains, writes every event
 * to `<runsDir>/<runId>/events.jsonl` (one write per event, so a SIGKILL loses nothing already
 * written) and sends it to the parent. A stop message, SIGINT/SIGTERM or a lost parent end the
 * run cleanly with status `stopped`.
 */
import type { EndEvent, RunEvent } from '../metrics/events.js';
import { RunWriter } from '../metrics/run-store.js';
import { loadBackend } from './backend.js';
import { DataError } from './data/csv.js';
import { checkDataFitsSpec, loadDataset } from './data/dataset.js';
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
  const writer = RunWriter.create(message.runsDir, message.runId, message.spec);
  const emit = (event: RunEvent) => {
    writer.write(event);
    void send({ type: 'event', event });
  };
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
      shouldStop: () => stopRequested,
      yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
    });
  } catch (error) {
    failEarly(error instanceof Error ? error.message : String(error));
  } finally {
    writer.sync();
    writer.close();
  }
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
