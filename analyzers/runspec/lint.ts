/** Lints a `*.fitrun.json` run spec: its validation errors, then the rules over its model, loss and optimizer. */
import { resolveConfig, type LintSettings } from '../config.js';
import type { Finding } from '../core/findings.js';
import { DEFAULT_DOCS_BASE, runRules } from '../engine.js';
import { parseSuppressions } from '../suppressions.js';
import { runSpecFacts } from './frontend.js';

/** The code of a finding for an invalid run spec (not a rule of the catalog). */
export const INVALID_SPEC = 'FC001';

/** Whether a path names a run spec. */
export function isRunSpecPath(path: string): boolean {
  return path.endsWith('.fitrun.json');
}

/** Findings for a run spec's text: one error per invalid place, or the rules' findings when it is valid. */
export function lintRunSpec(text: string, config: LintSettings = {}, docsBase = DEFAULT_DOCS_BASE): Finding[] {
  const { facts, errors } = runSpecFacts(text);
  if (errors.length > 0) {
    return errors.map((error) => ({
      code: INVALID_SPEC,
      name: 'invalid-run-spec',
      severity: 'error' as const,
      message: error.path && !error.message.includes(error.path) ? `${error.path}: ${error.message}` : error.message,
      span: { start: { line: error.line, character: error.column }, end: { line: error.endLine, character: error.endColumn } },
      docsUrl: docsBase.replace(/rules\/$/, 'runspec.md'),
      fixes: [],
      related: [],
    }));
  }
  // JSON with comments may carry `// fitcheck: ignore[...]` directives too.
  const comments = [...text.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)].filter((m) => m[0].includes('fitcheck')).map((m) => {
    const before = text.slice(0, m.index);
    const line = before.split('\n').length - 1;
    return { line, character: m.index! - (before.lastIndexOf('\n') + 1), text: m[0] };
  });
  return runRules(facts, resolveConfig(config), parseSuppressions(comments), docsBase);
}
