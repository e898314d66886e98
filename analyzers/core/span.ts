/** A 0-based position; `character` counts UTF-16 code units, as LSP and VS Code do. */
export interface Pos {
  line: number;
  character: number;
}

/** A 0-based, end-exclusive source range. */
export interface Span {
  start: Pos;
  end: Pos;
}

/** Orders two positions: negative when `a` comes first. */
export function comparePos(a: Pos, b: Pos): number {
  return a.line - b.line || a.character - b.character;
}

/** A stable text key for a span, used to de-duplicate findings. */
export function spanKey(span: Span): string {
  return `${span.start.line}:${span.start.character}-${span.end.line}:${span.end.character}`;
}
