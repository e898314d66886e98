/**
 * One-pass scans of a run spec's JSON text that must run before the JSON parser: the parser
 * recurses per nesting level (thousands of brackets overflow the stack), and a comment-stripping
 * regular expression rescans the rest of the text for every unclosed `/*` (quadratic).
 */

/** The deepest nesting of arrays and objects read in a run spec (real specs nest five deep). */
export const MAX_SPEC_NESTING = 64;

/** The offset of the first bracket nested deeper than `limit` (strings skipped), if any. */
export function tooDeepAt(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) { // a string: skip to its closing quote (comments may hold brackets too, which only over-counts)
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > limit) return i;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

/** A `//` or `/* *\/` comment of JSON text. */
export interface JsonComment {
  offset: number;
  text: string;
  /** True for a `/*` with no closing `*\/` (it runs to the end). */
  unclosed?: boolean;
}

/** The comments of JSON text, outside strings, in one pass. */
export function commentsOf(text: string): JsonComment[] {
  const found: JsonComment[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      found.push({ offset: i, text: text.slice(i, stop) });
      i = stop;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      const stop = close === -1 ? text.length : close + 2;
      found.push({ offset: i, text: text.slice(i, stop), ...(close === -1 ? { unclosed: true } : {}) });
      i = stop - 1;
    }
  }
  return found;
}

/** True when nothing but whitespace and comments is left of the text. */
export function onlyComments(text: string, comments: readonly JsonComment[]): boolean {
  let at = 0;
  for (const c of comments) {
    if (text.slice(at, c.offset).trim() !== '') return false;
    at = c.offset + c.text.length;
  }
  return text.slice(at).trim() === '';
}
