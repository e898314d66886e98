/** Runs a spec in the current process (tests, the benchmark); the editor and CLI use the child process in run.ts. */
import type { EndEvent, RunEvent } from '../metrics/diagnosis/events.js';
import { newRunId } from '../metrics/store/run-store.js';
import { loadBackend, type BackendChoice, type LoadedBackend } from './backend.js';
import { DataError } from './data/csv.js';
import { checkDataFitsSpec, loadDataset } from './data/dataset.js';
import type { RunSpec } from './spec/types.js';
import { trainRun } from './train.js';

export interface InProcessOptions {
  /** Folder CSV paths are relative to (default: the working directory). */
  baseDir?: string;
  /** Folders a CSV file may be read from (default: `baseDir`). */
  dataRoots?: string[];
  backend?: BackendChoice;
  runId?: string;
  onEvent?(event: RunEvent): void;
  /** Leave the spec out of the start event. */
  includeSpec?: boolean;
}

let loaded: Promise<LoadedBackend> | undefined;
let loadedChoice: BackendChoice | undefined;

/** Loads a backend once per process (switching choice re-initializes it). */
export function backendFor(choice: BackendChoice): Promise<LoadedBackend> {
  if (!loaded || loadedChoice !== choice) {
    loaded = loadBackend(choice);
    loadedChoice = choice;
  }
  return loaded;
}

/** Trains `spec` here and returns every event. Data errors are thrown (a bad spec), training failures end the run. */
export async function runInProcess(spec: RunSpec, options: InProcessOptions = {}): Promise<{ events: RunEvent[]; end: EndEvent }> {
  const data = loadDataset(spec, options.baseDir ?? process.cwd(), options.dataRoots ? { dataRoots: options.dataRoots } : {});
  const misfit = checkDataFitsSpec(spec, data);
  if (misfit) throw new DataError(misfit);
  const backend = await backendFor(options.backend ?? 'auto');
  const events: RunEvent[] = [];
  const end = await trainRun(spec, data, {
    tf: backend.tf,
    runId: options.runId ?? newRunId(spec.name ?? 'run'),
    backend: backend.backend,
    versions: backend.versions,
    notes: backend.notes,
    includeSpec: options.includeSpec ?? true,
    emit: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  return { events, end };
}
