/** The lint result of one file, as the CLI's formatters see it. */
import type { Finding } from '../analyzers/core/findings.js';
import type { Span } from '../analyzers/core/span.js';

export interface FileReport {
  /** The path as given or found, relative to the working directory where possible. */
  file: string;
  /** Findings; in notebooks each carries its `cell` (0-based) and cell-relative lines, and `fileSpan`, its place in the .ipynb file. */
  findings: (Finding & { cell?: number; fileSpan?: Span })[];
}

/** A finding in the CLI's JSON shape: 1-based lines and columns. */
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  name: string;
  severity: Finding['severity'];
  message: string;
  fixable: boolean;
  /** Notebooks only: the 1-based position of the cell the lines refer to. */
  cell?: number;
  /** Places that explain the finding (the loss a softmax feeds), possibly in other files of the project. */
  related: JsonRelated[];
}

/** A related place: 1-based lines and columns, and its file. */
export interface JsonRelated {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** Flattens reports into the JSON array form. */
export function toJsonFindings(reports: FileReport[]): JsonFinding[] {
  return reports.flatMap((report) => report.findings.map((f) => ({
    file: report.file,
    line: f.span.start.line + 1,
    column: f.span.start.character + 1,
    endLine: f.span.end.line + 1,
    endColumn: f.span.end.character + 1,
    code: f.code,
    name: f.name,
    severity: f.severity,
    message: f.message,
    fixable: f.fixes.length > 0,
    ...(f.cell !== undefined ? { cell: f.cell + 1 } : {}),
    related: f.related.map((r) => ({
      file: r.file ?? report.file,
      line: r.span.start.line + 1,
      column: r.span.start.character + 1,
      endLine: r.span.end.line + 1,
      endColumn: r.span.end.character + 1,
      message: r.message,
    })),
  })));
}
