/**
 * One unit of a `fitcheck lint` run or a *Lint Workspace* batch, the same whether it runs on the main
 * thread or in a worker (lint-worker.ts): a non-project file's text, or one module of the Python project.
 */
import type { LintSettings } from '../config.js';
import type { Finding } from '../core/findings.js';
import type { Span } from '../core/span.js';
import { lintText, type FileKind } from '../lint-file.js';
import type { Linter } from '../linter.js';
import type { ProjectLinter } from '../project/project-linter.js';

export type LintTask =
  /** A notebook, TensorFlow.js script, run spec or other file linted on its own. */
  | { type: 'file'; file: string; text: string; config: LintSettings; kind: FileKind }
  /** A Python module linked with what it imports from the project (whose texts the runner holds); `reread`: its own text is read from disk again first. */
  | { type: 'module'; file: string; config: LintSettings; reread?: boolean };

export type TaskResult =
  | { findings: (Finding & { file?: string; cell?: number; fileSpan?: Span })[]; skipped?: string }
  /** The analysis failed: the file gets this error, the others their findings. */
  | { error: string };

/** Runs one task; never throws (an analyzer bug becomes the task's error). */
export function runTask(linter: Linter, project: ProjectLinter | undefined, task: LintTask): TaskResult {
  try {
    if (task.type === 'module' && !project) return { error: 'internal error: a project module was linted without its project (please report this)' };
    if (task.type === 'module' && task.reread) project!.reread(task.file);
    const result = task.type === 'module'
      ? project!.lintModule(task.file, task.config)
      : lintText(linter, { path: task.file, text: task.text, config: task.config, kind: task.kind });
    return { findings: result.findings, ...(result.skipped ? { skipped: result.skipped } : {}) };
  } catch (error) {
    return { error: `internal error: ${error instanceof Error ? error.message : String(error)} (please report this)` };
  }
}
