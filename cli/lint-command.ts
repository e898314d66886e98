/** `fitcheck lint`: lint files and folders, print findings, exit 1 on errors. */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigCache, mergeConfig } from '../analyzers/config-file.js';
import { isRunSpecPath, lintRunSpec } from '../analyzers/runspec/lint.js';
import type { LintSettings } from '../analyzers/config.js';
import { applyEdits, editsOverlap } from '../analyzers/core/apply-edits.js';
import type { TextEdit } from '../analyzers/core/findings.js';
import { lintNotebookJson, scriptLanguageOfPath, type Linter, type ScriptLanguage } from '../analyzers/linter.js';
import { VERSION } from '../analyzers/version.js';
import { collectFiles, describe } from './files.js';
import { formatSarif } from './format-sarif.js';
import { formatText } from './format-text.js';
import { toJsonFindings, type FileReport } from './report.js';
import { displayPath } from './display.js';

export interface LintOptions {
  format: 'text' | 'json' | 'sarif';
  /** Apply the safe quick fixes and write the files back. */
  fix?: boolean;
  select: string[];
  ignore: string[];
  maxFileSize?: number;
  color: boolean;
}

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the lint; returns the exit code (0 clean or warnings only, 1 errors found, 2 unreadable input). */
export function runLint(linter: Linter, paths: string[], options: LintOptions, out: Output): number {
  const { files, errors } = collectFiles(paths);
  // Command-line flags override [tool.fitcheck] of each file's nearest pyproject.toml.
  const flags: LintSettings = {};
  if (options.select.length > 0) flags.select = options.select;
  if (options.ignore.length > 0) flags.ignore = options.ignore;
  if (options.maxFileSize !== undefined) flags.maxFileSize = options.maxFileSize;
  const projects = new ConfigCache();
  const reported = new Set<string>();
  const reports: FileReport[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      errors.push({ path: file, message: describe(error) });
      continue;
    }
    const shown = displayPath(file);
    const project = projects.get(path.resolve(file));
    if (project && !reported.has(project.path)) {
      reported.add(project.path);
      for (const problem of project.problems) {
        out.stderr(`fitcheck: ${displayPath(project.path)}${problem.line ? `:${problem.line}` : ''}: ${problem.message}\n`);
      }
    }
    const config = mergeConfig(project?.config ?? {}, flags);
    if (isRunSpecPath(file)) {
      reports.push({ file: shown, findings: lintRunSpec(text, config) });
      continue;
    }
    if (file.endsWith('.ipynb')) {
      const notebook = lintNotebookJson(linter, text, config);
      if (notebook.skipped) out.stderr(`fitcheck: skipped ${shown}: ${notebook.skipped}\n`);
      reports.push({ file: shown, findings: notebook.findings });
      continue;
    }
    // TypeScript/JavaScript files are linted when they import TensorFlow.js.
    const language = scriptLanguageOfPath(file);
    if (options.fix) {
      const fixed = fixText(linter, text, config, language);
      if (fixed.count > 0) {
        try {
          fs.writeFileSync(file, fixed.text);
          text = fixed.text;
          out.stderr(`fitcheck: fixed ${fixed.count} problem${fixed.count === 1 ? '' : 's'} in ${shown}\n`);
        } catch (error) {
          errors.push({ path: file, message: `cannot write the fixes: ${describe(error)}` });
        }
      }
    }
    const result = language ? linter.lintScript(text, config, language) : linter.lint(text, config);
    if (result.skipped) out.stderr(`fitcheck: skipped ${shown}: ${result.skipped}\n`);
    reports.push({ file: shown, findings: result.findings });
  }
  for (const error of errors) out.stderr(`fitcheck: cannot read ${error.path}: ${error.message}\n`);

  if (options.format === 'json') out.stdout(`${JSON.stringify(toJsonFindings(reports), null, 2)}\n`);
  else if (options.format === 'sarif') out.stdout(formatSarif(reports, VERSION));
  else out.stdout(formatText(reports, options.color));

  if (errors.length > 0) return 2;
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

/** Applies the first fix of each finding, a few passes at most, skipping fixes that overlap. */
export function fixText(linter: Linter, original: string, config: LintSettings, language?: ScriptLanguage): { text: string; count: number } {
  let text = original;
  let count = 0;
  for (let pass = 0; pass < 5; pass++) {
    const chosen: TextEdit[][] = [];
    const { findings } = language ? linter.lintScript(text, config, language) : linter.lint(text, config);
    for (const finding of findings) {
      const fix = finding.fixes[0];
      if (fix && !chosen.some((edits) => editsOverlap(edits, fix.edits, text))) chosen.push(fix.edits);
    }
    if (chosen.length === 0) break;
    text = applyEdits(text, chosen.flat());
    count += chosen.length;
  }
  return { text, count };
}
