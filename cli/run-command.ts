/**
 * `fitcheck run -- python train.py --args…`: runs the command unchanged with the run monitor on its
 * PYTHONPATH, prints the diagnosis live as `fitcheck watch` does, then the runtime evidence with the
 * file:line that creates each layer. Ctrl-C is passed on to the command (a second one kills it);
 * the exit code is the command's own (128 + signal number when a signal ended it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PythonParser } from '../analyzers/python/parser.js';
import { findBootstrapDir, monitorEnv, newSessionDir } from '../analyzers/server/runtime/monitor-env.js';
import { monitorRunFiles, readMonitoredRun } from '../analyzers/server/runtime/monitored-runs.js';
import { placeEvidence, type PlacedEvidence } from '../analyzers/server/runtime/script-evidence.js';
import { displayPath } from './display.js';
import type { Output } from './lint-command.js';
import { runWatch } from './watch-command.js';

export interface RunOptions {
  json: boolean;
  color: boolean;
  /** The folder whose `.fitcheck/monitor` receives the run (default: the current directory). */
  root?: string;
  /** Sample gradients and units every this many backward passes (the monitor's default: 10). */
  every?: number;
  /** The folder of tree-sitter's wasm files (the bundle's dist/), when not in node_modules. */
  wasmDir?: string | undefined;
  /** Called once the command started: the CLI wires Ctrl-C to `stop`. */
  onStart?: (control: { stop(): void; kill(): void }) => void;
  minPollMs?: number;
}

export const EXIT_NOT_STARTED = 127;

/** Runs `command` under the monitor; resolves to its exit code. */
export async function runMonitored(command: string[], options: RunOptions, out: Output): Promise<number> {
  const bootstrap = findBootstrapDir(import.meta.url);
  if (!bootstrap) {
    out.stderr('fitcheck: the run monitor (python/monitor/sitecustomize.py) is missing from this installation\n');
    return EXIT_NOT_STARTED;
  }
  const session = newSessionDir(path.resolve(options.root ?? process.cwd()));
  fs.mkdirSync(session, { recursive: true });
  // Its own process group: Stop and a second Ctrl-C reach the whole tree (DataLoader workers too).
  const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', detached: true, env: monitorEnv(process.env, bootstrap, session, options.every) });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  options.onStart?.({ stop: () => signalGroup('SIGINT'), kill: () => signalGroup('SIGKILL') });
  const controller = new AbortController();
  const watching = runWatch(session, { once: false, json: options.json, color: options.color, signal: controller.signal, ...(options.minPollMs !== undefined ? { minPollMs: options.minPollMs } : {}) }, out);
  const result = await exited;
  // The last records are on disk once the child is gone: one more poll period reads them.
  await new Promise((r) => setTimeout(r, Math.max(300, (options.minPollMs ?? 250) * 2)));
  controller.abort();
  await watching;
  if (result.error) {
    out.stderr(`fitcheck: could not start ${command[0]}: ${result.error.message}\n`);
    return EXIT_NOT_STARTED;
  }
  await printEvidence(session, options, out);
  if (result.signal) return 128 + (os.constants.signals[result.signal] ?? 0);
  return result.code ?? 1;
}

/** Prints each run's runtime evidence with the file:line of the layer, or says the run looked healthy. */
async function printEvidence(session: string, options: RunOptions, out: Output): Promise<void> {
  const files = monitorRunFiles(path.dirname(session)).filter((f) => path.dirname(f) === session);
  if (files.length === 0) {
    if (!options.json) out.stdout('\nThe monitor recorded nothing: the command ran no PyTorch backward() or Keras fit() in Python.\n');
    return;
  }
  const parser = await PythonParser.create(options.wasmDir);
  for (const file of files) {
    const run = readMonitoredRun(file);
    if (!run) continue;
    let source: string | undefined;
    try {
      if (run.script) source = fs.readFileSync(run.script, 'utf8');
    } catch {
      // the script moved or is unreadable: the layers go without lines
    }
    const evidence: PlacedEvidence[] = placeEvidence(parser, source ?? '', run);
    if (options.json) {
      for (const e of evidence) out.stdout(`${JSON.stringify({ type: 'evidence', run: run.runId, kind: e.kind, layer: e.layer, step: e.step, value: e.value, file: run.script || null, line: e.span ? e.span.start.line + 1 : null, message: e.message })}\n`);
      continue;
    }
    if (evidence.length === 0) {
      out.stdout(`\nRuntime evidence (${run.name}): no vanishing or exploding gradients, dead or saturated units in the last sampled steps.\n`);
      continue;
    }
    out.stdout(`\nRuntime evidence (${run.name}):\n`);
    for (const e of evidence) {
      const where = e.span && run.script ? `${displayPath(run.script)}:${e.span.start.line + 1}` : `${e.layer} (not created in ${run.script ? displayPath(run.script) : 'the script'})`;
      out.stdout(`  ${where}: [${e.kind}] ${e.message}\n`);
    }
  }
}
