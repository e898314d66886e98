/** Lints a `*.fitrun.json` run spec: its validation errors, then the rules over its model, loss and optimizer. */
import { resolveConfig, type LintSettings } from '../config.js';
import type { Finding } from '../core/findings.js';
import { DEFAULT_DOCS_BASE, runRules } from '../engine.js';
import { parseSuppressions } from '../suppressions.js';
import { runSpecFacts } from './frontend.js';
import { commentsOf, MAX_SPEC_NESTING, tooDeepAt } from '../../trainer/spec/json-scan.js';
import { LineIndex, type TextRange } from '../../trainer/spec/positions.js';

export { MAX_SPEC_NESTING };

/** The code of a finding for an invalid run spec (not a rule of the catalog). */
export const INVALID_SPEC = 'FC001';

/** Whether a path names a run spec. */
export function isRunSpecPath(path: string): boolean {
  return path.endsWith('.fitrun.json');
}

/** Findings for a run spec's text: one error per invalid place, or the rules' findings when it is valid. */
export function lintRunSpec(text: string, config: LintSettings = {}, docsBase = DEFAULT_DOCS_BASE): Finding[] {
  const lines = new LineIndex(text);
  const invalid = (message: string, range: TextRange): Finding => ({
    code: INVALID_SPEC,
    name: 'invalid-run-spec',
    severity: 'error',
    message,
    span: { start: { line: range.line, character: range.column }, end: { line: range.endLine, character: range.endColumn } },
    docsUrl: docsBase.replace(/rules\/$/, 'runspec.md'),
    fixes: [],
    related: [],
  });
  // The JSON parser recurses per nesting level: thousands of nested brackets would overflow the stack.
  const deep = tooDeepAt(text, MAX_SPEC_NESTING);
  if (deep !== undefined) {
    return [invalid(`the run spec nests more than ${MAX_SPEC_NESTING} levels deep; a run spec needs a handful (data, model, layers)`, lines.range(deep, 1))];
  }
  const allComments = commentsOf(text);
  const unclosed = allComments.find((c) => c.unclosed);
  if (unclosed) {
    // Said here, before validation: the validator's comment-stripping pattern rescans the rest of the
    // text for every unclosed `/*`, which is quadratic on thousands of them.
    return [invalid('syntax error: unterminated comment', lines.range(unclosed.offset, 2))];
  }
  let analysis: ReturnType<typeof runSpecFacts>;
  try {
    analysis = runSpecFacts(text);
  } catch (error) {
    // A net for what the depth check cannot see; the spec is reported, never the process brought down.
    if (!(error instanceof RangeError)) throw error;
    return [invalid('the run spec is nested too deeply to read', lines.range(0, 0))];
  }
  const { facts, errors } = analysis;
  if (errors.length > 0) {
    return errors.map((error) => invalid(error.path && !error.message.includes(error.path) ? `${error.path}: ${error.message}` : error.message, error));
  }
  // JSON with comments may carry `// fitcheck: ignore[...]` directives too.
  // One line index for all of them: thousands of directives must not rescan the text each.
  const comments = allComments.filter((c) => c.text.includes('fitcheck')).map((c) => {
    const at = lines.position(c.offset);
    return { line: at.line, character: at.column, text: c.text };
  });
  return runRules(facts, resolveConfig(config), parseSuppressions(comments), docsBase);
}
