/** Runs the rules over a file's facts and applies configuration and suppressions. */
import type { Finding, Fix } from './core/findings.js';
import { comparePos, spanKey, type Span } from './core/span.js';
import { isEnabled, type LintConfig } from './config.js';
import type { TrainingFacts } from './facts.js';
import { RULES } from './rules/index.js';
import type { Rule } from './rules/rule.js';
import { isKnownCode, isSuppressed, type Suppressions } from './suppressions.js';
import { markSafety } from './core/fix-safety.js';

/** The code of the finding for an unknown code in a directive (not a rule of the catalog). */
export const UNKNOWN_CODE = 'FC000';

/** Where rule pages live: the repository on the web, or the copy bundled with the extension. */
export const DEFAULT_DOCS_BASE = 'https://github.com/fitcheck-dev/fitcheck/blob/main/docs/rules/';

/** Applies every enabled rule to the facts; findings come back sorted and de-duplicated. */
export function runRules(facts: TrainingFacts, config: LintConfig, suppressions: Suppressions, docsBase = DEFAULT_DOCS_BASE): Finding[] {
  return settleFindings(ruleFindings(facts, config, docsBase), suppressions, docsBase);
}

/**
 * The findings of the enabled `rules` that apply to `frameworks` (the file's, by default the facts'
 * own) over `facts`, in rule order, before suppressions and with duplicates (see {@link settleFindings}).
 */
export function ruleFindings(facts: TrainingFacts, config: LintConfig, docsBase: string, rules: readonly Rule[] = RULES, frameworks = facts.frameworks): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (!isEnabled(rule.code, config)) continue;
    if (!rule.frameworks.some((f) => frameworks.includes(f))) continue;
    for (const hit of rule.check(facts, config.options)) {
      const configured = config.severity[rule.code];
      findings.push({
        code: rule.code,
        name: rule.name,
        severity: configured && configured !== 'off' ? configured : hit.severity ?? rule.severity,
        message: hit.message,
        // Spans are copied: an open document's facts (where rules take them from) move on the next edit.
        span: copySpan(hit.span),
        docsUrl: `${docsBase}${rule.code}.md`,
        fixes: (hit.fixes ?? []).map((fix) => markSafety(rule.code, withoutRepeatedEdits(fix))),
        related: (hit.related ?? []).map((r) => ({ ...r, span: copySpan(r.span) })),
      });
    }
  }
  return findings;
}

/** A file's findings as reported: the first of each code and span, less those suppressed, with unknown directive codes, sorted. */
export function settleFindings(all: readonly Finding[], suppressions: Suppressions, docsBase: string): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const finding of all) {
    const key = `${finding.code}@${spanKey(finding.span)}`;
    if (seen.has(key) || isSuppressed(suppressions, finding.code, finding.span.start.line)) continue;
    seen.add(key);
    findings.push(finding);
  }
  findings.push(...unknownDirectiveCodes(suppressions, docsBase));
  return findings.sort((a, b) => comparePos(a.span.start, b.span.start) || a.code.localeCompare(b.code) || comparePos(a.span.end, b.span.end));
}

function copySpan(span: Span): Span {
  return { start: { line: span.start.line, character: span.start.character }, end: { line: span.end.line, character: span.end.character } };
}

/**
 * A layer repeated in a model (`[block] * 3`, `append` in a loop) is one place in the source: a fix
 * that edits each layer edits that place once. The edits' spans are copies (see runRules).
 */
function withoutRepeatedEdits(fix: Fix): Fix {
  const seen = new Set<string>();
  const edits = fix.edits.filter((e) => {
    const key = `${spanKey(e.span)}\u0000${e.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...fix, edits: edits.map((e) => ({ ...e, span: copySpan(e.span) })) };
}

/** Codes in `# fitcheck: ignore[...]` that name no rule: a typo would silently silence nothing. */
function unknownDirectiveCodes(suppressions: Suppressions, docsBase: string): Finding[] {
  return suppressions.written
    .filter(({ code }) => !isKnownCode(code))
    .map(({ code, span }) => ({
      code: UNKNOWN_CODE,
      name: 'unknown-rule-code',
      severity: 'warning' as const,
      message: `"${code}" in this fitcheck directive is not a rule code, so it silences nothing. Use a code like FC101 or a prefix like FC3 (\`fitcheck rules\` lists them).`,
      span,
      docsUrl: `${docsBase}README.md`,
      fixes: [],
      related: [],
    }));
}
