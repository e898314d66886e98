/** Messages between the parent (run.ts) and the trainer child process (child.ts), over the fork IPC channel. */
import type { RunEvent } from '../metrics/diagnosis/events.js';
import type { BackendChoice } from './backend.js';
import type { RunSpec } from './spec/types.js';

export interface StartMessage {
  type: 'start';
  spec: RunSpec;
  runId: string;
  /** The run store folder (`.fitcheck/runs`); the child writes `<runsDir>/<runId>/`. */
  runsDir: string;
  /** Folder CSV paths are relative to. */
  baseDir: string;
  /** Folders a CSV file may be read from (default: `baseDir`); the child checks again. */
  dataRoots?: string[];
  backend: BackendChoice;
  wasmDir?: string;
}

export interface StopMessage {
  type: 'stop';
}

export type ParentMessage = StartMessage | StopMessage;

export interface EventMessage {
  type: 'event';
  event: RunEvent;
}

export type ChildMessage = EventMessage;
