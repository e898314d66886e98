/** Shared by the monitor's integration tests: `fitcheck run` as a process and the run files it leaves. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fixturePath, repoRoot } from '../../unit/helpers.js';

/** The built CLI. */
export const cli = path.join(repoRoot, 'out', 'cli', 'bin.js');
/** The folder the monitor's sitecustomize bootstrap lives in (what `fitcheck run` puts on PYTHONPATH). */
export const bootstrap = path.join(repoRoot, 'python', 'monitor');

export interface Finished { code: number | null; stdout: string; stderr: string }

/** Runs the CLI with `args` in `cwd` and collects its output. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The monitor's run files written under `root`. */
export function runFiles(root: string): string[] {
  const folder = path.join(root, '.fitcheck', 'monitor');
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder).flatMap((s) => fs.readdirSync(path.join(folder, s)).filter((f) => f.endsWith('.fitcheck.jsonl')).map((f) => path.join(folder, s, f)));
}

export interface RunEvent { type: string; status?: string; values?: Record<string, unknown>; step?: number; versions?: Record<string, string> }

/** The events of a run file. */
export const events = (file: string): RunEvent[] => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RunEvent);

/** The `{"type":"evidence",…}` lines of `fitcheck run --json`. */
export const evidenceLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{"type":"evidence"')).map((l) => JSON.parse(l) as { kind: string; layer: string; line: number | null; file: string });

/** A copy of the fixture script `name`.py in its own folder under `work` (its runs land in that folder's .fitcheck/). */
export function copyScript(work: string, name: string): string {
  const dir = fs.mkdtempSync(path.join(work, `${name}-`));
  fs.copyFileSync(fixturePath('monitor', `${name}.py`), path.join(dir, `${name}.py`));
  return dir;
}
