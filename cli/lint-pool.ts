/**
 * Runs `fitcheck lint` tasks on every core: a pool of worker threads (lint-worker.ts), each taking
 * the next task when it finishes one. Results come back by task index, so the caller assembles them
 * in the serial order and the output is the same as a serial run's. A worker that dies fails only
 * the task it held; the pool starts another for the rest.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LintTask, TaskResult } from './lint-task.js';

/** What each worker starts with: the project's roots and every module's text. */
export interface WorkerSetup {
  roots: string[];
  modules: [string, string][];
}

export interface WorkerRequest {
  index: number;
  task: LintTask;
}

export interface WorkerReply {
  index: number;
  result: TaskResult;
}

/** The worker script: the bundle's `lint-worker.mjs` next to the CLI, else the compiled module next to this one. */
function workerScript(): string {
  const candidates = ['./lint-worker.mjs', './lint-worker.js'].map((name) => fileURLToPath(new URL(name, import.meta.url)));
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`the lint worker is missing (looked for ${candidates.join(', ')})`);
  return found;
}

/** Runs the tasks on `threads` workers; `onDone` is called as each task finishes. Never rejects. */
export function runPool(tasks: readonly LintTask[], setup: WorkerSetup, threads: number, onDone: () => void = () => undefined): Promise<TaskResult[]> {
  const results: (TaskResult | undefined)[] = new Array<TaskResult | undefined>(tasks.length);
  let script: string;
  try {
    script = workerScript();
  } catch (error) {
    const failed = { error: error instanceof Error ? error.message : String(error) };
    return Promise.resolve(tasks.map(() => failed));
  }
  return new Promise((resolve) => {
    let next = 0;
    let finished = 0;
    let live = 0;
    // Workers that died before finishing any task: past a few, the rest cannot start either.
    let failedStarts = 0;
    const settle = (index: number, result: TaskResult) => {
      if (results[index]) return;
      results[index] = result;
      finished++;
      onDone();
      if (finished === tasks.length) resolve(results as TaskResult[]);
    };
    const start = () => {
      let current: number | undefined;
      let finishedAny = false;
      const worker = new Worker(script, { workerData: setup });
      live++;
      const take = () => {
        if (next >= tasks.length) {
          current = undefined;
          void worker.terminate();
          return;
        }
        current = next++;
        worker.postMessage({ index: current, task: tasks[current]! } satisfies WorkerRequest);
      };
      worker.on('message', (reply: WorkerReply) => {
        finishedAny = true;
        settle(reply.index, reply.result);
        take();
      });
      let reason: string | undefined;
      worker.on('error', (error) => { reason = error.message; });
      worker.on('exit', (code) => {
        live--;
        if (current !== undefined) {
          const task = tasks[current]!;
          settle(current, { error: `the lint worker stopped (${reason ?? `exit code ${code}`}) while linting this file; the other files were linted` });
          current = undefined;
          if (!finishedAny) failedStarts++;
          if (failedStarts > threads + 2) {
            // Workers cannot start at all: fail what is left rather than wait for ever.
            while (next < tasks.length) settle(next++, { error: `no lint worker could start (${reason ?? `exit code ${code}`}) for ${task.file} and the files after it` });
            return;
          }
          if (next < tasks.length) start();
        }
        if (live === 0 && finished < tasks.length) {
          // Nothing is running and tasks remain (cannot happen unless all workers exited early): never hang.
          while (next < tasks.length) settle(next++, { error: 'the lint workers stopped before this file was linted' });
        }
      });
      take();
    };
    if (tasks.length === 0) resolve([]);
    for (let i = 0; i < Math.min(threads, tasks.length); i++) start();
  });
}
