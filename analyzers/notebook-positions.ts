/**
 * Where a notebook cell's lines are in the `.ipynb` file itself, so reports about the file (SARIF,
 * Lint Workspace) point at the cell's code in the JSON rather than at a cell-relative line.
 */
import * as jsoncModule from 'jsonc-parser';
import type { Pos, Span } from './core/span.js';

// jsonc-parser ships UMD for Node (its functions land on `default` when imported from an ES module).
const jsonc: typeof jsoncModule = typeof jsoncModule.parseTree === 'function'
  ? jsoncModule
  : (Reflect.get(jsoncModule, 'default') as typeof jsoncModule);

/** Maps a cell-relative position to its position in the notebook's JSON text. */
export type NotebookPositionMap = (cell: number, pos: Pos) => Pos;

/**
 * The position map of a notebook's JSON text. A cell line is placed where its text starts inside
 * the cell's `source` strings; columns count JSON characters, so escapes before a finding shift
 * it a little. A position it cannot place goes to the cell's `source` key, or the file's start.
 */
export function notebookPositions(json: string): NotebookPositionMap {
  const root = jsonc.parseTree(json);
  const cells = root ? jsonc.findNodeAtLocation(root, ['cells']) : undefined;
  const lineStarts = [0];
  for (let i = json.indexOf('\n'); i >= 0; i = json.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const toPos = (offset: number): Pos => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - lineStarts[lo]! };
  };
  const cache = new Map<number, { fallback: number; lines: number[] }>();
  const cellLines = (cell: number) => {
    let entry = cache.get(cell);
    if (!entry) {
      const cellNode = cells?.children?.[cell];
      const source = cellNode ? jsonc.findNodeAtLocation(cellNode, ['source']) : undefined;
      const strings = source?.type === 'array' ? (source.children ?? []) : source ? [source] : [];
      const lines: number[] = [];
      let lineOpen = false;
      for (const node of strings) {
        if (node.type !== 'string') continue;
        // Walk the raw JSON string: a cell line starts at its first character, and after each `\n` escape.
        const end = node.offset + node.length - 1;
        for (let i = node.offset + 1; i < end; i++) {
          if (!lineOpen) { lines.push(i); lineOpen = true; }
          if (json[i] === '\\') {
            if (json[i + 1] === 'n') lineOpen = false;
            i++;
          }
        }
      }
      entry = { fallback: source?.offset ?? cellNode?.offset ?? 0, lines };
      cache.set(cell, entry);
    }
    return entry;
  };
  return (cell, pos) => {
    const { fallback, lines } = cellLines(cell);
    const start = lines[pos.line];
    if (start === undefined) return toPos(fallback);
    const at = toPos(start);
    return { line: at.line, character: at.character + pos.character };
  };
}

/** A cell-relative span placed in the notebook's JSON text. */
export function notebookFileSpan(positions: NotebookPositionMap, cell: number, span: Span): Span {
  return { start: positions(cell, span.start), end: positions(cell, span.end) };
}
