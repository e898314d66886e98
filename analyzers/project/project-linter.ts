/**
 * The project model: the workspace's Python modules, each linted together with what it imports from
 * the others. Summaries are cached per module text, results per linked program text, so an edit in
 * `nets.py` re-analyses exactly the modules whose linked program it changes (those that import what
 * changed), and nothing else.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Finding, RelatedInfo } from '../core/findings.js';
import type { Span } from '../core/span.js';
import { resolveConfig, type LintSettings } from '../config.js';
import { OWN_FILE_ONLY } from '../rules/index.js';
import { sizeSkipReason, type Linter, type LintResult } from '../linter.js';
import type { PythonDocument } from '../python/document.js';
import { releaseViews, shareTree, treeFromShared, type MirrorTree, type SharedRows } from '../python/syntax-tree.js';
import { linkModule, type ColumnShift, type LinkedProgram, type Segment } from './linked-program.js';
import { linkedTree } from './linked-tree.js';
import { SummaryCache, summarizeModule, type ModuleSummary, type ReadTree } from './module-summary.js';
import { resolveModule } from './resolve-module.js';
import { withDeclaredRoots } from './source-roots.js';

/** Characters of module text whose one-shot copies a project keeps (their rows take about 4 bytes a character). */
const RETAINED_CHARS = 24_000_000;

/** A finding with the file it sits in (absolute path); related places name their file too. */
export type ProjectFinding = Finding & { file: string };

export interface ModuleResult {
  /** Findings of this module's analysis, wherever they sit (its own file or a module it imports). */
  findings: ProjectFinding[];
  /** Project files the analysis read definitions from. */
  dependencies: Set<string>;
  skipped?: string;
}

interface CachedModule {
  text: string;
  summary: ModuleSummary | undefined;
  /** The text came from the host ({@link ProjectLinter.setText}), as it does for every project of the same setup. */
  given?: true;
}

/** A module parsed by one thread for the others (see {@link ProjectLinter.share}). */
export interface SharedModule {
  file: string;
  /**
   * SHA-1 of the text it was parsed from, read from disk: a project holding another text for the file
   * does not take it over. Absent when the host gave the text, as it gives every thread of its setup:
   * then only a project holding the host's text for the file takes it over.
   */
  digest?: string;
  rows: SharedRows;
}

/** Reads a module's text from disk (or wherever the host keeps it); undefined when unreadable. */
export type ReadModule = (file: string) => string | undefined;

export class ProjectLinter {
  private readonly modules = new Map<string, CachedModule>();
  private readonly results = new Map<string, { linked: string; config: string; result: ModuleResult }>();
  /** Incremental parse state per analysed module: most edits change a small part of a linked program. */
  private readonly documents = new Map<string, PythonDocument>();
  /**
   * Summary state of modules edited in the editor: a document (an edit re-parses only around it) and
   * what its statements gave the last summary (see SummaryCache).
   */
  private readonly edited = new Map<string, { document: PythonDocument; cache: SummaryCache }>();
  /**
   * Modules whose last linked program was their own text (nothing copied in, nothing stubbed): their
   * summary is read from the document they are linted with, so an edit parses once, not twice.
   */
  private readonly linkedAsWritten = new Set<string>();
  /**
   * One-shot copies of modules' texts, kept (up to {@link RETAINED_CHARS} characters of text) so that a
   * module summarised as another's dependency is not parsed again for its own analysis, and so that
   * linked programs are assembled from them (linked-tree.ts) instead of parsed.
   */
  private readonly trees = new Map<string, MirrorTree>();
  private treeChars = 0;
  /**
   * Copies other threads parsed ({@link adopt}): not bounded by {@link RETAINED_CHARS}, since their
   * shared memory lives as long as any thread holds them (the host keeps them for the whole run), and
   * dropping one would only make this thread parse the module again.
   */
  private readonly adopted = new Map<string, MirrorTree | { shared: SharedModule; text?: string }>();
  /** A copy made by this project's parser, whose grammar adopted copies read their kinds with. */
  private sample: MirrorTree | undefined;
  private readonly files = new Set<string>();
  /**
   * Import resolutions by importing file, then module name (one map per folder, shared by its files);
   * cleared when a file comes or goes. Two levels, not one key of folder and name: the linker resolves
   * in its inner loops, and a key made per lookup was hashed afresh every time.
   */
  private readonly resolved = new Map<string, Map<string, string | undefined>>();
  private readonly resolvedInFolder = new Map<string, Map<string, string | undefined>>();
  /** Absolute modules by where they resolve under the import roots (see {@link resolveModule}). */
  private readonly resolvedFromRoots = new Map<string, string | undefined>();
  /** Modules whose text is an editor's (see {@link setText}). */
  private readonly openFiles = new Set<string>();
  /** The project folders and the import roots their `pyproject.toml` declares. */
  private readonly importRoots: readonly string[];

  /**
   * `roots`: the project folders (absolute); `read` supplies texts not set with {@link setText};
   * `keepCopies`: keep modules' one-shot copies (see {@link trees}): for a batch lint (the CLI, the lint
   * workers), not for a long-lived server, whose memory they would hold; `retainedChars`: how much
   * text the kept copies may cover.
   */
  constructor(
    private readonly linter: Linter,
    readonly roots: readonly string[],
    private readonly read: ReadModule,
    private readonly keepCopies = false,
    private readonly retainedChars = RETAINED_CHARS,
  ) {
    // Normalised: imports are resolved by putting paths together by hand (resolve-module.ts).
    this.importRoots = withDeclaredRoots(roots).map((root) => path.resolve(root));
  }

  /** Adds project files (absolute `.py` paths); imports resolve only to files the project knows. */
  addFiles(files: Iterable<string>): void {
    for (const file of files) if (file.endsWith('.py')) this.addFile(path.resolve(file));
  }

  private addFile(file: string): void {
    if (this.files.has(file)) return;
    this.files.add(file);
    this.forgetResolutions();
  }

  /** Forgets a file (deleted on disk). */
  removeFile(file: string): void {
    if (this.files.delete(file)) this.forgetResolutions();
    this.openFiles.delete(file);
    this.modules.delete(file);
    this.results.delete(file);
    this.linkedAsWritten.delete(file);
    this.documents.get(file)?.dispose();
    this.documents.delete(file);
    this.forgetEdited(file);
    this.forgetTree(file);
  }

  /** Whether the file is one of the project's modules. */
  has(file: string): boolean {
    return this.files.has(file);
  }

  /**
   * Sets a module's current text; the summary is recomputed when it differs. `open`: the text is an
   * editor's, about to be typed in: the module is analysed through a document from its first analysis
   * on, so the first keystroke re-analyses only what it touched (not the whole module once more).
   */
  setText(file: string, text: string, open = false): void {
    this.addFile(file);
    if (open) this.openFiles.add(file);
    const previous = this.modules.get(file);
    if (previous?.text === text) return;
    // A module summarised once and now edited is being typed in: it keeps a document for its summary.
    if (previous?.summary && !this.edited.has(file)) this.edited.set(file, { document: this.linter.openDocument(true), cache: new SummaryCache() });
    this.modules.set(file, { text, summary: undefined, given: true });
  }

  /** Drops a cached text so the next use reads the file again (changed on disk, or closed in the editor). */
  forgetText(file: string): void {
    this.openFiles.delete(file);
    this.modules.delete(file);
    this.forgetEdited(file);
    this.forgetTree(file);
  }

  /**
   * Reads a module's text from disk again (it may have changed there unseen) and forgets what was read
   * from the text it held only when the two differ: a module taken over from another thread, or
   * summarised as another's import, is then neither parsed nor summarised again. An editor's text
   * (`setText` with `open`) is always forgotten, so the disk's is read.
   */
  reread(file: string): void {
    const held = this.modules.get(file);
    // Not read yet: it will be when first used (and a copy taken over for it checked against it then).
    if (!held || (!this.openFiles.has(file) && this.read(file) === held.text)) return;
    this.forgetText(file);
  }

  /** Every module of the project. */
  allFiles(): string[] {
    return [...this.files].sort();
  }

  /** Modules whose last analysis read definitions from `file`. */
  dependentsOf(file: string): string[] {
    return [...this.results].filter(([, r]) => r.result.dependencies.has(file)).map(([f]) => f);
  }

  /** Lints one module linked with its project imports; findings may sit in other modules. Never throws on bad input. */
  lintModule(file: string, config: LintSettings = {}): ModuleResult {
    const text = this.text(file);
    // A module analysed for the first time (a CLI run, Lint Workspace) whose summary is not read yet:
    // one parse serves its summary and, when it is linked as written, its analysis.
    const parsed = text !== undefined && this.firstOneShot(file) ? this.keptTree(file) ?? this.oneShot(file, text) : undefined;
    const own = this.summary(file, parsed);
    if (own === undefined || text === undefined) return { findings: [], dependencies: new Set(), skipped: 'file cannot be read' };
    let program = linkModule(file, own, {
      summary: (f) => this.summary(f),
      resolve: (module, from) => this.resolve(module, from),
    });
    // A module that imports much of a large package can link to more text than the size limit lets
    // through: it is then analysed on its own, as written (the limit is about the file, not what it imports).
    const limit = resolveConfig(config).maxFileSize;
    if (program.text !== text && overSizeLimit(program.text, limit) && !overSizeLimit(text, limit)) {
      program = { text, segments: [{ programLine: 0, lineCount: own.lineCount, file, fileLine: 0 }], dependencies: new Set() };
    }
    const asWritten = program.text === text;
    if (asWritten) this.linkedAsWritten.add(file);
    else this.linkedAsWritten.delete(file);
    const configKey = JSON.stringify(config);
    const cached = this.results.get(file);
    if (cached && cached.linked === program.text && cached.config === configKey) return cached.result;
    // A module analysed once is parsed one-shot; from its second analysis on (an open dependent
    // after an edit), or from the first when it is open in an editor, it keeps a document that
    // re-parses incrementally.
    let document = this.documents.get(file);
    if (!document && (cached || this.openFiles.has(file))) this.documents.set(file, (document = this.linter.openDocument()));
    const lint = document ? this.linter.lint(program.text, config, document) : this.lintOneShot(file, text, program, config, parsed);
    const result: ModuleResult = {
      findings: placeFindings(lint.findings, program, file),
      dependencies: program.dependencies,
      ...(lint.skipped ? { skipped: lint.skipped } : {}),
    };
    this.results.set(file, { linked: program.text, config: configKey, result });
    return result;
  }

  /** The project file `module` names when imported from `from`: resolved once per folder and module while the project's files stay the same. */
  private resolve(module: string, from: string): string | undefined {
    let inFolder = this.resolved.get(from);
    if (!inFolder) {
      const folder = path.dirname(from);
      inFolder = this.resolvedInFolder.get(folder);
      if (!inFolder) this.resolvedInFolder.set(folder, (inFolder = new Map()));
      this.resolved.set(from, inFolder);
    }
    if (inFolder.has(module)) return inFolder.get(module);
    const file = resolveModule(module, from, this.importRoots, (f) => this.files.has(f), this.resolvedFromRoots);
    inFolder.set(module, file);
    return file;
  }

  private forgetResolutions(): void {
    this.resolved.clear();
    this.resolvedInFolder.clear();
    this.resolvedFromRoots.clear();
  }

  /** A module's first analysis, without a document: from its kept copy, and a linked program assembled from its modules' copies. */
  private lintOneShot(file: string, text: string, program: LinkedProgram, config: LintSettings, parsed: MirrorTree | undefined): LintResult {
    const own = parsed ?? this.keptTree(file);
    if (!own) return this.linter.lint(program.text, config);
    try {
      if (program.text === text) return this.linter.lintParsed(text, own, config);
      // Without kept copies (a server), a dependency's copy is made for this program: no cheaper than parsing it.
      const tree = this.keepCopies ? linkedTree(program, own, (f) => this.copyOf(f), (t) => this.linter.parsePython(t)) : undefined;
      return tree ? this.linter.lintParsed(program.text, tree, config) : this.linter.lint(program.text, config);
    } finally {
      // A kept copy holds only its rows between uses, not the node objects an analysis made.
      releaseViews(own);
    }
  }

  /**
   * Parses a module for other threads' projects ({@link adopt}), which then need not parse it: lint
   * workers share the parsing of a project. This project keeps no copy (the shared rows are the copy).
   * Undefined when the module cannot be read.
   */
  share(file: string): SharedModule | undefined {
    const text = this.text(file);
    if (text === undefined) return undefined;
    const kept = this.keptTree(file);
    const rows = kept ? shareTree(kept) : this.linter.parsePythonShared(text);
    return this.modules.get(file)?.given ? { file, rows } : { file, digest: digestOf(text), rows };
  }

  /**
   * Keeps a module's copy that another thread parsed ({@link share}) from the text this project holds
   * for it: its summary and analysis read it instead of parsing (a summary costs less to read again
   * than to send between threads). The copy is made when the module is first read: a thread reads
   * only the modules it lints and those they import.
   */
  adopt(shared: SharedModule): void {
    const held = this.modules.get(shared.file);
    if (!this.keepCopies || (shared.digest === undefined && !held?.given)) return;
    this.forgetTree(shared.file);
    this.adopted.set(shared.file, shared.digest === undefined ? { shared, text: held!.text } : { shared });
  }

  /** The copy another thread shared for the module's current text, made on first use (see {@link adopt}). */
  private adoptedTree(file: string, text: string | undefined): MirrorTree | undefined {
    const entry = this.adopted.get(file);
    if (!entry || !('shared' in entry)) return entry;
    // The module's text is not read yet: nothing to check the copy against; it stays for when it is.
    if (text === undefined) return undefined;
    this.adopted.delete(file);
    if (entry.text !== undefined ? entry.text !== text : digestOf(text) !== entry.shared.digest) return undefined;
    this.sample ??= this.linter.parsePython('');
    const tree = treeFromShared(entry.shared.rows, text, this.sample);
    this.adopted.set(file, tree);
    return tree;
  }

  /** Lints every module; findings by the file they sit in, de-duplicated across analyses. */
  lintAll(configFor: (file: string) => LintSettings = () => ({})): { byFile: Map<string, ProjectFinding[]>; skipped: Map<string, string> } {
    const byFile = new Map<string, ProjectFinding[]>();
    const skipped = new Map<string, string>();
    for (const file of this.allFiles()) {
      const result = this.lintModule(file, configFor(file));
      if (result.skipped) skipped.set(file, result.skipped);
      for (const finding of result.findings) addUnique(byFile, finding);
    }
    return { byFile, skipped };
  }

  /** Releases the parse state. */
  dispose(): void {
    for (const document of this.documents.values()) document.dispose();
    for (const { document } of this.edited.values()) document.dispose();
    this.documents.clear();
    this.edited.clear();
    this.linkedAsWritten.clear();
    this.trees.clear();
    this.adopted.clear();
    this.treeChars = 0;
  }

  /** The kept one-shot copy of a module's current text, if there is one. */
  private keptTree(file: string): MirrorTree | undefined {
    const text = this.modules.get(file)?.text;
    const kept = this.trees.get(file) ?? this.adoptedTree(file, text);
    return kept && kept.text === text ? kept : undefined;
  }

  /** A one-shot copy of a module's current text: the kept one, else a new one (kept when copies are). */
  private copyOf(file: string): MirrorTree | undefined {
    const text = this.text(file);
    return text === undefined ? undefined : this.keptTree(file) ?? this.oneShot(file, text);
  }

  /** Parses a module's text one-shot and keeps the copy (when copies are kept), dropping the oldest kept beyond the bound. */
  private oneShot(file: string, text: string): MirrorTree {
    const tree = this.linter.parsePython(text);
    this.forgetTree(file);
    if (!this.keepCopies) return tree;
    this.trees.set(file, tree);
    this.treeChars += text.length;
    for (const [old, kept] of this.trees) {
      if (this.treeChars <= this.retainedChars || old === file) break;
      this.trees.delete(old);
      this.treeChars -= kept.text.length;
    }
    return tree;
  }

  private forgetTree(file: string): void {
    this.adopted.delete(file);
    const kept = this.trees.get(file);
    if (!kept) return;
    this.trees.delete(file);
    this.treeChars -= kept.text.length;
  }

  private forgetEdited(file: string): void {
    this.edited.get(file)?.document.dispose();
    this.edited.delete(file);
  }

  private text(file: string): string | undefined {
    let module = this.modules.get(file);
    if (!module) {
      const text = this.read(file);
      if (text === undefined) return undefined;
      this.modules.set(file, (module = { text, summary: undefined }));
    }
    return module.text;
  }

  /** Whether the module's next analysis is its first, one-shot, with its summary still to read. */
  private firstOneShot(file: string): boolean {
    return !this.modules.get(file)?.summary && !this.results.has(file) && !this.documents.has(file) && !this.edited.has(file);
  }

  /** `parsed`: a one-shot parse of the module's text. */
  private summary(file: string, parsed?: MirrorTree): ModuleSummary | undefined {
    const text = this.text(file);
    const module = this.modules.get(file);
    if (text === undefined || !module) return undefined;
    if (!module.summary) {
      // An edited module re-parses only around the edit; others are parsed once, one-shot.
      const edited = this.edited.get(file);
      const shared = edited && this.analysisDocument(file);
      const document = shared ?? edited?.document;
      const copy = document || parsed ? undefined : this.copyOf(file)!;
      try {
        // With kept copies, the uses of imported names are read from the copy when the module is linked.
        const readTree: ReadTree | undefined = this.keepCopies ? (read) => this.readTree(file, text, read) : undefined;
        module.summary = summarizeModule(document ? document.update(text) : (parsed ?? copy)!.root, text, edited?.cache, readTree);
      } finally {
        // A summary document keeps only its compact rows between edits, a kept copy too until it is linted.
        if (document && !shared) document.releaseNodes();
        if (copy) releaseViews(copy);
      }
    }
    return module.summary;
  }

  /** Calls `read` with the root of a copy of `text`: the module's kept copy while its text is `text`, else a parse. */
  private readTree(file: string, text: string, read: Parameters<ReadTree>[0]): void {
    const tree = (this.modules.get(file)?.text === text ? this.copyOf(file) : undefined) ?? this.linter.parsePython(text);
    try {
      read(tree.root);
    } finally {
      releaseViews(tree);
    }
  }

  /**
   * The document an edited module linked as written is analysed with (opened on its first edit): its
   * summary is read from it too, so the edit parses once, not twice. Undefined for other modules.
   */
  private analysisDocument(file: string): PythonDocument | undefined {
    if (!this.linkedAsWritten.has(file)) return undefined;
    let document = this.documents.get(file);
    if (!document) this.documents.set(file, (document = this.linter.openDocument()));
    return document;
  }
}

/** A digest of a module's text, to tell whether two threads hold the same one. */
function digestOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** Whether `text` is over the lint size limit; a UTF-16 unit is at most 3 UTF-8 bytes, so most texts need no byte count (this runs per keystroke). */
function overSizeLimit(text: string, limit: number): boolean {
  return text.length * 3 > limit && sizeSkipReason(Buffer.byteLength(text, 'utf8'), limit) !== undefined;
}

/** Adds a finding to its file's list unless an equal one (code and place) is there already. */
export function addUnique(byFile: Map<string, ProjectFinding[]>, finding: ProjectFinding): void {
  let list = byFile.get(finding.file);
  if (!list) byFile.set(finding.file, (list = []));
  const same = (f: ProjectFinding) => f.code === finding.code && sameSpan(f.span, finding.span);
  if (!list.some(same)) list.push(finding);
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * The findings of `file`'s linked program, each in the file it lies in. A finding in a copied
 * definition whose verdict rests on that file alone (`Rule.ownFileOnly`) is left to that
 * file's own analysis, which links what the file itself imports.
 */
export function placeFindings(findings: readonly Finding[], program: LinkedProgram, file: string): ProjectFinding[] {
  return findings.flatMap((f) => placeFinding(f, program)).filter((f) => f.file === file || !OWN_FILE_ONLY.has(f.code));
}

/** Moves a finding of the linked program to the file and lines it came from. */
function placeFinding(finding: Finding, program: LinkedProgram): ProjectFinding[] {
  // A module linked as written is its own program: its findings are where they are.
  const only = program.segments.length === 1 ? program.segments[0]! : undefined;
  if (only && only.programLine === 0 && only.fileLine === 0 && !only.shifts) return [{ ...finding, file: only.file }];
  const at = mapSpan(finding.span, program.segments);
  if (!at) return [];
  const related: RelatedInfo[] = finding.related.flatMap((r) => {
    const mapped = mapSpan(r.span, program.segments);
    return mapped ? [{ ...r, span: mapped.span, ...(mapped.file !== at.file ? { file: mapped.file } : {}) }] : [];
  });
  // Fixes apply to one document: only those whose edits all land in the finding's file survive.
  const fixes = finding.fixes.flatMap((fix) => {
    const edits = fix.edits.map((e) => ({ edit: e, mapped: mapSpan(e.span, program.segments) }));
    return edits.every((e) => e.mapped?.file === at.file) ? [{ ...fix, edits: edits.map((e) => ({ ...e.edit, span: e.mapped!.span })) }] : [];
  });
  return [{ ...finding, file: at.file, span: at.span, related, fixes }];
}

function mapSpan(span: Span, segments: Segment[]): { file: string; span: Span } | undefined {
  const segment = segments.find((s) => span.start.line >= s.programLine && span.start.line < s.programLine + s.lineCount);
  if (!segment) return undefined;
  const shift = segment.fileLine - segment.programLine;
  // A span running past its segment is cut to the segment's last line.
  const lastLine = segment.programLine + segment.lineCount - 1;
  const end = span.end.line <= lastLine || (span.end.line === lastLine + 1 && span.end.character === 0)
    ? span.end : { line: lastLine + 1, character: 0 };
  const place = (line: number, character: number) => ({ line: line + shift, character: fileColumn(line + shift, character, segment.shifts) });
  return { file: segment.file, span: { start: place(span.start.line, span.start.character), end: place(end.line, end.character) } };
}

/** The file's column of a linked program's column on a line where names were rewritten to other lengths. */
function fileColumn(fileLine: number, character: number, shifts: ColumnShift[] | undefined): number {
  let delta = 0;
  for (const s of shifts ?? []) {
    if (s.fileLine !== fileLine) continue;
    const start = s.column + delta;
    if (character < start) break;
    if (character < start + s.newLength) return s.column + Math.min(character - start, s.oldLength);
    delta += s.newLength - s.oldLength;
  }
  return character - delta;
}
