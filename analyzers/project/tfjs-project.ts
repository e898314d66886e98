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
import type { ImportDeclaration, Project, SourceFile } from 'ts-morph';
import type { LintSettings } from '../config.js';
import { isScriptLanguage, scriptLanguageOfPath, type Linter, type ScriptLanguage } from '../linter.js';
import { mentionsTfjs } from '../tfjs/frontend.js';
import { loadTsMorph } from '../tfjs/loader.js';
import { useTypeScript } from '../tfjs/ts.js';
import type { ModuleResult, ReadModule } from './project-linter.js';
import { placeFinding } from './project-linter.js';
import { linkTfjsModule } from './tfjs-link.js';

/** Config files that give the project its compiler options (`paths`, `baseUrl`, module resolution). */
const CONFIG_FILES = ['tsconfig.json', 'jsconfig.json'];

/** Project files reached by following imports, at most this many: a huge graph is cut, not walked forever. */
const MAX_FILES = 5_000;

/** Whether `text` has an import or export specifier that may name another project file (relative, or any bare name when the config maps paths). */
function mayImportProjectFiles(text: string, mapsPaths: boolean): boolean {
  return /(?:from|import|require\s*\()\s*['"]\.\.?\//.test(text) || (mapsPaths && /(?:from|import)\s*['"](?!@tensorflow\/)/.test(text));
}

export class TfjsProject {
  private project: Project | undefined;
  private configFile: string | null | undefined;
  private mapped: boolean | undefined;
  /** Project files' texts as last set or read (the editor's or the disk's). */
  private readonly texts = new Map<string, string>();
  private readonly results = new Map<string, { linked: string; config: string; result: ModuleResult }>();

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
    const source = this.project?.getSourceFile(file);
    if (source && source.getFullText() !== text) source.replaceWithText(text);
  }

  /** Drops a text set by the editor: the file on disk is the module again (closed, or changed on disk). */
  forgetText(file: string): void {
    this.texts.delete(file);
    this.results.delete(file);
    const source = this.project?.getSourceFile(file);
    if (!source) return;
    const text = this.text(file);
    if (text === undefined) this.project!.removeSourceFile(source);
    else if (source.getFullText() !== text) source.replaceWithText(text);
  }

  /** Forgets a file (deleted on disk). */
  removeFile(file: string): void {
    this.texts.delete(file);
    this.results.delete(file);
    const source = this.project?.getSourceFile(file);
    if (source) this.project!.removeSourceFile(source);
  }

  /** Modules whose last analysis read declarations from `file`. */
  dependentsOf(file: string): string[] {
    return [...this.results].filter(([, r]) => r.result.dependencies.has(file)).map(([f]) => f);
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
        program = linkTfjsModule(source, { importTarget: (declaration) => this.importTarget(declaration) });
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
      findings: lint.findings.flatMap((f) => placeFinding(f, program)),
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
    if (!source) source = project.createSourceFile(file, text, { overwrite: true });
    else if (source.getFullText() !== text) source.replaceWithText(text);
    this.addImports(source);
    return source;
  }

  /** Adds the project files `source` imports (and they import), resolved as TypeScript resolves them. */
  private addImports(source: SourceFile): void {
    const project = this.project!;
    const seen = new Set<string>();
    const queue = [source];
    while (queue.length > 0 && project.getSourceFiles().length < MAX_FILES) {
      const current = queue.shift()!;
      if (seen.has(current.getFilePath())) continue;
      seen.add(current.getFilePath());
      const specifiers = [...current.getImportDeclarations(), ...current.getExportDeclarations()]
        .map((d) => d.getModuleSpecifierValue()).filter((s): s is string => !!s && !s.startsWith('@tensorflow/'));
      for (const specifier of new Set(specifiers)) {
        const resolved = this.resolve(specifier, current.getFilePath());
        if (!resolved) continue;
        let target = project.getSourceFile(resolved);
        if (!target) {
          const text = this.text(resolved);
          if (text === undefined) continue;
          target = project.createSourceFile(resolved, text, { overwrite: true });
        }
        queue.push(target);
      }
    }
  }

  /** The project file a module specifier names from `fromFile`, by TypeScript's module resolution; never a package's or a declaration file. */
  private resolve(specifier: string, fromFile: string): string | undefined {
    const project = this.project!;
    const { ts } = loadTsMorph();
    const resolved = ts.resolveModuleName(specifier, fromFile, project.getCompilerOptions(), project.getModuleResolutionHost()).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport || /\.d\.[mc]?ts$/.test(resolved.resolvedFileName)) return undefined;
    const file = path.resolve(resolved.resolvedFileName);
    return this.covers(file) ? file : undefined;
  }

  /** The project's own file an import declaration names (in the project, not a package). */
  private importTarget(declaration: ImportDeclaration): SourceFile | undefined {
    const specifier = declaration.getModuleSpecifierValue();
    if (specifier.startsWith('@tensorflow/')) return undefined;
    const resolved = this.resolve(specifier, declaration.getSourceFile().getFilePath());
    return resolved ? this.project!.getSourceFile(resolved) : undefined;
  }

  /** The first root's tsconfig.json or jsconfig.json, if there is one. */
  private config(): string | undefined {
    if (this.configFile === undefined) {
      this.configFile = this.roots.flatMap((root) => CONFIG_FILES.map((name) => path.join(root, name))).find((f) => fs.existsSync(f)) ?? null;
    }
    return this.configFile ?? undefined;
  }

  /** Whether the config maps bare module names to project files (`paths`, `baseUrl`): then any import may be the project's. */
  private mapsPaths(): boolean {
    if (this.mapped === undefined) {
      const config = this.config();
      let text = '';
      try {
        text = config ? fs.readFileSync(config, 'utf8') : '';
      } catch {
        // Unreadable: the project is created with default options anyway.
      }
      this.mapped = /"(?:paths|baseUrl|extends)"/.test(text);
    }
    return this.mapped;
  }

  private createProject(): Project {
    const morph = loadTsMorph();
    useTypeScript(morph.ts);
    const config = this.config();
    // The workspace's compiler options decide resolution (`paths`, `baseUrl`); nothing is type-checked
    // against libraries: no lib files, no @types, no file pulled in from node_modules.
    const overrides = { allowJs: true, noLib: true, noResolve: true, types: [], skipLibCheck: true };
    let project: Project;
    try {
      project = new morph.Project({
        ...(config ? { tsConfigFilePath: config } : {}),
        skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, skipLoadingLibFiles: true,
        compilerOptions: config ? overrides : { ...overrides, module: morph.ts.ModuleKind.ESNext, moduleResolution: morph.ts.ModuleResolutionKind.Bundler, target: morph.ts.ScriptTarget.Latest },
      });
    } catch {
      // A tsconfig that cannot be read still leaves the folder's files, resolved the default way.
      project = new morph.Project({
        skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, skipLoadingLibFiles: true,
        compilerOptions: { ...overrides, module: morph.ts.ModuleKind.ESNext, moduleResolution: morph.ts.ModuleResolutionKind.Bundler, target: morph.ts.ScriptTarget.Latest },
      });
    }
    this.project = project;
    return project;
  }
}
