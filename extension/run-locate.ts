/** Finds stored runs on disk across workspace folders (node only, no vscode: tests use temp folders). */
import fs from 'node:fs';
import path from 'node:path';
import { listRuns, readRun, runsDir } from '../metrics/store/run-store.js';
import { isRunId } from '../webviews/panel/protocol.js';

/** The run's folder under the first root that has it; undefined for unknown or malformed ids. */
export function findRunDir(roots: readonly string[], runId: string): string | undefined {
  if (!isRunId(runId)) return undefined;
  for (const root of roots) {
    const dir = path.join(runsDir(root), runId);
    if (fs.existsSync(path.join(dir, 'events.jsonl'))) return dir;
  }
  return undefined;
}

/** Every stored run under the roots, newest first, with its root. */
export function listAllRuns(roots: readonly string[]): { root: string; runId: string; dir: string }[] {
  const all = roots.flatMap((root) => listRuns(runsDir(root)).map((runId) => ({ root, runId, dir: path.join(runsDir(root), runId) })));
  return all.sort((a, b) => (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
}

/** Where a run came from, written by the extension so "re-run" can find the spec file again. */
export interface RunOrigin {
  specPath: string;
}

const ORIGIN_FILE = 'origin.json';

/** Records the spec file a run was started from (next to spec.json and events.jsonl). */
export function writeOrigin(dir: string, origin: RunOrigin): void {
  fs.writeFileSync(path.join(dir, ORIGIN_FILE), `${JSON.stringify(origin)}\n`);
}

/** Reads the spec path a run was started from; undefined for runs from the CLI or other tools. */
export function readOrigin(dir: string): RunOrigin | undefined {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(path.join(dir, ORIGIN_FILE), 'utf8'));
    const specPath = (value as { specPath?: unknown } | null)?.specPath;
    return typeof specPath === 'string' && path.isAbsolute(specPath) ? { specPath } : undefined;
  } catch {
    return undefined;
  }
}

export { readRun };
