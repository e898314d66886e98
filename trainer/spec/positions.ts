/** Offsets in a text to 0-based line/column ranges (columns in UTF-16 code units, as LSP counts). */

export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Converts offsets of one text to lines and columns. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: offset - this.starts[low]! };
  }

  range(offset: number, length: number): TextRange {
    const start = this.position(offset);
    const end = this.position(offset + Math.max(0, length));
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }
}
