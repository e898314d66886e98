/** `fitcheck lint`: lint files and folders, print findings, exit 1 on errors. */
import fs from 'node:fs';
import path from 'node:path';
import type { LintConfig } from '../analyzers/config.js';
import type { Linter } from '../analyzers/linter.js';
import { VERSION } from '../analyzers/version.js';
import { collectFiles, describe } from './files.js';
import { formatSarif } from './format-sarif.js';
import { formatText } from './format-text.js';
import { toJsonFindings, type FileReport } from './report.js';

export interface LintOptions {
  format: 'text' | 'json' | 'sarif';
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
  const config: Partial<LintConfig> = { select: options.select, ignore: options.ignore };
  if (options.maxFileSize !== undefined) config.maxFileSize = options.maxFileSize;
  const reports: FileReport[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      errors.push({ path: file, message: describe(error) });
      continue;
    }
    const result = linter.lint(text, config);
    const shown = displayPath(file);
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

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}
