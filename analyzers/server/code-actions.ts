/** Quick fixes for Fitcheck diagnostics: the rule's own fixes, then "disable for this line/file". */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { Fix } from '../core/findings.js';
import { disableInFile, disableOnLine, type CommentStyle } from '../suppression-edits.js';
import { SOURCE } from './diagnostics.js';

/** The code actions for the Fitcheck diagnostics among `diagnostics`; directives are written as `comment` comments. */
export function codeActionsFor(uri: string, text: string, diagnostics: readonly Diagnostic[], comment: CommentStyle = '#'): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE || typeof diagnostic.code !== 'string') continue;
    const code = diagnostic.code;
    const fixes = ((diagnostic.data as { fixes?: Fix[] } | undefined)?.fixes ?? []);
    fixes.forEach((fix, i) => {
      actions.push({
        title: `${fix.title} (${code})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: i === 0,
        edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.span, newText: e.newText })) } },
      });
    });
    const line = disableOnLine(text, diagnostic.range.start.line, code, comment);
    actions.push({
      title: `Disable ${code} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [uri]: [{ range: line.span, newText: line.newText }] } },
    });
    const file = disableInFile(text, code, comment);
    actions.push({
      title: `Disable ${code} for this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [uri]: [{ range: file.span, newText: file.newText }] } },
    });
  }
  return actions;
}
