/** Findings as LSP diagnostics. */
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../core/findings.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SOURCE = 'fitcheck';

/** One diagnostic per finding, with the rule code linked to its page and the related places. */
export function toDiagnostic(finding: Finding, uri: string): Diagnostic {
  return {
    range: finding.span,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: finding.docsUrl },
    source: SOURCE,
    message: finding.message,
    relatedInformation: finding.related.map((r) => ({ location: { uri: r.file ? pathToFileURL(r.file).href : uri, range: r.span }, message: r.message })),
    data: { name: finding.name, fixes: finding.fixes },
  };
}

/** The note shown on line 1 when a file is not analysed. */
export function skippedDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    message: `Fitcheck skipped this file: ${reason}.`,
  };
}

/** The note shown on line 1 when analysing a file failed: the file is named, never left silently clean. */
export function failedDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    source: SOURCE,
    message: `Fitcheck could not analyse this file: ${reason}.`,
  };
}
