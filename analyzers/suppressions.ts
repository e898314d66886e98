/** `# fitcheck: ignore[FC101]` (this line) and `# fitcheck: ignore-file[FC101]` (whole file) directives. */
import type { Span } from './core/span.js';
import { RULES } from './rules/index.js';

export interface Suppressions {
  /** Line → codes or code prefixes silenced on that line (`*` for all). */
  lines: Map<number, Set<string>>;
  /** Codes or code prefixes silenced in the whole file (`*` for all). */
  file: Set<string>;
  /** Every code written in a directive, where it is written (to report unknown ones, which silence nothing). */
  written: { code: string; span: Span }[];
}

// The code list stops at the next bracket of either kind: with `[^\]]*`, a line of thousands of
// unclosed `ignore[` would be scanned to its end once per directive (quadratic).
const DIRECTIVE = /fitcheck:\s*(ignore-file|ignore)\b(?:\[([^[\]]*)\])?/g;

/** Reads directives from comments given with their 0-based start position. */
export function parseSuppressions(comments: Iterable<{ line: number; character: number; text: string }>): Suppressions {
  const result: Suppressions = { lines: new Map(), file: new Set(), written: [] };
  for (const comment of comments) {
    for (const match of comment.text.matchAll(DIRECTIVE)) {
      const target = match[1] === 'ignore-file' ? result.file : getOrCreate(result.lines, comment.line);
      if (match[2] === undefined) {
        target.add('*');
        continue;
      }
      // Positions of each code inside the brackets, for reporting unknown ones where they are written.
      const listStart = (match.index ?? 0) + match[0].indexOf('[') + 1;
      for (const part of match[2].matchAll(/[^,\s]+/g)) {
        const code = part[0].toUpperCase();
        // An unknown code silences nothing (it is reported instead): `ignore-file[F]` must not
        // silence every rule as the prefix of all codes.
        if (isKnownCode(code)) target.add(code);
        const character = comment.character + listStart + (part.index ?? 0);
        result.written.push({ code, span: { start: { line: comment.line, character }, end: { line: comment.line, character: character + part[0].length } } });
      }
    }
  }
  return result;
}

const CODE = /^FC\d{0,3}$/;

/** Whether `code` is a rule code, or a prefix of one (`FC3`), that a directive may name. */
export function isKnownCode(code: string): boolean {
  return CODE.test(code) && RULES.some((rule) => rule.code.startsWith(code));
}

/** Whether a finding of `code` on `line` is silenced; directives may name prefixes (`FC3`). */
export function isSuppressed(s: Suppressions, code: string, line: number): boolean {
  const matches = (set: Set<string> | undefined) => !!set && [...set].some((c) => c === '*' || code.startsWith(c));
  return matches(s.file) || matches(s.lines.get(line));
}

function getOrCreate(map: Map<number, Set<string>>, key: number): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
