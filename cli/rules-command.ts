/** `fitcheck rules`: the catalog as a table or JSON. */
import { RULES } from '../analyzers/rules/index.js';

/** The catalog in the requested format. */
export function formatRules(format: 'text' | 'json'): string {
  const rows = RULES.map((r) => ({ code: r.code, name: r.name, severity: r.severity, fixable: r.fixable, summary: r.summary }));
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const width = Math.max(...rows.map((r) => r.name.length));
  return `${rows.map((r) => `${r.code}  ${r.name.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.fixable ? 'fix ' : '    '}  ${r.summary}`).join('\n')}\n`;
}
