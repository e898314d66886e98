/**
 * The TensorFlow.js project model: one ts-morph `Project` over the workspace's real files, holding the
 * files that import TensorFlow.js and, followed by TypeScript's own module resolution, the project
 * files they import (barrels, helpers, model factories). Nothing else is parsed: a file that never
 * names tfjs, and is not imported by one that does, stays out of the project. A changed text replaces
 * the source file in place; results are cached per linked program text, so an edit in `model.ts`
 * re-analyses exactly the modules whose linked program it changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportDeclaration, Project, SourceFile, ts } from 'ts-morph';
import type { LintSettings } from '../config.js';
import { isScriptLanguage, scriptLanguageOfPath, type Linter, type ScriptLanguage } from '../linter.js';
import { mentionsTfjs } from '../tfjs/frontend.js';
import { loadTsMorph } from '../tfjs/loader.js';
import { useTypeScript } from '../tfjs/ts.js';
import type { ModuleResult, ReadModule } from './project-linter.js';
import { placeFindings } from './project-linter.js';
import { linkTfjsModule, requireSpecifier } from './tfjs-link.js';
import { readLintFile } from '../read-file.js';

/** Config files that give the project its compiler options (`paths`, `baseUrl`, module resolution). */
const CONFIG_FILES = ['tsconfig.json', 'jsconfig.json'];
const MAX_CONFIG_BYTES = 1_000_000;

/** Project files reached by following imports, at most this many: a huge graph is cut, not walked forever. */
const MAX_FILES = 5_000;

/** Whether `text` has an import or export specifier that may name another project file (relative, or any bare name when the config maps paths). */
function mayImportProjectFiles(text: string, mapsPaths: boolean): boolean {
  return /(?:from|import|require\s*\()\s*['"]\.\.?\//.test(text) || (mapsPaths && /(?:from|import)\s*['"](?!@tensorflow\/)/.test(text));
}

/** The specifiers of a file's top-level `… = require('<specifier>')` declarations (CommonJS modules). */
function topLevelRequires(file: SourceFile): string[] {
  const out: string[] = [];
  for (const statement of file.getVariableStatements()) {
    for (const declaration of statement.getDeclarations()) {
      const specifier = requireSpecifier(declaration.getInitializer()?.compilerNode);
      if (specifier !== undefined) out.push(specifier);
    }
  }
  return out;
}

/**
 * Adds a file to the in-memory project. ts-morph first looks for the file in its file system and
 * throws (and catches) an error when it is not there; the stack trace of that error was a fifth of a
 * whole-folder lint, so none is captured.
 */
function create(project: Project, file: string, text: string): SourceFile {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return project.createSourceFile(file, text, { overwrite: true });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export class TfjsProject {
  private project: Project | undefined;
  private configFile: string | null | undefined;
  /** The config's own text, read once for both {@link mapsPaths} and {@link createProject} (null: unreadable). */
  private configText: string | null | undefined;
  private mapped: boolean | undefined;
  /** Project files' texts as last set or read (the editor's or the disk's). */
  private readonly texts = new Map<string, string>();
  private readonly results = new Map<string, { linked: string; config: string; result: ModuleResult }>();
  /** Project files each file's imports resolve to, for the files whose imports were added since their text last changed. */
  private readonly imports = new Map<string, string[]>();
  /** TypeScript's cache of module resolutions, dropped when a file appears or disappears. */
  private resolutionCache: ts.ModuleResolutionCache | undefined;
  private options: ts.CompilerOptions | undefined;

  /** `roots`: the project folders (absolute); `read` supplies texts not set with {@link setText}. */
  constructor(private readonly linter: Linter, readonly roots: readonly string[], private readonly read: ReadModule) {}

  /** Whether `file` (absolute) may be one of this project's tfjs modules: a script inside a root. */
  covers(file: string): boolean {
    return scriptLanguageOfPath(file) !== undefined && !file.split(path.sep).includes('node_modules')
      && this.roots.some((root) => file.startsWith(root + path.sep));
  }

  /** Sets a module's current text (an open editor's); a file already in the ts-morph project is replaced in place. */
  setText(file: string, text: string): void {
    if (this.texts.get(file) === text) return;
    this.texts.set(file, text);
    this.replace(file, text);
  }

  /** Replaces a project source file's text in place (ts-morph re-parses it); its imports are looked at again on next use. */
  private replace(file: string, text: string): void {
    const source = this.project?.getSourceFile(file);
    if (!source || source.getFullText() === text) return;
    source.replaceWithText(text);
    this.imports.delete(file);
  }

  /** Drops a text set by the editor: the file on disk is the module again (closed, or changed on disk). */
  forgetText(file: string): void {
    this.texts.delete(file);
    this.results.delete(file);
    const source = this.project?.getSourceFile(file);
    if (!source) return;
    const text = this.text(file);
    if (text === undefined) this.removeFile(file);
    else this.replace(file, text);
  }

  /** Forgets a file (deleted on disk). */
  removeFile(file: string): void {
    this.texts.delete(file);
    this.results.delete(file);
    this.imports.clear();
    this.resolutionCache = undefined;
    const source = this.project?.getSourceFile(file);
    if (source) this.project!.removeSourceFile(source);
  }

  /** A file appeared on disk: imports that did not resolve before may now. */
  addedFile(): void {
    this.imports.clear();
    this.resolutionCache = undefined;
  }

  /** Modules whose last analysis read declarations from `file`. */
  dependentsOf(file: string): string[] {
    return [...this.results].filter(([, r]) => r.result.dependencies.has(file)).map(([f]) => f);
  }

  /**
   * Adds the tfjs modules among `files` (and what they import) to the project before any is analysed:
   * a whole folder then builds the program once, not once per module added.
   */
  include(files: Iterable<string>): void {
    for (const file of files) {
      const text = this.text(file);
      if (text === undefined || !mentionsTfjs(text) || !mayImportProjectFiles(text, this.mapsPaths())) continue;
      try {
        this.sourceFile(file, text);
      } catch (error) {
        // As in lintModule: a file too deeply nested to walk is linted alone later.
        if (!(error instanceof RangeError)) throw error;
      }
    }
  }

  /** How many files the ts-morph project holds (0 before the first tfjs module). */
  fileCount(): number {
    return this.project?.getSourceFiles().length ?? 0;
  }

  /**
   * Lints one module linked with the declarations it imports from the project; findings may sit in
   * other modules. A file that does not import TensorFlow.js costs one text search. Never throws on bad input.
   */
  lintModule(file: string, config: LintSettings = {}, language: ScriptLanguage | undefined = scriptLanguageOfPath(file)): ModuleResult & { parsed: boolean } {
    const text = this.text(file);
    if (text === undefined) return { findings: [], dependencies: new Set(), skipped: 'file cannot be read', parsed: false };
    const kind = language && isScriptLanguage(language) ? language : 'typescript';
    if (!mentionsTfjs(text)) return { findings: [], dependencies: new Set(), parsed: false };
    let program = { text, segments: [{ programLine: 0, lineCount: text.split('\n').length, file, fileLine: 0 }], dependencies: new Set<string>() };
    // A module that imports nothing from the project is linted alone: the ts-morph project is not even built.
    if (mayImportProjectFiles(text, this.mapsPaths())) {
      try {
        const source = this.sourceFile(file, text);
        program = linkTfjsModule(source, {
          importTarget: (declaration) => this.importTarget(declaration),
          specifierTarget: (specifier, from) => this.specifierTarget(specifier, from),
        });
      } catch (error) {
        // Resolution is an extra: when it fails (pathological nesting), the module is still linted alone.
        if (!(error instanceof RangeError)) throw error;
      }
    }
    const configKey = JSON.stringify(config);
    const cached = this.results.get(file);
    if (cached && cached.linked === program.text && cached.config === configKey) return { ...cached.result, parsed: true };
    const lint = this.linter.lintScript(program.text, config, program.dependencies.size > 0 && !kind.endsWith('react') ? 'typescript' : kind);
    const result: ModuleResult = {
      findings: placeFindings(lint.findings, program, file),
      dependencies: program.dependencies,
      ...(lint.skipped ? { skipped: lint.skipped } : {}),
    };
    this.results.set(file, { linked: program.text, config: configKey, result });
    return { ...result, parsed: lint.parsed };
  }

  private text(file: string): string | undefined {
    let text = this.texts.get(file);
    if (text === undefined) {
      text = this.read(file);
      if (text !== undefined) this.texts.set(file, text);
    }
    return text;
  }

  /** The module's source file in the ts-morph project (created with the project on first use), with its project imports added. */
  private sourceFile(file: string, text: string): SourceFile {
    const project = this.project ?? this.createProject();
    let source = project.getSourceFile(file);
    if (!source) source = create(project, file, text);
    else this.replace(file, text);
    this.addImports(source);
    return source;
  }

  /**
   * Adds the project files `source` imports (and they import), resolved as TypeScript resolves them.
   * A file's imports are looked at once per text: the walk stops at files already expanded.
   */
  private addImports(source: SourceFile): void {
    const project = this.project!;
    const queue = [source];
    while (queue.length > 0 && this.imports.size < MAX_FILES) {
      const current = queue.shift()!;
      const file = current.getFilePath();
      if (this.imports.has(file)) continue;
      const specifiers = [...current.getImportDeclarations(), ...current.getExportDeclarations()]
        .map((d) => d.getModuleSpecifierValue()).concat(topLevelRequires(current))
        .filter((s): s is string => !!s && !s.startsWith('@tensorflow/'));
      const targets: string[] = [];
      for (const specifier of new Set(specifiers)) {
        const resolved = this.resolve(specifier, file);
        if (!resolved) continue;
        targets.push(resolved);
        let target = project.getSourceFile(resolved);
        if (!target) {
          const text = this.text(resolved);
          if (text === undefined) continue;
          target = create(project, resolved, text);
        }
        queue.push(target);
      }
      this.imports.set(file, targets);
    }
  }

  /** The project file a module specifier names from `fromFile`, by TypeScript's module resolution; never a package's or a declaration file. */
  private resolve(specifier: string, fromFile: string): string | undefined {
    const { ts } = loadTsMorph();
    const options = this.options!;
    this.resolutionCache ??= ts.createModuleResolutionCache(this.roots[0] ?? path.dirname(fromFile), (f) => f, options);
    const resolved = ts.resolveModuleName(specifier, fromFile, options, ts.sys, this.resolutionCache).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport || /\.d\.[mc]?ts$/.test(resolved.resolvedFileName)) return undefined;
    const file = path.resolve(resolved.resolvedFileName);
    return this.covers(file) ? file : undefined;
  }

  /** The project's own file an import declaration names (in the project, not a package). */
  private importTarget(declaration: ImportDeclaration): SourceFile | undefined {
    return this.specifierTarget(declaration.getModuleSpecifierValue(), declaration.getSourceFile());
  }

  /** The project's own file a module specifier written in `from` names (in the project, not a package). */
  private specifierTarget(specifier: string, from: SourceFile): SourceFile | undefined {
    if (specifier.startsWith('@tensorflow/')) return undefined;
    const resolved = this.resolve(specifier, from.getFilePath());
    return resolved ? this.project!.getSourceFile(resolved) : undefined;
  }

  /** The first root's tsconfig.json or jsconfig.json, if there is one. */
  private config(): string | undefined {
    if (this.configFile === undefined) {
      // Regular files only: a FIFO named tsconfig.json would block the reader.
      this.configFile = this.roots.flatMap((root) => CONFIG_FILES.map((name) => path.join(root, name))).find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile()) ?? null;
    }
    return this.configFile ?? undefined;
  }

  /** The config file's text; undefined when there is none or it cannot be read. */
  private readConfig(config: string): string | undefined {
    if (this.configText === undefined) this.configText = readConfigText(config) ?? null;
    return this.configText ?? undefined;
  }

  /** Whether the config maps bare module names to project files (`paths`, `baseUrl`): then any import may be the project's. */
  private mapsPaths(): boolean {
    if (this.mapped === undefined) {
      const config = this.config();
      // Unreadable: the project is created with default options anyway.
      const text = config ? this.readConfig(config) ?? '' : '';
      this.mapped = /"(?:paths|baseUrl|extends)"/.test(text);
    }
    return this.mapped;
  }

  /**
   * The project lives in ts-morph's in-memory file system, holding exactly the files added to it: the
   * checker resolves imports among them without probing the disk (node_modules above all), while
   * {@link resolve} finds new files on the real disk with the workspace's own options.
   */
  private createProject(): Project {
    const morph = loadTsMorph();
    useTypeScript(morph.ts);
    const ts = morph.ts;
    const defaults = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.Latest };
    let options: ts.CompilerOptions = defaults;
    const config = this.config();
    if (config) {
      // The workspace's compiler options decide resolution (`paths`, `baseUrl`, `moduleResolution`);
      // a config that cannot be read leaves the defaults.
      // The config itself was read for mapsPaths(); only the files it `extends` are read here.
      const readFile = (file: string) => (path.resolve(file) === path.resolve(config) ? this.readConfig(config) : readConfigText(file));
      const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, readFile, onUnRecoverableConfigFileDiagnostic: () => undefined });
      if (parsed) options = parsed.options;
    }
    // Nothing is type-checked against libraries: no lib files, no @types, no file pulled in by resolution.
    this.options = { ...options, allowJs: true, noLib: true, noResolve: true, types: [], skipLibCheck: true, noEmit: true };
    this.project = new morph.Project({
      useInMemoryFileSystem: true, skipLoadingLibFiles: true, skipFileDependencyResolution: true,
      compilerOptions: this.options,
    });
    return this.project;
  }
}

/** A config file's text (it and what it `extends`), read only if it is a regular file of at most 1 MB. */
function readConfigText(file: string): string | undefined {
  const read = readLintFile(file, MAX_CONFIG_BYTES);
  return read.ok ? read.text : undefined;
}
