/**
 * Finds the runs the monitor wrote (`.fitcheck/monitor/<session>/<run id>.fitcheck.jsonl`) and
 * the latest one of a given script, reading only each file's first line until the match.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseMonitoredRun, type MonitoredRun } from './run-evidence.js';

/** A run file larger than this is read from its tail only: the evidence needs the last records. */
const MAX_READ = 8 * 1024 * 1024;
/** Sessions looked at, newest first: old sessions stop mattering once a newer run exists. */
const MAX_SESSIONS = 200;

/** The monitor's run files under `folder` (sessions one level down), newest first. */
export function monitorRunFiles(folder: string): string[] {
  const files: { file: string; mtime: number }[] = [];
  let sessions: fs.Dirent[];
  try {
    sessions = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  for (const session of sessions.filter((d) => d.isDirectory()).map((d) => d.name).sort().reverse().slice(0, MAX_SESSIONS)) {
    const dir = path.join(folder, session);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.fitcheck.jsonl')) continue;
      try {
        const stat = fs.statSync(path.join(dir, name));
        if (stat.isFile()) files.push({ file: path.join(dir, name), mtime: stat.mtimeMs });
      } catch {
        // removed while listing: not a run any more
      }
    }
  }
  return files.sort((a, b) => b.mtime - a.mtime).map((f) => f.file);
}

/** The first line of a file (its `start` event), at most 64 KiB of it. */
function firstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString('utf8');
    const end = text.indexOf('\n');
    return end < 0 ? text : text.slice(0, end);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a run file whole (its start line and its last `MAX_READ` bytes when it is larger). */
export function readMonitoredRun(file: string): MonitoredRun | undefined {
  const size = fs.statSync(file).size;
  if (size <= MAX_READ) return parseMonitoredRun(fs.readFileSync(file, 'utf8'));
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_READ);
    const n = fs.readSync(fd, buffer, 0, MAX_READ, size - MAX_READ);
    const tail = buffer.subarray(0, n).toString('utf8');
    return parseMonitoredRun(`${firstLine(file)}\n${tail.slice(tail.indexOf('\n') + 1)}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** The newest monitored run of `script` (an absolute path) under `folder`, if any. */
export function latestRunOf(folder: string, script: string): { file: string; run: MonitoredRun } | undefined {
  return latestRunAmong(monitorRunFiles(folder), script);
}

/** The first of `files` (newest first) whose start event names `script` as the script that wrote it. */
export function latestRunAmong(files: readonly string[], script: string): { file: string; run: MonitoredRun } | undefined {
  const wanted = path.resolve(script);
  for (const file of files) {
    try {
      const start = JSON.parse(firstLine(file)) as { type?: unknown; script?: unknown };
      if (start.type !== 'start' || typeof start.script !== 'string' || path.resolve(start.script) !== wanted) continue;
      const run = readMonitoredRun(file);
      if (run) return { file, run };
    } catch {
      // a file being created, or not the monitor's: skip it
    }
  }
  return undefined;
}
