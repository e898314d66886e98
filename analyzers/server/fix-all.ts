/** The `source.fixAll.fitcheck` code action: every safe fix of a document in one edit. */
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintSettings } from '../config.js';
import { fixText, type FileKind } from '../lint-file.js';
import type { Linter } from '../linter.js';

/** The kind VS Code asks for on save (`editor.codeActionsOnSave: { "source.fixAll.fitcheck": "explicit" }`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.fitcheck`;

/** Whether a code action request asks for fix-all (`only` names source.fixAll, or its Fitcheck kind). */
export function wantsFixAll(only: readonly string[] | undefined): boolean {
  return !!only?.some((kind) => kind === CodeActionKind.Source || kind === CodeActionKind.SourceFixAll || kind === FIX_ALL_KIND);
}

/**
 * The fix-all action for a document, or none when nothing safe is left to fix. Behaviour-changing
 * fixes stay quick fixes: a save never changes what training computes.
 */
export function fixAllAction(linter: Linter, document: TextDocument, config: LintSettings, kind: FileKind): CodeAction | undefined {
  const original = document.getText();
  const fixed = fixText(linter, original, config, kind);
  if (fixed.count === 0 || fixed.text === original) return undefined;
  return { title: 'Fix all safe Fitcheck problems', kind: FIX_ALL_KIND, edit: { changes: { [document.uri]: [changedRegion(document, original, fixed.text)] } } };
}

/** One edit replacing only the span that differs, so the editor keeps the cursor and folds elsewhere. */
function changedRegion(document: TextDocument, before: string, after: string): TextEdit {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < shortest - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return {
    range: { start: document.positionAt(start), end: document.positionAt(before.length - end) },
    newText: after.slice(start, after.length - end),
  };
}
