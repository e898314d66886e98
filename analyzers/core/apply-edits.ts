/** Applies text edits to a string (positions in UTF-16 code units, as everywhere else). */
import type { TextEdit } from './findings.js';
import type { Pos } from './span.js';
import { lineStarts } from './line-starts.js';

function offsetOf(starts: Int32Array, text: string, pos: Pos): number {
  if (pos.line >= starts.length) return text.length;
  return Math.min(starts[pos.line]! + pos.character, text.length);
}

/** Whether two sets of edits touch overlapping ranges (insertions at the same point count as overlapping). */
export function editsOverlap(a: readonly TextEdit[], b: readonly TextEdit[], text: string): boolean {
  const starts = lineStarts(text);
  const ranges = (edits: readonly TextEdit[]) => edits.map((e) => [offsetOf(starts, text, e.span.start), offsetOf(starts, text, e.span.end)] as const);
  for (const [s1, e1] of ranges(a)) for (const [s2, e2] of ranges(b)) if (s1 <= e2 && s2 <= e1) return true;
  return false;
}

/** The text with all edits applied; the edits must not overlap each other. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const resolved = edits
    .map((e, order) => ({ start: offsetOf(starts, text, e.span.start), end: offsetOf(starts, text, e.span.end), newText: e.newText, order }))
    // Apply from the end so earlier offsets stay valid; insertions at one point keep their given order.
    .sort((x, y) => y.start - x.start || y.order - x.order);
  let out = text;
  for (const e of resolved) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
