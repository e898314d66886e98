/** Edits that add `# fitcheck: ignore[...]` directives: the "disable" quick fixes. */
import type { TextEdit } from './core/findings.js';

const LINE_DIRECTIVE = /#\s*fitcheck:\s*ignore\[([^\]]*)\]/;

/** Silences `code` on `line`: extends an existing directive there, or appends one. */
export function disableOnLine(text: string, line: number, code: string): TextEdit {
  const lineText = text.split('\n')[line] ?? '';
  const existing = LINE_DIRECTIVE.exec(lineText);
  if (existing) {
    const close = existing.index + existing[0].length - 1;
    const at = { line, character: close };
    return { span: { start: at, end: at }, newText: existing[1]!.trim() ? `, ${code}` : code };
  }
  const end = lineText.replace(/\r$/, '').length;
  const at = { line, character: end };
  return { span: { start: at, end: at }, newText: `  # fitcheck: ignore[${code}]` };
}

/** Silences `code` in the whole file with a directive after any shebang or encoding line. */
export function disableInFile(text: string, code: string): TextEdit {
  const lines = text.split('\n');
  let line = 0;
  while (line < Math.min(2, lines.length) && /^#!|^#.*coding[:=]/.test(lines[line]!)) line++;
  const at = { line, character: 0 };
  return { span: { start: at, end: at }, newText: `# fitcheck: ignore-file[${code}]\n` };
}
