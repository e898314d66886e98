/** NDJSON encoding of metric events; non-finite numbers survive as the strings "NaN", "Infinity", "-Infinity". */
import type { RunEvent } from './events.js';
import { eventShapeProblem } from './event-shape.js';

const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };
const NON_FINITE_TEXT = /"(?:NaN|-?Infinity)"/;
const EVENT_TYPES = new Set(['start', 'batch', 'epoch', 'insight', 'end', 'scalars']);

/** One event as one line of JSON, ending in a newline. */
export function encodeEvent(event: RunEvent): string {
  // JSON has no NaN or Infinity; a diverged loss must stay visible rather than become null.
  return `${JSON.stringify(event, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value))}\n`;
}

/** Parses one line; undefined when it is not a metric event; throws when it is one of the wrong shape. */
export function decodeEvent(line: string): RunEvent | undefined {
  // A reviver runs for every value and makes parsing several times slower: use it only when needed.
  const value: unknown = NON_FINITE_TEXT.test(line) ? JSON.parse(line, (_key, v: unknown) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v)) : JSON.parse(line);
  if (typeof value !== 'object' || value === null || !EVENT_TYPES.has((value as { type?: unknown }).type as string)) return undefined;
  // A known type with the wrong shape ({"type":"epoch"} alone) would throw wherever it is read.
  const problem = eventShapeProblem(value as Record<string, unknown>);
  if (problem) throw new Error(problem);
  return value as RunEvent;
}

export interface ParsedEvents {
  events: RunEvent[];
  /** Lines that are not events (1-based line numbers). */
  errors: { line: number; message: string }[];
  /** True when the last line was cut off mid-write (a killed process); it is skipped, not an error. */
  truncated: boolean;
}

/** Reads an events.jsonl text, tolerating a last line cut off by a killed writer. */
export function parseEvents(text: string): ParsedEvents {
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  const result: ParsedEvents = { events: [], errors: [], truncated: false };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const isLast = i === lines.length - 1;
    try {
      const event = decodeEvent(line);
      if (event) result.events.push(event);
      else result.errors.push({ line: i + 1, message: 'not a metric event (no known "type")' });
    } catch (error) {
      // Only a cut-off line fails to parse; a whole line of the wrong shape is an error wherever it is.
      if (isLast && !complete && error instanceof SyntaxError) result.truncated = true;
      else result.errors.push({ line: i + 1, message: error instanceof Error ? error.message : String(error) });
    }
  });
  return result;
}
