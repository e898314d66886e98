/** The environment that puts Fitcheck's run monitor into a Python child: the bootstrap folder on PYTHONPATH and where to write. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `fitcheck run` and *Run with Monitor* write, under a workspace folder (light: the extension loads it at activation). */
export const MONITOR_FOLDER = path.join('.fitcheck', 'monitor');

/** The bootstrap's folder (`python/monitor`, holding `sitecustomize.py`), found above `fromUrl`. */
export function findBootstrapDir(fromUrl: string): string | undefined {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'python', 'monitor');
    if (fs.existsSync(path.join(candidate, 'sitecustomize.py'))) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** A new session folder for one monitored command: `<root>/.fitcheck/monitor/<time>-<pid>`. */
export function newSessionDir(root: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return path.join(root, MONITOR_FOLDER, `${stamp}-${process.pid}-${Math.random().toString(16).slice(2, 6)}`);
}

/** The child's environment: `base` plus the bootstrap first on PYTHONPATH and the session folder. */
export function monitorEnv(base: NodeJS.ProcessEnv, bootstrapDir: string, sessionDir: string, every?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  env.PYTHONPATH = base.PYTHONPATH ? `${bootstrapDir}${path.delimiter}${base.PYTHONPATH}` : bootstrapDir;
  env.FITCHECK_MONITOR_DIR = sessionDir;
  if (every !== undefined) env.FITCHECK_MONITOR_EVERY = String(every);
  // The user's prints reach the terminal as they happen, not when a buffer fills.
  env.PYTHONUNBUFFERED ??= '1';
  return env;
}
