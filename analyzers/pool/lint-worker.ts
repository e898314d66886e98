/**
 * A lint worker thread (bundled as dist/lint-worker.mjs, used by `fitcheck lint` and the language
 * server's *Lint Workspace*): it holds its own parsers and its own copy of the Python project, and
 * runs the tasks the pool sends, one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Linter, readLimit } from '../linter.js';
import { ProjectLinter, type SharedModule } from '../project/project-linter.js';
import { bundledWasmDir } from '../python/wasm-dir.js';
import { readLintFile } from '../read-file.js';
import { runTask } from './lint-task.js';
import type { WorkerSetup, WorkerRequest, WorkerReply } from './lint-pool.js';

const linter = Linter.create({ wasmDir: bundledWasmDir(import.meta.url) });

/** A project as the host holds it: its texts as given, other modules read from disk as the server reads them. */
function projectOf(instance: Linter, setup: WorkerSetup): ProjectLinter {
  // A worker lints a batch and goes when idle: it keeps the modules' copies while it works.
  const project = new ProjectLinter(instance, setup.roots, (file) => {
    const read = readLintFile(file, readLimit({}));
    return read.ok ? read.text : undefined;
  }, true);
  project.addFiles(setup.files ?? []);
  for (const [file, text] of setup.modules) project.setText(file, text);
  adoptAll(project, setup.shared ?? []);
  return project;
}

/** Takes over the modules other workers parsed; one that cannot be taken over is parsed here when needed. */
function adoptAll(project: ProjectLinter, modules: readonly SharedModule[]): void {
  for (const shared of modules) {
    try {
      project.adopt(shared);
    } catch {
      // Parsed when needed instead: a failure here must not cost the worker its later tasks.
    }
  }
}

/** A module parsed for the other workers; undefined when that fails (whoever needs it then parses it). */
function shareModule(project: ProjectLinter, file: string): SharedModule | undefined {
  try {
    return project.share(file);
  } catch {
    return undefined;
  }
}

let ready = linter.then((instance) => ({ linter: instance, project: projectOf(instance, workerData as WorkerSetup) }));

parentPort!.on('message', (request: WorkerRequest) => {
  if ('adopt' in request) {
    ready = ready.then((state) => {
      adoptAll(state.project, request.adopt);
      return state;
    });
    return;
  }
  if ('setup' in request) {
    // Messages arrive in order: tasks sent after this one see the new project.
    ready = ready.then((state) => {
      state.project.dispose();
      return { linter: state.linter, project: projectOf(state.linter, request.setup) };
    });
    return;
  }
  void ready.then(({ linter: instance, project }) => {
    // A test seam: makes this worker die on one file, as a crash in the analyzers' wasm would.
    const crashOn = process.env.FITCHECK_TEST_CRASH_LINT_WORKER_ON;
    if (crashOn && ('task' in request ? request.task.file : request.share).endsWith(crashOn)) process.exit(70);
    const reply: WorkerReply = 'task' in request
      ? { index: request.index, result: runTask(instance, project, request.task) }
      : { index: request.index, shared: shareModule(project, request.share) };
    parentPort!.postMessage(reply);
  }, (error: unknown) => {
    const reply: WorkerReply = { index: request.index, result: { error: `the lint worker could not start: ${error instanceof Error ? error.message : String(error)}` } };
    parentPort!.postMessage(reply);
  });
});
