/**
 * One entry point for linting a file, used by the language server and the CLI alike: the file's
 * kind picks the front-end (Python, notebook, TensorFlow.js script, run spec), and fix-all applies
 * the safe fixes. Project analysis (a workspace's Python modules linked together) sits above this,
 * in analyzers/project/.
 */
import type { Finding, TextEdit } from './core/findings.js';
import { applyEdits, editsOverlap } from './core/apply-edits.js';
import { resolveConfig, type LintSettings } from './config.js';
import {
  isScriptLanguage, lintCells, lintNotebookJson, MAX_NOTEBOOK_FILE_SIZE, readLimit, scriptLanguageOfPath, sizeSkipReason, whySkip,
  type Linter, type NotebookFinding, type NotebookLintResult, type ScriptLanguage,
} from './linter.js';
import type { NotebookCell } from './notebook.js';
import type { PythonDocument } from './python/document.js';
import { readLintFile } from './read-file.js';
import { isRunSpecPath, lintRunSpec } from './runspec/lint.js';

/** How a file is linted. */
export type FileKind =
  | { kind: 'python' }
  | { kind: 'notebook' }
  | { kind: 'script'; language: ScriptLanguage }
  | { kind: 'runspec' };

/**
 * The kind of a file by its path or URI, or by the editor's language id when one is given (an
 * untitled buffer has no telling name). Anything else is read as Python.
 */
export function fileKindOf(pathOrUri: string, languageId?: string): FileKind {
  if (isRunSpecPath(pathOrUri)) return { kind: 'runspec' };
  if (/\.ipynb$/i.test(pathOrUri)) return { kind: 'notebook' };
  if (languageId !== undefined && isScriptLanguage(languageId)) return { kind: 'script', language: languageId };
  if (languageId === undefined || languageId === 'python') {
    const language = languageId === undefined ? scriptLanguageOfPath(pathOrUri) : undefined;
    if (language) return { kind: 'script', language };
  }
  return { kind: 'python' };
}

export interface TextLintResult {
  /** Notebook findings carry their cell and, for `.ipynb` JSON, their place in the file. */
  findings: Finding[] | NotebookFinding[];
  /** Set when the file was not analysed, with the reason in words. */
  skipped?: string;
  /** False when the text was dismissed without parsing (a script that never names TensorFlow.js). */
  parsed: boolean;
}

export interface TextLintInput {
  /** The file's path or URI: it picks the kind unless `kind` is given. */
  path: string;
  text: string;
  config?: LintSettings;
  kind?: FileKind;
  /** An open Python document to re-parse incrementally (Python and notebooks only). */
  document?: PythonDocument | undefined;
}

/** Lints a file's text with the front-end for its kind; `.ipynb` text is the notebook's JSON. Never throws on bad input. */
export function lintText(linter: Linter, input: TextLintInput): TextLintResult {
  const config = input.config ?? {};
  const kind = input.kind ?? fileKindOf(input.path);
  switch (kind.kind) {
    case 'runspec': {
      const skipped = whySkip(input.text, resolveConfig(config).maxFileSize);
      return skipped ? { findings: [], skipped, parsed: false } : { findings: lintRunSpec(input.text, config, linter.docsBase), parsed: true };
    }
    case 'notebook':
      return { ...lintNotebookJson(linter, input.text, config), parsed: true };
    case 'script':
      return linter.lintScript(input.text, config, kind.language);
    case 'python':
      return { ...linter.lint(input.text, config, input.document), parsed: true };
  }
}

/** Lints a notebook's cells (as an editor holds them) as one program. */
export function lintNotebookCells(linter: Linter, cells: readonly NotebookCell[], config: LintSettings, document?: PythonDocument): NotebookLintResult {
  return lintCells(linter, cells, config, document);
}

export type FileRead =
  | { ok: true; text: string }
  /** Not analysed (too big): a finding-free result with this reason. */
  | { ok: false; skipped: string }
  /** Not readable at all (missing, a FIFO, no permission). */
  | { ok: false; unreadable: string };

/** Reads a file to lint: only regular files, and never more than its kind's limit. */
export function readFileToLint(file: string, config: LintSettings = {}, kind: FileKind = fileKindOf(file)): FileRead {
  // A notebook's JSON holds its outputs too: read more of it; its code is held to the limit once joined.
  const notebook = kind.kind === 'notebook';
  const read = readLintFile(file, notebook ? MAX_NOTEBOOK_FILE_SIZE : readLimit(config));
  if (read.ok) return read;
  if (read.tooBig === undefined) return { ok: false, unreadable: read.reason };
  return { ok: false, skipped: notebook ? read.reason : sizeSkipReason(read.tooBig, resolveConfig(config).maxFileSize) ?? read.reason };
}

export type FileLintResult = TextLintResult | { unreadable: string };

/** Reads and lints one file on disk (alone, not as part of a project). */
export function lintFile(linter: Linter, file: string, config: LintSettings = {}): FileLintResult {
  const kind = fileKindOf(file);
  const read = readFileToLint(file, config, kind);
  if (!read.ok) return 'unreadable' in read ? { unreadable: read.unreadable } : { findings: [], skipped: read.skipped, parsed: false };
  return lintText(linter, { path: file, text: read.text, config, kind });
}

/** A fix fix-all left alone, and why. */
export interface SkippedFix {
  code: string;
  title: string;
  line: number;
  reason: 'changes training behaviour' | 'overlaps another fix';
}

export interface FixResult {
  text: string;
  /** Fixes applied. */
  count: number;
  /** Fixes not applied in the last pass that found any: behaviour-changing ones (and ones that kept overlapping). */
  skipped: SkippedFix[];
}

/**
 * Fix-all: applies the first safe fix of each finding, a few passes at most, skipping fixes that
 * overlap. Fixes flagged `unsafe` (they change what training computes) are listed, never applied.
 * Python files and TensorFlow.js scripts only: notebooks and run specs have no fixes to apply here.
 */
export function fixText(linter: Linter, original: string, config: LintSettings, kind: FileKind = { kind: 'python' }): FixResult {
  let text = original;
  let count = 0;
  let skipped: SkippedFix[] = [];
  if (kind.kind !== 'python' && kind.kind !== 'script') return { text, count, skipped };
  for (let pass = 0; pass < 5; pass++) {
    const chosen: TextEdit[][] = [];
    skipped = [];
    const { findings } = lintText(linter, { path: '', text, config, kind });
    for (const finding of findings) {
      const fix = finding.fixes[0];
      if (!fix) continue;
      const at = { code: finding.code, title: fix.title, line: finding.span.start.line + 1 };
      if (fix.unsafe) skipped.push({ ...at, reason: 'changes training behaviour' });
      else if (chosen.some((edits) => editsOverlap(edits, fix.edits, text))) skipped.push({ ...at, reason: 'overlaps another fix' });
      else chosen.push(fix.edits);
    }
    if (chosen.length === 0) break;
    text = applyEdits(text, chosen.flat());
    count += chosen.length;
  }
  return { text, count, skipped };
}
