/** `fitcheck lint`: lint files and folders, print findings, exit 1 on errors. */
import type { RuleOptions } from '../analyzers/rules/rule.js';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigCache, mergeConfig } from '../analyzers/config-file.js';
import type { LintSettings } from '../analyzers/config.js';
import { spanKey } from '../analyzers/core/span.js';
import type { Linter } from '../analyzers/linter.js';
import { fileKindOf, fixText, readFileToLint } from '../analyzers/lint-file.js';
import cliProgress from 'cli-progress';
import { runPool, startBatchPool, type LintPool } from '../analyzers/pool/lint-pool.js';
import { defaultLintThreads } from '../analyzers/pool/threads.js';
import { runTask, type LintTask, type TaskResult } from '../analyzers/pool/lint-task.js';

const { SingleBar, Presets } = cliProgress;
import { VERSION } from '../analyzers/version.js';
import { collectFiles, describe, type FileList } from './files.js';
import { formatSarif } from './format-sarif.js';
import { formatText } from './format-text.js';
import { toJsonFindings, type FileReport } from './report.js';
import { displayPath, printable } from './display.js';
import { ProjectLinter } from '../analyzers/project/project-linter.js';
import { TfjsProject } from '../analyzers/project/tfjs-project.js';
import { readLimit, type ScriptLanguage } from '../analyzers/linter.js';
import { readLintFile } from '../analyzers/read-file.js';

export interface LintOptions {
  format: 'text' | 'json' | 'sarif';
  /** Apply the safe quick fixes (never the behaviour-changing ones) and write the files back. */
  fix?: boolean;
  select: string[];
  ignore: string[];
  maxFileSize?: number;
  /** Rule thresholds set on the command line (`--saturating-depth`, `--deep-net-depth`). */
  ruleOptions?: Partial<RuleOptions>;
  color: boolean;
  /** Worker threads for the analyses (default: defaultLintThreads(); 1: the main thread only). */
  threads?: number;
  /** Show a progress bar on stderr while the pool runs (a terminal). */
  progress?: boolean;
}

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Below this many files to analyse, a lint runs on the main thread: starting workers would cost more. */
export const POOL_MIN_FILES = 24;

/** Runs the lint; returns the exit code (0 clean or warnings only, 1 errors found, 2 unreadable input). */
export async function runLint(linter: Linter, paths: string[], options: LintOptions, out: Output): Promise<number> {
  const { files, errors } = collectFiles(paths);
  const threads = options.threads ?? defaultLintThreads();
  // Workers take a third of a second to start: they start while the files are read (ended unused if few are lintable).
  const pool = threads > 1 && files.length >= POOL_MIN_FILES ? startBatchPool(Math.min(threads, files.length)) : undefined;
  try {
    return await lintFiles(linter, paths, { files, errors }, options, out, pool);
  } finally {
    pool?.dispose();
  }
}

/** The lint of the files found, on the pool's workers when it is given and enough files are lintable. */
async function lintFiles(linter: Linter, paths: string[], { files, errors }: FileList, options: LintOptions, out: Output, pool: LintPool | undefined): Promise<number> {
  // Command-line flags override [tool.fitcheck] of each file's nearest pyproject.toml.
  const flags: LintSettings = {};
  if (options.select.length > 0) flags.select = options.select;
  if (options.ignore.length > 0) flags.ignore = options.ignore;
  if (options.maxFileSize !== undefined) flags.maxFileSize = options.maxFileSize;
  if (options.ruleOptions) flags.options = options.ruleOptions;
  const projects = new ConfigCache({ oneRun: true });
  const reported = new Set<string>();
  // Python files are linted as one project: a module sees the definitions it imports from the others.
  const roots = projectRoots(paths);
  const pythonProject = new ProjectLinter(linter, roots, () => undefined, true);
  const projectFiles = new Map<string, { shown: string; config: LintSettings }>();
  // TypeScript/JavaScript files are one TensorFlow.js project: a module sees the declarations it
  // imports, from the linted files or, through their imports, from the rest of the folder on disk.
  const scriptFiles = new Map<string, { shown: string; config: LintSettings; language: ScriptLanguage }>();
  const tfjsProject = new TfjsProject(linter, roots, (file) => {
    const read = readLintFile(file, readLimit({}));
    return read.ok ? read.text : undefined;
  });
  // Reading (and --fix) runs here, in order; the analyses become tasks, run serially or in the pool.
  const moduleTexts = new Map<string, string>();
  const slots: (FileReport | { shown: string; task: number })[] = [];
  const tasks: LintTask[] = [];
  for (const file of files) {
    const shown = displayPath(file);
    try {
      const project = projects.get(path.resolve(file));
      if (project && !reported.has(project.path)) {
        reported.add(project.path);
        for (const problem of project.problems) {
          out.stderr(`fitcheck: ${printable(displayPath(project.path))}${problem.line ? `:${problem.line}` : ''}: ${printable(problem.message)}\n`);
        }
      }
      const config = mergeConfig(project?.config ?? {}, flags);
      const read = readOneFile(linter, file, shown, config, options, out, errors);
      if (read && 'module' in read) {
        pythonProject.setText(path.resolve(file), read.module);
        moduleTexts.set(path.resolve(file), read.module);
        projectFiles.set(path.resolve(file), { shown, config });
      }
      else if (read && 'script' in read) {
        tfjsProject.setText(path.resolve(file), read.script);
        scriptFiles.set(path.resolve(file), { shown, config, language: read.language });
      }
      else if (read && 'task' in read) slots.push({ shown, task: tasks.push(read.task) - 1 });
      else if (read) slots.push(read);
    } catch (error) {
      // One file's failure never costs the others their findings.
      errors.push({ path: file, failed: true, message: `internal error: ${error instanceof Error ? error.message : String(error)} (please report this)` });
    }
  }
  const modules = pythonProject.allFiles();
  const firstModule = tasks.length;
  for (const file of modules) tasks.push({ type: 'module', file, config: projectFiles.get(file)?.config ?? {} });

  let results: TaskResult[];
  if (pool && tasks.length >= POOL_MIN_FILES) {
    const setup = { roots, modules: modules.map((file): [string, string] => [file, moduleTexts.get(file) ?? '']) };
    const progress = options.progress ? new SingleBar({ format: 'fitcheck lint [{bar}] {percentage}% of {files} files', hideCursor: true, clearOnComplete: true, stream: process.stderr }, Presets.shades_classic) : undefined;
    results = await runPool(tasks, setup, pool, progress && { start: (total) => progress.start(total, 0, { files: tasks.length }), increment: () => progress.increment() });
    progress?.stop();
  } else {
    // Too few files need the workers started ahead: they go before the lint runs here.
    pool?.dispose();
    results = tasks.map((task) => runTask(linter, pythonProject, task));
  }
  pythonProject.dispose();
  // One ts-morph project, on the main thread: its files are parsed once and shared by the analyses.
  tfjsProject.include(scriptFiles.keys());
  const scriptResults = [...scriptFiles].map(([file, { config, language }]): TaskResult => {
    try {
      const result = tfjsProject.lintModule(file, config, language);
      return { findings: result.findings, ...(result.skipped ? { skipped: result.skipped } : {}) };
    } catch (error) {
      return { error: `internal error: ${error instanceof Error ? error.message : String(error)} (please report this)` };
    }
  });

  const reports: FileReport[] = [];
  for (const slot of slots) {
    if (!('task' in slot)) {
      reports.push(slot);
      continue;
    }
    const result = results[slot.task]!;
    const task = tasks[slot.task]!;
    if ('error' in result) {
      errors.push({ path: task.file, failed: true, message: result.error });
      continue;
    }
    if (result.skipped) out.stderr(`fitcheck: skipped ${printable(slot.shown)}: ${printable(result.skipped)}\n`);
    reports.push({ file: slot.shown, findings: result.findings });
  }
  reports.push(...projectReports(modules, results.slice(firstModule), projectFiles, out, errors));
  reports.push(...projectReports([...scriptFiles.keys()], scriptResults, scriptFiles, out, errors));
  for (const error of errors) out.stderr(`fitcheck: cannot ${error.failed ? 'lint' : 'read'} ${printable(displayPath(error.path))}: ${printable(error.message)}\n`);

  if (options.format === 'json') out.stdout(`${JSON.stringify(toJsonFindings(reports), null, 2)}\n`);
  else if (options.format === 'sarif') out.stdout(formatSarif(reports, VERSION));
  else out.stdout(formatText(reports, options.color));

  if (errors.length > 0) return 2;
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

/** The folders named on the command line, and the folders of the files named, as the project's source roots. */
function projectRoots(paths: string[]): string[] {
  return [...new Set(paths.map((p) => {
    const absolute = path.resolve(p);
    try {
      return fs.statSync(absolute).isDirectory() ? absolute : path.dirname(absolute);
    } catch {
      return path.dirname(absolute);
    }
  }))];
}

/** The project's reports from its modules' results (in `modules` order); each file's report holds the findings that sit in it, whichever analysis found them. */
function projectReports(modules: readonly string[], results: readonly TaskResult[], files: Map<string, { shown: string; config: LintSettings }>, out: Output, errors: FileList['errors']): FileReport[] {
  const byFile = new Map<string, FileReport['findings']>();
  const shownOf = (file: string) => files.get(file)?.shown ?? displayPath(file);
  modules.forEach((file, i) => {
    const result = results[i]!;
    if ('error' in result) {
      errors.push({ path: file, failed: true, message: result.error });
      return;
    }
    if (result.skipped) out.stderr(`fitcheck: skipped ${printable(shownOf(file))}: ${printable(result.skipped)}\n`);
    for (const finding of result.findings) {
      const at = finding.file ?? file;
      // Findings in modules outside the linted paths are reported only for the files asked about.
      if (!files.has(at)) continue;
      let list = byFile.get(at);
      if (!list) byFile.set(at, (list = []));
      if (list.some((f) => f.code === finding.code && spanKey(f.span) === spanKey(finding.span))) continue;
      const { file: _file, ...rest } = finding;
      list.push({
        ...rest,
        related: finding.related.map((r) => (r.file ? { ...r, file: shownOf(r.file) } : r)),
      });
    }
  });
  return [...files].map(([file, { shown }]) => ({
    file: shown,
    findings: (byFile.get(file) ?? []).sort((a, b) => a.span.start.line - b.span.start.line || a.span.start.character - b.span.start.character || a.code.localeCompare(b.code)),
  }));
}

/**
 * Reads (and with --fix, fixes) one file: undefined when it could not be read (the reason is added
 * to `errors`); a report when there is nothing to analyse; the text of a Python module or a script
 * of the project; else the task that lints it.
 */
function readOneFile(linter: Linter, file: string, shown: string, config: LintSettings, options: LintOptions, out: Output, errors: FileList['errors']): FileReport | { task: LintTask } | { module: string } | { script: string; language: ScriptLanguage } | undefined {
  const skip = (reason: string) => out.stderr(`fitcheck: skipped ${printable(shown)}: ${printable(reason)}\n`);
  const kind = fileKindOf(file);
  const read = readFileToLint(file, config, kind);
  if (!read.ok) {
    if ('unreadable' in read) {
      errors.push({ path: file, message: read.unreadable });
      return undefined;
    }
    skip(read.skipped);
    return { file: shown, findings: [] };
  }
  let text = read.text;
  if (options.fix && (kind.kind === 'python' || kind.kind === 'script')) {
    const fixed = fixText(linter, text, config, kind);
    if (fixed.count > 0) {
      try {
        fs.writeFileSync(file, fixed.text);
        text = fixed.text;
        out.stderr(`fitcheck: fixed ${fixed.count} problem${fixed.count === 1 ? '' : 's'} in ${printable(shown)}\n`);
      } catch (error) {
        errors.push({ path: file, message: `cannot write the fixes: ${describe(error)}` });
      }
    }
    for (const s of fixed.skipped) {
      out.stderr(`fitcheck: not fixed ${printable(shown)}:${s.line}: ${s.code} ${printable(s.title)} (${s.reason}; apply it as a quick fix in the editor)\n`);
    }
  }
  if (kind.kind === 'python' && file.endsWith('.py')) {
    return { module: text };
  }
  if (kind.kind === 'script') return { script: text, language: kind.language };
  return { task: { type: 'file', file, text, config, kind } };
}
