/**
 * An open document's findings kept per part between edits. A document's facts are made of parts that
 * share no names (see python/group-facts.ts); the rules marked `local` find in the whole what they find in
 * each part, so they check a part once and keep its findings while the part stays the same, moving their
 * lines when an edit above moves the part. The other rules read the whole file's facts on every edit.
 */
import type { Finding } from './core/findings.js';
import { lastAtOrBefore } from './core/sorted-search.js';
import type { Span } from './core/span.js';
import type { LintConfig } from './config.js';
import { ruleFindings, settleFindings } from './engine.js';
import type { TrainingFacts } from './facts.js';
import { RULES } from './rules/index.js';
import type { Rule } from './rules/rule.js';
import type { Suppressions } from './suppressions.js';

/** One part of a file's facts, at the file's lines. */
export interface FactsPart {
  /** Kept as the same object while the part is unchanged; its lines are moved in place when it moves. */
  facts: TrainingFacts;
  /** Where its runs of lines sit: [line in the part, line in the file] per run, in file order; never changed in place (a part that moves gets a new list). */
  segments: readonly (readonly [number, number])[];
}

interface Checked {
  /** The {@link PartFindings.context} the findings were made in. */
  context: number;
  /** The part's segments when its findings were last placed (the list given then: lists are never changed in place). */
  segments: readonly (readonly [number, number])[];
  findings: Finding[];
}

export class PartFindings {
  private readonly local: readonly Rule[];
  private readonly whole: readonly Rule[];
  /** By a part's facts object: gone with the part. */
  private checked = new WeakMap<TrainingFacts, Checked>();
  /** The rules' settings, the file's frameworks and the docs' base of the last call, and a number for them. */
  private settings = '';
  private context = 0;

  /** `rules`: the catalog (another list in tests). */
  constructor(rules: readonly Rule[] = RULES) {
    this.local = rules.filter((r) => r.local);
    this.whole = rules.filter((r) => !r.local);
  }

  /** The file's findings, as {@link runRules} gives them for `merged`, the facts of all of `parts`. */
  findings(parts: readonly FactsPart[], merged: TrainingFacts, config: LintConfig, suppressions: Suppressions, docsBase: string): Finding[] {
    const settings = `${JSON.stringify(config)}\u0000${merged.frameworks.join()}\u0000${docsBase}`;
    // Compared once per call, not once per part.
    if (settings !== this.settings) {
      this.settings = settings;
      this.context++;
    }
    const context = this.context;
    const all = ruleFindings(merged, config, docsBase, this.whole);
    for (const part of parts) {
      let checked = this.checked.get(part.facts);
      if (!checked || checked.context !== context) {
        // A copy of the facts object: rules keep indexes by facts object, and this one's lines have moved.
        const findings = ruleFindings({ ...part.facts }, config, docsBase, this.local, merged.frameworks);
        checked = { context, segments: part.segments, findings };
        this.checked.set(part.facts, checked);
      } else if (checked.segments !== part.segments) {
        if (!sameSegments(checked.segments, part.segments)) {
          checked.findings = checked.findings.map((f) => moveFinding(f, lineMover(checked!.segments, part.segments)));
        }
        checked.segments = part.segments;
      }
      for (const finding of checked.findings) all.push(finding);
    }
    return settleFindings(all, suppressions, docsBase);
  }

  /** Forgets every part's findings. */
  clear(): void {
    this.checked = new WeakMap();
  }
}

function sameSegments(a: readonly (readonly [number, number])[], b: readonly (readonly [number, number])[]): boolean {
  return a.length === b.length && a.every((s, i) => s[0] === b[i]![0] && s[1] === b[i]![1]);
}

/**
 * A file line of the part placed at `from` → the same line with the part at `to`: moved with the run it
 * lies in or just after (a fix may insert after a run's last line; runs of one part never touch).
 */
function lineMover(from: readonly (readonly [number, number])[], to: readonly (readonly [number, number])[]): (line: number) => number {
  return (line) => {
    const run = Math.max(0, lastAtOrBefore(from, line, (s) => s[1]));
    return line - from[run]![1] + to[run]![1];
  };
}

function moveSpan(span: Span, move: (line: number) => number): Span {
  return { start: { line: move(span.start.line), character: span.start.character }, end: { line: move(span.end.line), character: span.end.character } };
}

/** A copy of `finding` with every line it names moved. */
function moveFinding(finding: Finding, move: (line: number) => number): Finding {
  return {
    ...finding,
    span: moveSpan(finding.span, move),
    related: finding.related.map((r) => ({ ...r, span: moveSpan(r.span, move) })),
    fixes: finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, span: moveSpan(e.span, move) })) })),
  };
}
