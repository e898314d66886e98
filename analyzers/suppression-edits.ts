/** Edits that add `# fitcheck: ignore[...]` directives (`// ...` in TypeScript/JavaScript): the "disable" quick fixes. */
import type { TextEdit } from './core/findings.js';

/** How comments start: `#` in Python, `//` in TypeScript and JavaScript. */
export type CommentStyle = '#' | '//';

const LINE_DIRECTIVE: Record<CommentStyle, RegExp> = {
  '#': /#\s*fitcheck:\s*ignore\[([^\]]*)\]/,
  '//': /(?:\/\/|\/\*)\s*fitcheck:\s*ignore\[([^\]]*)\]/,
};

/** Silences `code` on `line`: extends an existing directive there, or appends one. */
export function disableOnLine(text: string, line: number, code: string, comment: CommentStyle = '#'): TextEdit {
  const lineText = text.split('\n')[line] ?? '';
  const existing = LINE_DIRECTIVE[comment].exec(lineText);
  if (existing) {
    const close = existing.index + existing[0].length - 1;
    const at = { line, character: close };
    return { span: { start: at, end: at }, newText: existing[1]!.trim() ? `, ${code}` : code };
  }
  const end = lineText.replace(/\r$/, '').length;
  const at = { line, character: end };
  return { span: { start: at, end: at }, newText: `  ${comment} fitcheck: ignore[${code}]` };
}

/** Silences `code` in the whole file with a directive after any shebang or encoding line. */
export function disableInFile(text: string, code: string, comment: CommentStyle = '#'): TextEdit {
  const lines = text.split('\n');
  let line = 0;
  while (line < Math.min(2, lines.length) && (comment === '#' ? /^#!|^#.*coding[:=]/ : /^#!/).test(lines[line]!)) line++;
  const at = { line, character: 0 };
  return { span: { start: at, end: at }, newText: `${comment} fitcheck: ignore-file[${code}]\n` };
}
