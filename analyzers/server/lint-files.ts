/**
 * `fitcheck/lintFiles` (*Lint Workspace*): reads a batch of files from disk and lints them, on the
 * lint worker pool when it has more than one thread, else on the server's thread. Both paths run the
 * same tasks (analyzers/pool/lint-task.ts) and turn results into diagnostics the same way, so the
 * answer does not depend on the path.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CancellationToken, Diagnostic, WorkDoneProgressReporter } from 'vscode-languageserver/node.js';
import type { LintSettings } from '../config.js';
import { fileKindOf, readFileToLint } from '../lint-file.js';
import type { Linter, NotebookFinding } from '../linter.js';
import { LintPool, type WorkerSetup } from '../pool/lint-pool.js';
import { runTask, type LintTask, type TaskResult } from '../pool/lint-task.js';
import type { ProjectLinter, SharedModule } from '../project/project-linter.js';
import type { TfjsProject } from '../project/tfjs-project.js';
import { failedDiagnostic, skippedDiagnostic, toDiagnostic } from './diagnostics.js';
import type { LintFilesResult } from './protocol.js';

/** Workers wait this long for the next batch (a workspace lint sends one after another) before they are ended. */
const POOL_IDLE_MS = 30_000;

/** What the server supplies: its linter, settings, project model and open documents. */
export interface LintFilesHost {
  linter: Linter;
  configFor(uri: string): Promise<{ enable: boolean; config: LintSettings }>;
  /** The workspace's Python project when `file` is one of its modules. */
  projectFor(file: string): ProjectLinter | undefined;
  /** The workspace's TensorFlow.js project when `file` is one of its modules (linted here, on the server's thread). */
  scriptProjectFor?(file: string): TfjsProject | undefined;
  /** Open documents' texts and versions by URI (the editor's text wins over the disk's). */
  openText(uri: string): { text: string; version: number } | undefined;
  log(message: string): void;
}

/** Told how far a batch's parse of the Python project has got: modules parsed, of how many (0 of N first). */
export type ParseProgress = (parsed: number, total: number) => void;

/**
 * Shows a batch's parse of the project on the client's progress token: begun at its first report, then at
 * most one message per percent (a workspace of a thousand modules would otherwise send a thousand), ended
 * when the last module is parsed (the batch then lints its own files) or, at the latest, with the batch. A
 * batch that parses nothing sends nothing.
 */
export function parseProgressOn(reporter: WorkDoneProgressReporter): { report: ParseProgress; end(): void } {
  let shown: number | undefined;
  let ended = false;
  const end = () => {
    if (shown !== undefined && !ended) reporter.done();
    ended = true;
  };
  return {
    report: (parsed, total) => {
      if (ended) return;
      const percent = Math.floor((100 * parsed) / Math.max(1, total));
      const message = `reading Python modules: ${parsed} of ${total}`;
      if (shown === undefined) reporter.begin('Reading the Python project', percent, message);
      else if (percent > shown) reporter.report(percent, message);
      else return;
      shown = percent;
      if (parsed === total) end();
    },
    end,
  };
}

interface Planned {
  uri: string;
  notebook: boolean;
  task: number;
}

/** Answers `fitcheck/lintFiles` requests; owns the worker pool (started on first use, ended when idle). */
export class WorkspaceLinter {
  private pool: LintPool | undefined;
  /** Bumped when project files change on disk: workers then rebuild their project. */
  private diskGeneration = 0;
  /** Modules the workers parsed between them for the setup `key` (see {@link shareProject}); dropped with the workers. */
  private shared: { key: string; files: Set<string>; modules: SharedModule[]; round?: Promise<unknown> | undefined } | undefined;
  /** Modules' URIs by path: every batch looks up which modules are open (a workspace of 1,141 modules spent 0.3 s a lint making them). */
  private readonly uris = new Map<string, string>();

  /** `threads`: asked per batch (the default follows the machine's load); the pool keeps the count it started with. */
  constructor(private readonly host: LintFilesHost, private readonly threads: () => number) {}

  /** Python files changed, appeared or went away on disk. */
  filesChanged(): void {
    this.diskGeneration++;
  }

  /**
   * Lints the files; one file's failure never costs the others theirs. Files not reached before cancellation
   * are absent. `progress` hears of the project's parse when this batch has the workers parse it.
   */
  async lint(uris: readonly string[], token: CancellationToken, progress?: ParseProgress): Promise<LintFilesResult> {
    const results: LintFilesResult = {};
    const tasks: LintTask[] = [];
    const planned: Planned[] = [];
    let project: ProjectLinter | undefined;
    for (const uri of uris) {
      if (token.isCancellationRequested) break;
      try {
        const { enable, config } = await this.host.configFor(uri);
        if (!enable || !uri.startsWith('file:')) continue;
        // Workspace files may be FIFOs, devices or huge: only regular files, and only as much as the limit.
        const file = fileURLToPath(uri);
        const kind = fileKindOf(file);
        const read = readFileToLint(file, config, kind);
        if (!read.ok) {
          results[uri] = ['skipped' in read ? skippedDiagnostic(read.skipped) : failedDiagnostic(`cannot read it: ${read.unreadable}`)];
          continue;
        }
        const scripts = kind.kind === 'script' ? this.host.scriptProjectFor?.(file) : undefined;
        if (scripts && kind.kind === 'script') {
          // One ts-morph program links the modules: it lives in this thread, not in the workers.
          if (!this.host.openText(uri)) scripts.forgetText(file);
          const result = scripts.lintModule(file, config, kind.language);
          this.addModuleFindings(results, uri, file, result);
          continue;
        }
        const modules = kind.kind === 'python' ? this.host.projectFor(file) : undefined;
        project ??= modules;
        // Unopened modules are read from disk again; open ones keep the editor's text.
        const task: LintTask = modules
          ? { type: 'module', file, config, reread: !this.host.openText(uri) }
          : { type: 'file', file, text: read.text, config, kind };
        planned.push({ uri, notebook: kind.kind === 'notebook', task: tasks.push(task) - 1 });
      } catch (error) {
        this.failed(results, uri, error);
      }
    }
    const outcomes = await this.run(tasks, project, token, progress);
    for (const { uri, notebook, task } of planned) {
      const outcome = outcomes[task];
      if (outcome) this.addResult(results, uri, notebook, tasks[task]!, outcome);
    }
    return results;
  }

  /** Ends the workers. */
  dispose(): void {
    this.pool?.dispose();
  }

  private async run(tasks: LintTask[], project: ProjectLinter | undefined, token: CancellationToken, progress?: ParseProgress): Promise<(TaskResult | undefined)[]> {
    const threads = this.threads();
    if (threads > 1 && tasks.length > 1) {
      this.pool ??= new LintPool(threads, POOL_IDLE_MS, () => { this.shared = undefined; });
      if (!this.pool.warm) this.host.log(`Lint Workspace: starting ${Math.min(threads, tasks.length)} lint worker threads`);
      const { setup, key } = this.setupOf(project);
      const cancelled = () => token.isCancellationRequested;
      const shared = project && tasks.some((task) => task.type === 'module') ? await this.shareProject(this.pool, project, setup, key, cancelled, progress) : [];
      return this.pool.runTasks(tasks, { ...setup, shared }, { cancelled, setupKey: key });
    }
    return tasks.map((task) => (token.isCancellationRequested ? undefined : runTask(this.host.linter, project, task)));
  }

  /**
   * Has the workers parse the project's modules once between them, in the first batch of a workspace
   * lint (and again once a module changed): a module's analysis reads the modules it imports, so
   * otherwise each worker parses most of the workspace itself. The first batch waits for that parse;
   * the batches after it parse nothing. Returns every module shared for this setup.
   */
  private async shareProject(pool: LintPool, project: ProjectLinter, setup: WorkerSetup, key: string, cancelled: () => boolean, progress?: ParseProgress): Promise<SharedModule[]> {
    if (this.shared?.key !== key) this.shared = { key, files: new Set(), modules: [] };
    const sharing = this.shared;
    // A batch sent while another batch's round runs (a lint restarted) waits for it instead of parsing again.
    while (sharing.round) await sharing.round;
    const missing = project.allFiles().filter((file) => !sharing.files.has(file));
    if (missing.length < 2) return sharing.modules;
    const started = performance.now();
    let parsed = 0;
    progress?.(0, missing.length);
    // Workers started during this round take over the earlier rounds' modules with their setup.
    const onDone = progress && (() => progress(++parsed, missing.length));
    const round = pool.shareModules(missing, { ...setup, shared: sharing.modules }, { cancelled, setupKey: key, ...(onDone ? { onDone } : {}) });
    sharing.round = round;
    const modules = await round.finally(() => { sharing.round = undefined; });
    // A module that could not be parsed is not tried again for this setup (its analysis reports why); one
    // a cancelled batch did not reach is.
    for (const file of cancelled() ? modules.map((m) => m.file) : missing) sharing.files.add(file);
    sharing.modules.push(...modules);
    const took = `${Math.round(performance.now() - started)} ms${cancelled() ? ', cancelled' : ''}`;
    this.host.log(`Lint Workspace: ${modules.length} of ${missing.length} Python modules parsed once between the lint workers (${took})`);
    return sharing.modules;
  }

  /** The workers' project: the workspace's modules, open editors' texts over the disk's. */
  private setupOf(project: ProjectLinter | undefined): { setup: WorkerSetup; key: string } {
    const files = project?.allFiles() ?? [];
    const modules: [string, string][] = [];
    const versions: string[] = [];
    for (const file of files) {
      let uri = this.uris.get(file);
      if (uri === undefined) this.uris.set(file, (uri = pathToFileURL(file).href));
      const open = this.host.openText(uri);
      if (!open) continue;
      modules.push([file, open.text]);
      versions.push(`${uri}@${open.version}`);
    }
    const setup: WorkerSetup = { roots: [...(project?.roots ?? [])], modules, files };
    return { setup, key: JSON.stringify([setup.roots, files, versions, this.diskGeneration]) };
  }

  private addResult(results: LintFilesResult, uri: string, notebook: boolean, task: LintTask, outcome: TaskResult): void {
    if ('error' in outcome) {
      this.host.log(`could not lint ${uri}: ${outcome.error}`);
      results[uri] = [failedDiagnostic(outcome.error)];
      return;
    }
    if (task.type === 'module') {
      this.addModuleFindings(results, uri, task.file, outcome);
      return;
    }
    results[uri] = outcome.skipped ? [skippedDiagnostic(outcome.skipped)]
      : notebook
        // Placed at the cell's code in the .ipynb file: the Problems view opens the file there.
        ? (outcome.findings as NotebookFinding[]).map((f) => ({ ...toDiagnostic({ ...f, span: f.fileSpan ?? f.span }, uri), message: `Cell ${f.cell + 1}: ${f.message}` }))
        : outcome.findings.map((f) => toDiagnostic(f, uri));
  }

  /** A module's findings: those placed in other files go to those files (the client merges them with what it has for each). */
  private addModuleFindings(results: LintFilesResult, uri: string, file: string, outcome: Exclude<TaskResult, { error: string }>): void {
    results[uri] ??= [];
    if (outcome.skipped) results[uri].push(skippedDiagnostic(outcome.skipped));
    for (const finding of outcome.findings) {
      const target = pathToFileURL(finding.file ?? file).href;
      (results[target] ??= []).push(toDiagnostic(finding, target));
    }
  }

  private failed(results: LintFilesResult, uri: string, error: unknown): void {
    this.host.log(`could not lint ${uri}: ${error instanceof Error ? error.stack : String(error)}`);
    results[uri] = [failedDiagnostic(`internal error (${error instanceof Error ? error.message : String(error)}); the Fitcheck output has the details`)] satisfies Diagnostic[];
  }
}
