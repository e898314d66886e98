/**
 * A `fitcheck lint` worker thread (bundled as dist/lint-worker.mjs): it holds its own parsers and
 * its own copy of the Python project, and runs the tasks the pool sends, one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Linter } from '../analyzers/linter.js';
import { ProjectLinter } from '../analyzers/project/project-linter.js';
import { bundledWasmDir } from '../analyzers/python/wasm-dir.js';
import { runTask } from './lint-task.js';
import type { WorkerSetup, WorkerRequest, WorkerReply } from './lint-pool.js';

const setup = workerData as WorkerSetup;
const ready = (async () => {
  const linter = await Linter.create({ wasmDir: bundledWasmDir(import.meta.url) });
  // Every module's text, as the main thread read (and fixed) it: imports resolve as in a serial run.
  const project = new ProjectLinter(linter, setup.roots, () => undefined);
  for (const [file, text] of setup.modules) project.setText(file, text);
  return { linter, project };
})();

parentPort!.on('message', (request: WorkerRequest) => {
  void ready.then(({ linter, project }) => {
    // A test seam: makes this worker die on one file, as a crash in the analyzers' wasm would.
    const crashOn = process.env.FITCHECK_TEST_CRASH_LINT_WORKER_ON;
    if (crashOn && request.task.file.endsWith(crashOn)) process.exit(70);
    const reply: WorkerReply = { index: request.index, result: runTask(linter, project, request.task) };
    parentPort!.postMessage(reply);
  }, (error: unknown) => {
    const reply: WorkerReply = { index: request.index, result: { error: `the lint worker could not start: ${error instanceof Error ? error.message : String(error)}` } };
    parentPort!.postMessage(reply);
  });
});
