/**
 * Jupyter notebooks analysed as one program: code cells joined in order, findings mapped back
 * to their cell and line. IPython magics and shell escapes become blank lines so the rest parses.
 */

export interface NotebookCell {
  /** 0-based index among all cells of the notebook. */
  index: number;
  kind: 'code' | 'markdown' | 'raw';
  source: string;
}

/** The joined program and where each code cell starts in it. */
export interface NotebookProgram {
  text: string;
  /** Code cells in order with their first line in `text`. */
  cells: { index: number; startLine: number; lineCount: number }[];
}

/** Parses `.ipynb` JSON; throws an Error with a readable message on malformed input. */
export function parseNotebook(json: string): NotebookCell[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new Error(`not a valid notebook: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const cells = isObject(data) ? data.cells : undefined;
  if (!Array.isArray(cells)) throw new Error('not a valid notebook: it has no "cells" list');
  return cells.map((cell: unknown, index) => {
    if (!isObject(cell)) throw new Error(`not a valid notebook: cell ${index + 1} is ${cell === null ? 'null' : `a ${Array.isArray(cell) ? 'list' : typeof cell}`}, not a cell object`);
    const source = cell.source;
    return {
      index,
      kind: cell.cell_type === 'code' ? 'code' : cell.cell_type === 'raw' ? 'raw' : 'markdown',
      // Lines of a cell are strings; anything else in the list is left out rather than printed as "null".
      source: Array.isArray(source) ? source.filter((line) => typeof line === 'string').join('') : typeof source === 'string' ? source : '',
    };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** IPython-only lines (`%matplotlib inline`, `!pip install`, `%%time`) are blanked out. */
function blankMagics(source: string): string {
  return source.split('\n').map((line) => (/^\s*[%!]/.test(line) ? '' : line)).join('\n');
}

/** Joins the code cells, in order, into one program. */
export function joinCells(cells: readonly NotebookCell[]): NotebookProgram {
  const parts: string[] = [];
  const placed: NotebookProgram['cells'] = [];
  let line = 0;
  for (const cell of cells) {
    if (cell.kind !== 'code') continue;
    const source = blankMagics(cell.source.replace(/\r\n/g, '\n'));
    const lineCount = source.split('\n').length;
    placed.push({ index: cell.index, startLine: line, lineCount });
    parts.push(source);
    line += lineCount;
  }
  return { text: parts.join('\n'), cells: placed };
}

/** The cell (by index) and the line within it of a line of the joined program. */
export function cellOfLine(program: NotebookProgram, line: number): { cell: number; line: number } | undefined {
  for (const cell of program.cells) {
    if (line >= cell.startLine && line < cell.startLine + cell.lineCount) return { cell: cell.index, line: line - cell.startLine };
  }
  return undefined;
}
