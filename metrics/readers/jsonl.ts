/**
 * Fitcheck JSONL files: the trainer's events.jsonl, or what the Python helper (`fitcheck_logger.py`)
 * writes: a `start` event, `scalars` events and an `end` event. A line cut off by a writer still
 * writing waits for its newline; other bad lines are reported with their numbers and skipped.
 */
import { decodeEvent } from '../diagnosis/codec.js';
import type { RunEvent } from '../diagnosis/events.js';
import type { ScalarPoint } from '../diagnosis/scalars.js';
import { errorText, FileTail } from './file-tail.js';
import { LineBuffer, overlongMessage } from './lines.js';
import { emitPoint, readAppended, type MetricsReader, type PointSink, type ReaderUpdate } from './reader.js';

/** Whether a file name looks like Fitcheck JSONL (the helper's `*.fitcheck.jsonl`, the trainer's `events.jsonl`). */
export function isFitcheckJsonlName(name: string): boolean {
  return name.endsWith('.fitcheck.jsonl') || name === 'events.jsonl';
}

/** Reported bad lines per file; more are counted, not listed. */
const MAX_LINE_ISSUES = 20;

export class JsonlReader implements MetricsReader {
  private readonly tail: FileTail;
  private readonly lines: LineBuffer;
  /** wallTime in the file is relative to the start event's time; this turns it into Unix seconds. */
  private origin = Number.NaN;
  badLines = 0;
  /** The line number of the first bad line (0: none yet). */
  firstBadLine = 0;

  /** `maxLineChars`: longer lines are skipped with a note (tests lower it). */
  constructor(readonly file: string, maxRead?: number, maxLineChars?: number) {
    this.tail = new FileTail(file, maxRead);
    this.lines = new LineBuffer(maxLineChars);
  }

  poll(final: boolean, sink?: PointSink): ReaderUpdate {
    const { update, bytes: appended } = readAppended(this.tail, this.file);
    if (!appended) return update;
    if (update.restarted) {
      this.lines.reset();
      this.badLines = 0;
      this.firstBadLine = 0;
      this.origin = Number.NaN;
    }
    for (const { line, text } of this.lines.push(appended)) this.take(line, text, update, false, sink);
    this.reportOverlong(update);
    if (final && !update.more) {
      const last = this.lines.takePartial();
      // A complete JSON object without its newline is fine; anything else was cut off.
      if (last && last.text.trim() && !this.take(last.line, last.text, update, true, sink)) {
        update.issues.push({ file: this.file, message: `line ${last.line} is incomplete (the writer stopped mid-line); skipped` });
      }
      // The whole file is read: one line with the count says how much was lost.
      if (this.badLines > 1) update.issues.push({ file: this.file, message: `${this.badLines.toLocaleString('en-US')} lines skipped in all, the first at line ${this.firstBadLine}` });
    }
    return update;
  }

  /** Lines dropped for their length count as bad lines, each with its note. */
  private reportOverlong(update: ReaderUpdate): void {
    for (const line of this.lines.takeOverlong()) this.bad(line, overlongMessage(line, this.lines.maxLineChars), update);
  }

  private bad(line: number, message: string, update: ReaderUpdate): void {
    this.badLines += 1;
    if (this.firstBadLine === 0) this.firstBadLine = line;
    if (this.badLines <= MAX_LINE_ISSUES) update.issues.push({ file: this.file, message });
    else if (this.badLines === MAX_LINE_ISSUES + 1) update.issues.push({ file: this.file, message: `more bad lines from line ${line} on; they are counted, not listed` });
  }

  /** Decodes one line into the update; false when it is not an event. */
  private take(line: number, text: string, update: ReaderUpdate, quiet: boolean, sink: PointSink | undefined): boolean {
    if (!text.trim()) return true;
    let event: RunEvent | undefined;
    let problem = 'not a metric event (no known "type")';
    try {
      event = decodeEvent(text);
    } catch (error) {
      problem = errorText(error);
    }
    if (!event) {
      if (quiet) return false;
      this.bad(line, `line ${line}: ${problem}; skipped`, update);
      return false;
    }
    if (event.type === 'scalars') {
      for (const p of scalarPoints(event, this.origin)) emitPoint(update, sink, p.tag, p.step, p.value, p.wallTime);
      return true;
    }
    if (event.type === 'start') {
      const t = Date.parse(event.time);
      this.origin = Number.isFinite(t) ? t / 1000 : Number.NaN;
    }
    update.events.push(event);
    return true;
  }
}

/** The points of one `scalars` event; values that are not numbers are left out. */
function scalarPoints(event: Extract<RunEvent, { type: 'scalars' }>, origin: number): ScalarPoint[] {
  const points: ScalarPoint[] = [];
  const step = Number(event.step);
  if (!Number.isFinite(step) || typeof event.values !== 'object' || event.values === null) return points;
  const wallTime = typeof event.wallTime === 'number' ? origin + event.wallTime : Number.NaN;
  const values = event.values as Record<string, unknown>;
  // A parsed JSON object inherits nothing enumerable: `for…in` visits its own keys, without an array per line.
  for (const tag in values) {
    const value = values[tag];
    if (typeof value === 'number') points.push({ tag, step, value, wallTime });
  }
  return points;
}
