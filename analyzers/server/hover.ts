/** Hover text for a position covered by Fitcheck findings: the lesson behind each rule and its page. */
import type { Diagnostic, Hover, Position } from 'vscode-languageserver';
import { comparePos } from '../core/span.js';
import { findRule } from '../rules/index.js';

/** Markdown explaining every Fitcheck diagnostic under `position`, or null when there is none. */
export function hoverFor(diagnostics: readonly Diagnostic[], position: Position): Hover | null {
  const under = diagnostics.filter((d) => comparePos(d.range.start, position) <= 0 && comparePos(position, d.range.end) <= 0);
  const sections: string[] = [];
  for (const diagnostic of under) {
    const rule = typeof diagnostic.code === 'string' ? findRule(diagnostic.code) : undefined;
    if (!rule) continue;
    const link = diagnostic.codeDescription?.href;
    sections.push([
      `**Fitcheck ${rule.code}** \`${rule.name}\`: ${rule.summary}`,
      '',
      rule.lesson,
      '',
      link ? `[Read the ${rule.code} rule page](${link})` : '',
    ].join('\n'));
  }
  if (sections.length === 0) return null;
  return { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') } };
}
