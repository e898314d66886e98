/** SARIF 2.1.0 output, for code-scanning services in CI. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../analyzers/core/findings.js';
import type { Span } from '../analyzers/core/span.js';
import { DEFAULT_DOCS_BASE } from '../analyzers/engine.js';
import { RULES } from '../analyzers/rules/index.js';
import type { FileReport } from './report.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** A SARIF log with one run: the rule catalog as the tool's rules and one result per finding. */
export function formatSarif(reports: FileReport[], version: string, cwd = process.cwd()): string {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.code, i]));
  const results = reports.flatMap((report) => report.findings.map((f) => ({
    ruleId: f.code,
    ruleIndex: ruleIndex.get(f.code) ?? -1,
    level: LEVEL[f.severity],
    message: { text: f.cell !== undefined ? `${f.message} (cell ${f.cell + 1})` : f.message },
    ...(f.cell !== undefined ? { properties: { cell: f.cell + 1 } } : {}),
    locations: [{
      physicalLocation: {
        artifactLocation: artifactLocation(report.file, cwd),
        // A notebook finding is placed at its cell's code in the .ipynb file, where a SARIF viewer looks.
        region: regionOf(f.fileSpan ?? f.span),
      },
    }],
    ...(f.related.length > 0 ? {
      relatedLocations: f.related.map((r, id) => ({
        id,
        message: { text: r.message },
        physicalLocation: {
          artifactLocation: artifactLocation(r.file ?? report.file, cwd),
          region: { startLine: r.span.start.line + 1, startColumn: r.span.start.character + 1, endLine: r.span.end.line + 1, endColumn: r.span.end.character + 1 },
        },
      })),
    } : {}),
  })));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'fitcheck',
          version,
          informationUri: 'https://github.com/fitcheck-dev/fitcheck',
          rules: RULES.map((rule) => ({
            id: rule.code,
            name: rule.name,
            shortDescription: { text: rule.summary },
            helpUri: `${DEFAULT_DOCS_BASE}${rule.code}.md`,
            defaultConfiguration: { level: LEVEL[rule.severity] },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(cwd).href}/` } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(absolute).href };
}

/** A SARIF region (1-based) of a span. */
function regionOf(span: Span): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: span.start.line + 1, startColumn: span.start.character + 1, endLine: span.end.line + 1, endColumn: span.end.character + 1 };
}
