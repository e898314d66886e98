/** The shape every reader of a metrics file shares, so a watched run can hold a mix of them. */
import type { RunEvent } from '../events.js';
import type { ReadIssue, ScalarPoint } from '../scalars.js';

/** What one read of a file added. */
export interface ReaderUpdate {
  points: ScalarPoint[];
  /** Fitcheck metric events other than scalars (a run written by the trainer, or the helper's start/end). */
  events: RunEvent[];
  issues: ReadIssue[];
  /** The file was replaced or truncated: everything read from it before is void. */
  restarted: boolean;
  /** The file is gone (deleted or moved away). */
  missing: boolean;
  /** The file holds more than this read took (a large file is read in steps). */
  more: boolean;
}

export interface MetricsReader {
  readonly file: string;
  /** Reads what was appended. With `final`, an incomplete last record or line is reported, not awaited. */
  poll(final: boolean): ReaderUpdate;
}

/** An update with nothing in it. */
export function emptyUpdate(): ReaderUpdate {
  return { points: [], events: [], issues: [], restarted: false, missing: false, more: false };
}
