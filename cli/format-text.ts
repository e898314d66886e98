/** Human-readable lint output: one line per finding and a summary. */
import type { FileReport } from './report.js';
import { toJsonFindings } from './report.js';
import { printable } from './display.js';

const COLORS = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', hint: '\u001b[2m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' };

/** `file:line:col: CODE severity message (name)` lines followed by a count; control characters in names and messages are escaped. */
export function formatText(reports: FileReport[], color: boolean): string {
  const paint = (style: keyof typeof COLORS, text: string) => (color ? `${COLORS[style]}${text}${COLORS.reset}` : text);
  const findings = toJsonFindings(reports);
  const lines = findings.map((f) =>
    `${paint('bold', `${printable(f.file)}${f.cell !== undefined ? `[cell ${f.cell}]` : ''}:${f.line}:${f.column}`)}: ${paint(f.severity, `${f.code} ${f.severity}`)} ${printable(f.message)} ${paint('dim', `(${f.name})`)}`);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const files = new Set(findings.map((f) => f.file)).size;
  if (findings.length === 0) {
    lines.push(`No problems found in ${reports.length} file${reports.length === 1 ? '' : 's'}.`);
  } else {
    const parts = (['error', 'warning', 'info', 'hint'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}${count(s) === 1 ? '' : 's'}`);
    lines.push(`Found ${findings.length} problem${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} of ${reports.length} file${reports.length === 1 ? '' : 's'}.`);
  }
  return `${lines.join('\n')}\n`;
}
