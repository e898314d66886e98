/** The analyzers' entry point: text in, findings out, for every supported language. */
import type { Finding } from './core/findings.js';
import type { Pos, Span } from './core/span.js';
import { resolveConfig, type LintSettings } from './config.js';
import { DEFAULT_DOCS_BASE, runRules } from './engine.js';
import { MAX_NESTING, OUT_OF_STACK, TOO_DEEP } from './python/depth.js';
import { PythonDocument } from './python/document.js';
import { formatSizes, HARD_MAX_FILE_SIZE } from './read-file.js';
import { pythonFacts } from './python/frontend.js';
import { PythonParser } from './python/parser.js';
import { commentsHolding, mirrorDeeperThan, parseToCopy, parseToShared, type MirrorTree, type SharedRows } from './python/syntax-tree.js';
import { cellOfLine, joinCells, parseNotebook, type NotebookCell } from './notebook.js';
import { notebookFileSpan, notebookPositions } from './notebook-positions.js';
import { parseSuppressions } from './suppressions.js';
import { TfjsAnalyzer, type ScriptKind } from './tfjs/analyzer.js';
import { mentionsTfjs } from './tfjs/frontend.js';

/** The languages Fitcheck lints, by their VS Code language ids. */
export type LanguageId = 'python' | ScriptLanguage;

/** TypeScript and JavaScript: linted when they import TensorFlow.js. */
export type ScriptLanguage = 'typescript' | 'javascript' | 'typescriptreact' | 'javascriptreact';

const SCRIPT_KINDS: Record<ScriptLanguage, ScriptKind> = { typescript: 'ts', typescriptreact: 'tsx', javascript: 'js', javascriptreact: 'jsx' };

/** Whether a language id is one of the script languages. */
export function isScriptLanguage(language: string): language is ScriptLanguage {
  return Object.hasOwn(SCRIPT_KINDS, language);
}

/** The script language of a file by its extension (`.ts`, `.tsx`, `.js`, `.jsx`, `.mjs`, `.cjs`, `.mts`, `.cts`). */
export function scriptLanguageOfPath(file: string): ScriptLanguage | undefined {
  const match = /\.([mc]?[jt]sx?)$/i.exec(file);
  if (!match || /\.d\.[mc]?ts$/i.test(file)) return undefined;
  const ext = match[1]!.toLowerCase();
  if (ext === 'tsx') return 'typescriptreact';
  if (ext === 'jsx') return 'javascriptreact';
  if (ext.endsWith('ts') && ext.length <= 3) return 'typescript';
  if (ext.endsWith('js') && ext.length <= 3) return 'javascript';
  return undefined;
}

export interface LintResult {
  findings: Finding[];
  /** Set when the file was not analysed, with the reason in words. */
  skipped?: string;
}

export interface ScriptLintResult extends LintResult {
  /** False when the text was dismissed without parsing (it never names a TensorFlow.js module, or is too big). */
  parsed: boolean;
}

/** A finding in a notebook: its span is relative to the cell `cell` (0-based index among all cells). */
export type NotebookFinding = Finding & {
  cell: number;
  /** Only from `lintNotebookJson`: the finding's place in the `.ipynb` file itself, for reports about the file. */
  fileSpan?: Span;
};

export interface NotebookLintResult {
  findings: NotebookFinding[];
  skipped?: string;
}

export interface LinterOptions {
  /** Folder holding `web-tree-sitter.wasm` and `tree-sitter-python.wasm` (bundles); node_modules otherwise. */
  wasmDir?: string | undefined;
  /** Base of the rule pages linked from findings. */
  docsBase?: string;
}

/** Lints source text. One instance per process; it owns the parsers. */
export class Linter {
  /** Created (and ts-morph loaded) when the first TensorFlow.js file is linted. */
  private tfjs: TfjsAnalyzer | undefined;

  private constructor(private readonly parser: PythonParser, /** Base of the rule pages linked from findings. */ readonly docsBase: string) {}

  static async create(options: LinterOptions = {}): Promise<Linter> {
    return new Linter(await PythonParser.create(options.wasmDir), options.docsBase ?? DEFAULT_DOCS_BASE);
  }

  /**
   * A one-shot parse of Python text, copied into compact rows by one walk (the tree-sitter tree is
   * freed at once): the analyzers then read plain JS instead of calling into wasm for every node.
   */
  parsePython(text: string): MirrorTree {
    return parseToCopy((part) => this.parser.parse(part), text);
  }

  /** Parses Python `text` into rows in shared memory, for other threads to read as a copy (see {@link parseToShared}). */
  parsePythonShared(text: string): SharedRows {
    return parseToShared((part) => this.parser.parse(part), text);
  }

  /**
   * A document that re-parses incrementally as its text changes (for the language server);
   * `background`: read only for its syntax (see {@link PythonDocument}).
   */
  openDocument(background = false): PythonDocument {
    return new PythonDocument(this.parser, background);
  }

  /**
   * Lints `text`; pass `document` to reuse its previous parse (Python only). `language` picks the
   * front-end: Python (the default), or TypeScript/JavaScript ({@link lintScript}). Never throws on bad input.
   */
  lint(text: string, config: LintSettings = {}, document?: PythonDocument, language: LanguageId = 'python'): LintResult {
    if (language !== 'python') return this.lintScript(text, config, language);
    return this.lintPython(text, config, document ? { document } : {});
  }

  /** Lints Python `text` from `parsed`, its one-shot parse ({@link parsePython}). Never throws on bad input. */
  lintParsed(text: string, parsed: MirrorTree, config: LintSettings = {}): LintResult {
    return this.lintPython(text, config, { parsed });
  }

  private lintPython(text: string, config: LintSettings, source: { document?: PythonDocument; parsed?: MirrorTree }): LintResult {
    const resolved = resolveConfig(config);
    const skipped = whySkip(text, resolved.maxFileSize);
    if (skipped) return { findings: [], skipped };
    const { document } = source;
    try {
      const parsed = document ? undefined : source.parsed ?? this.parsePython(text);
      const root = document ? document.update(text) : parsed!.root;
      if (document ? document.deeperThan(MAX_NESTING) : mirrorDeeperThan(parsed!, MAX_NESTING)) return { findings: [], skipped: TOO_DEEP };
      // Directives are rare: only files that mention them pay for looking their comments up.
      const copy = document ? document.copy() : parsed;
      const comments = !copy || !text.includes('fitcheck') ? [] : commentsHolding(copy, 'fitcheck')
        .map((c) => ({ line: c.startPosition.row, character: c.startPosition.column, text: c.text }));
      const suppressions = parseSuppressions(comments);
      if (document) return { findings: document.findings(root, text, resolved, suppressions, this.docsBase) };
      return { findings: runRules(pythonFacts(root, text), resolved, suppressions, this.docsBase) };
    } catch (error) {
      // The depth check above bounds the analyzers' recursion; this is the net for what it cannot see
      // (deep chains of inlined helper calls, a smaller stack). The tree is fine: only the analysis is
      // given up, and the reason says so rather than claiming the depth limit.
      if (!isStackOverflow(error)) throw error;
      return { findings: [], skipped: OUT_OF_STACK };
    }
  }

  /**
   * Lints TypeScript/JavaScript text that imports TensorFlow.js. Text that never names a tfjs module
   * costs one substring search: it is not parsed, and ts-morph is not even loaded. Never throws on bad input.
   */
  lintScript(text: string, config: LintSettings = {}, language: ScriptLanguage = 'typescript'): ScriptLintResult {
    if (!mentionsTfjs(text)) return { findings: [], parsed: false };
    const resolved = resolveConfig(config);
    const skipped = whySkip(text, resolved.maxFileSize);
    if (skipped) return { findings: [], skipped, parsed: false };
    let analysis;
    try {
      this.tfjs ??= TfjsAnalyzer.create();
      analysis = this.tfjs.analyze(text, SCRIPT_KINDS[language]);
    } catch (error) {
      // The TypeScript parser recurses per nesting level; pathological nesting overflows the stack.
      if (!(error instanceof RangeError)) throw error;
      this.tfjs = undefined;
      return { findings: [], skipped: TOO_DEEP_SCRIPT, parsed: true };
    }
    return { findings: runRules(analysis.facts, resolved, parseSuppressions(analysis.comments), this.docsBase), parsed: true };
  }
}

/**
 * Lints a notebook's code cells as one program, in order; findings carry their cell. Pass the
 * notebook's `document` to re-parse incrementally across edits, as for a file.
 */
export function lintCells(linter: Linter, cells: readonly NotebookCell[], config: LintSettings = {}, document?: PythonDocument): NotebookLintResult {
  const program = joinCells(cells);
  const result = linter.lint(program.text, config, document);
  if (result.skipped) return { findings: [], skipped: result.skipped };
  const findings: NotebookFinding[] = [];
  for (const finding of result.findings) {
    const start = cellOfLine(program, finding.span.start.line);
    if (!start) continue;
    const cell = program.cells.find((c) => c.index === start.cell)!;
    const toCell = cellMapper(cell.startLine, cell.lineCount);
    // A span running into a later cell is cut to its start.
    const at = { line: start.line, character: finding.span.start.character };
    const span = toCell(finding.span) ?? { start: at, end: at };
    findings.push({
      ...finding,
      cell: start.cell,
      span,
      related: finding.related.flatMap((r) => {
        const mapped = toCell(r.span);
        return mapped ? [{ ...r, span: mapped }] : [];
      }),
      // Fixes edit the joined program; only those confined to this cell can be mapped back.
      fixes: finding.fixes.flatMap((fix) => {
        const edits = fix.edits.map((e) => ({ ...e, span: toCell(e.span) }));
        return edits.every((e) => e.span) ? [{ ...fix, edits: edits as typeof fix.edits }] : [];
      }),
    });
  }
  return { findings };
}

/** Maps spans of the joined program into one cell; undefined for spans outside it. */
function cellMapper(startLine: number, lineCount: number): (span: Span) => Span | undefined {
  // An end at column 0 of the line after the cell (a deleted last line) still belongs to the cell.
  const inCell = (pos: Pos, isEnd: boolean) => (pos.line >= startLine && pos.line < startLine + lineCount) ||
    (isEnd && pos.line === startLine + lineCount && pos.character === 0);
  return (span) => (inCell(span.start, false) && inCell(span.end, true)
    ? { start: { line: span.start.line - startLine, character: span.start.character }, end: { line: span.end.line - startLine, character: span.end.character } }
    : undefined);
}

/** Lints `.ipynb` JSON text; malformed notebooks are reported as skipped with the reason. */
export function lintNotebookJson(linter: Linter, json: string, config: LintSettings = {}): NotebookLintResult {
  let cells: NotebookCell[];
  try {
    cells = parseNotebook(json);
  } catch (error) {
    return { findings: [], skipped: error instanceof Error ? error.message : String(error) };
  }
  const result = lintCells(linter, cells, config);
  if (result.findings.length === 0) return result;
  const positions = notebookPositions(json);
  return { ...result, findings: result.findings.map((f) => ({ ...f, fileSpan: notebookFileSpan(positions, f.cell, f.span) })) };
}

const TOO_DEEP_SCRIPT = 'file is nested too deeply to analyse';

/** Whether `error` is V8's stack overflow (other range errors are bugs to report, not limits). */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** Binary or oversized input is reported, not analysed. */
export function whySkip(text: string, maxFileSize: number): string | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  const why = sizeSkipReason(bytes, maxFileSize);
  if (why) return why;
  if (text.includes('\u0000')) return 'file looks binary (it contains NUL bytes)';
  return undefined;
}

/** Why a file of `bytes` bytes is not analysed under the `maxFileSize` setting (and the parser's own bound), if it is not. */
export function sizeSkipReason(bytes: number, maxFileSize: number): string | undefined {
  if (bytes > HARD_MAX_FILE_SIZE && maxFileSize > HARD_MAX_FILE_SIZE) {
    const [size, limit] = formatSizes(bytes, HARD_MAX_FILE_SIZE);
    return `file is ${size}, over the ${limit} that Fitcheck can parse at most (whatever fitcheck.maxFileSize / --max-file-size say)`;
  }
  if (bytes > maxFileSize) {
    const [size, limit] = formatSizes(bytes, maxFileSize);
    return `file is ${size}, over the ${limit} limit (setting fitcheck.maxFileSize / --max-file-size)`;
  }
  return undefined;
}

/** A notebook's JSON holds its outputs (images, tables) besides the code: it may be this big before its code is checked. */
export const MAX_NOTEBOOK_FILE_SIZE = 50_000_000;

/** The most bytes worth reading for a file linted under `maxFileSize`: one more tells that it is over. */
export function readLimit(config: LintSettings): number {
  return Math.min(resolveConfig(config).maxFileSize, HARD_MAX_FILE_SIZE);
}
