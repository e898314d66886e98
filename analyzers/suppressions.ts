/** `# fitcheck: ignore[FC101]` (this line) and `# fitcheck: ignore-file[FC101]` (whole file) directives. */

export interface Suppressions {
  /** Line → codes silenced on that line (`*` for all). */
  lines: Map<number, Set<string>>;
  /** Codes silenced in the whole file (`*` for all). */
  file: Set<string>;
}

const DIRECTIVE = /fitcheck:\s*(ignore-file|ignore)\b(?:\[([^\]]*)\])?/g;

/** Reads directives from comments given as (0-based line, text). */
export function parseSuppressions(comments: Iterable<{ line: number; text: string }>): Suppressions {
  const result: Suppressions = { lines: new Map(), file: new Set() };
  for (const comment of comments) {
    for (const match of comment.text.matchAll(DIRECTIVE)) {
      const codes = match[2] === undefined ? ['*'] : match[2].split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
      const target = match[1] === 'ignore-file' ? result.file : getOrCreate(result.lines, comment.line);
      for (const code of codes) target.add(code);
    }
  }
  return result;
}

/** Whether a finding of `code` on `line` is silenced. */
export function isSuppressed(s: Suppressions, code: string, line: number): boolean {
  if (s.file.has('*') || s.file.has(code)) return true;
  const codes = s.lines.get(line);
  return !!codes && (codes.has('*') || codes.has(code));
}

function getOrCreate(map: Map<number, Set<string>>, key: number): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
