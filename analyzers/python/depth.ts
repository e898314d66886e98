/**
 * How deep a Python file's syntax tree nests. The analyzers walk expressions recursively, and
 * thousands of nested brackets or a long `a + a + …` chain would overflow the stack, so a file
 * nested deeper than {@link MAX_NESTING} is reported instead of analysed. Measuring the tree costs a
 * walk of every node, so a quick scan of the text decides first whether the tree can be that deep.
 */
import type { Tree } from 'web-tree-sitter';

/**
 * The deepest syntax tree analysed. Real code stays far below it (PyTorch's own modules nest 24 deep;
 * CPython refuses more than 200 nested brackets), and the analyzers' recursion stays well inside
 * Node's default stack at it (they overflowed near 1,400 in tests).
 */
export const MAX_NESTING = 500;

/** The reason given for a file nested deeper than {@link MAX_NESTING}. */
export const TOO_DEEP = `file is nested too deeply to analyse (more than ${MAX_NESTING} levels)`;

/**
 * Whether the text might give a tree deeper than `limit`: an over-estimate from one pass over the
 * characters. A tree level needs a token of its own within one logical line (brackets joined) or a
 * level of indentation, so a file whose logical lines all hold fewer tokens, with their indentation,
 * than half the limit cannot be that deep. Strings and comments count as one token.
 */
export function mayNestDeeperThan(text: string, limit: number): boolean {
  const budget = limit / 2;
  let tokens = 0;
  let brackets = 0;
  let lineStart = true;
  let indent = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (lineStart) {
      if (c === 32 || c === 9 || c === 12) { indent++; continue; }
      lineStart = false;
    }
    if (c === 10) {
      // A newline inside brackets continues the logical line (as in Python's tokenizer).
      if (brackets === 0) { tokens = 0; indent = 0; lineStart = true; }
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12) continue;
    if (c === 35) { // '#': a comment runs to the end of the line
      const end = text.indexOf('\n', i);
      i = (end === -1 ? n : end) - 1;
      continue;
    }
    if (c === 34 || c === 39) { // a string, triple-quoted or not
      const quote = text[i]!;
      const triple = text.startsWith(quote.repeat(3), i);
      const close = triple ? quote.repeat(3) : quote;
      let j = i + close.length;
      for (;;) {
        const k = text.indexOf(close, j);
        if (k === -1) { j = n; break; }
        let slashes = 0;
        while (text.charCodeAt(k - 1 - slashes) === 92) slashes++;
        j = k + close.length;
        if (slashes % 2 === 0) break;
      }
      if (!triple) {
        // An unclosed one-line string ends at the end of its line, as tokenizers recover.
        const eol = text.indexOf('\n', i);
        if (eol !== -1 && eol < j) j = eol;
      }
      i = j - 1;
    } else if (c === 40 || c === 91 || c === 123) brackets++;
    else if (c === 41 || c === 93 || c === 125) { if (brackets > 0) brackets--; }
    else if (isWordChar(c)) {
      while (i + 1 < n && isWordChar(text.charCodeAt(i + 1))) i++;
    }
    if (++tokens + indent > budget) return true;
  }
  return false;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

/** Whether `tree` nests deeper than `limit` levels; walks it iteratively and stops at the first such node. */
export function treeDeeperThan(tree: Tree, limit: number): boolean {
  const cursor = tree.walk();
  try {
    let depth = 0;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        if (++depth > limit) return true;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (depth === 0 || !cursor.gotoParent()) return false;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * Whether the file of `text` (parsed one-shot into `tree`) is too deep to analyse: cheap unless the
 * text looks deep. An open document knows the depth of each statement of its copy instead.
 */
export function tooDeep(text: string, tree: Tree): boolean {
  if (!mayNestDeeperThan(text, MAX_NESTING)) return false;
  return treeDeeperThan(tree, MAX_NESTING);
}
