/** The shape every reader of a metrics file shares, so a watched run can hold a mix of them. */
import type { RunEvent } from '../diagnosis/events.js';
import type { FileTail } from './file-tail.js';
import type { ReadIssue, ScalarPoint } from '../diagnosis/scalars.js';

/** Receives points one by one instead of `ReaderUpdate.points` (no object per point: the live path). */
export type PointSink = (tag: string, step: number, value: number, wallTime: number) => void;

/** What one read of a file added. */
export interface ReaderUpdate {
  /** The points read (empty when a sink took them). */
  points: ScalarPoint[];
  /** How many points went to the sink. */
  sunk: number;
  /** Fitcheck metric events other than scalars (a run written by the trainer, or the helper's start/end). */
  events: RunEvent[];
  issues: ReadIssue[];
  /** The file was replaced or truncated: everything read from it before is void. */
  restarted: boolean;
  /** The file is gone (deleted or moved away). */
  missing: boolean;
  /** The file holds more than this read took (a large file is read in steps). */
  more: boolean;
  /** Bytes this read took from the file (what a watch's per-tick byte budget is charged). */
  bytes: number;
}

export interface MetricsReader {
  readonly file: string;
  /**
   * Reads what was appended. With `final`, an incomplete last record or line is reported, not
   * awaited. With a `sink`, points go to it as they are read rather than into `points`.
   */
  poll(final: boolean, sink?: PointSink): ReaderUpdate;
}

/** An update with nothing in it. */
export function emptyUpdate(): ReaderUpdate {
  return { points: [], sunk: 0, events: [], issues: [], restarted: false, missing: false, more: false, bytes: 0 };
}

/**
 * The start of every reader's poll: what the file gained since the last one (after `carry`, the
 * unparsed end of the last read, unless the file restarted), in a fresh update that already says
 * whether the file is missing, unreadable, restarted or holds more. `bytes` is undefined when there
 * is nothing to parse, and valid until the next read.
 */
export function readAppended(tail: FileTail, file: string, carry?: Uint8Array): { update: ReaderUpdate; bytes: Buffer | undefined } {
  const update = emptyUpdate();
  const read = tail.read(carry);
  if (read.kind === 'missing') {
    update.missing = true;
    return { update, bytes: undefined };
  }
  if (read.kind === 'error') {
    update.issues.push({ file, message: `could not read: ${read.message}` });
    return { update, bytes: undefined };
  }
  update.restarted = read.restarted;
  update.more = read.more;
  update.bytes = read.appended;
  return { update, bytes: read.bytes };
}

/** Hands one point to the sink, or adds it to the update's points. */
export function emitPoint(update: ReaderUpdate, sink: PointSink | undefined, tag: string, step: number, value: number, wallTime: number): void {
  if (sink) {
    sink(tag, step, value, wallTime);
    update.sunk += 1;
  } else {
    update.points.push({ tag, step, value, wallTime });
  }
}
