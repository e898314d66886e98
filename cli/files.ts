/** Expands the CLI's path arguments into the files to lint. */
import fs from 'node:fs';
import path from 'node:path';
import { describeError } from '../analyzers/read-file.js';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache', '.pytest_cache', 'site-packages', 'dist', 'build', '.fitcheck']);
const LINTABLE = new Set(['.py', '.ipynb']);
/** TypeScript/JavaScript: searched too, and linted when they import TensorFlow.js (the others cost one text search). */
const SCRIPTS = new Set(['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts']);

function lintable(name: string): boolean {
  const ext = path.extname(name);
  return LINTABLE.has(ext) || (SCRIPTS.has(ext) && !/\.d\.[mc]?ts$/.test(name));
}

export interface FileList {
  files: string[];
  /** Paths that could not be read (or, with `failed`, were read but could not be linted), with the reason. */
  errors: { path: string; message: string; failed?: boolean }[];
}

/** Files named directly are linted whatever their extension; folders are searched for Python, notebook and TS/JS files. */
export function collectFiles(paths: string[]): FileList {
  const result: FileList = { files: [], errors: [] };
  for (const input of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (error) {
      result.errors.push({ path: input, message: describe(error) });
      continue;
    }
    if (stat.isDirectory()) walk(input, result);
    else result.files.push(input);
  }
  result.files = [...new Set(result.files)];
  return result;
}

function walk(dir: string, result: FileList): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    result.errors.push({ path: dir, message: describe(error) });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full, result);
    } else if (entry.isFile() && (lintable(entry.name) || entry.name.endsWith('.fitrun.json'))) {
      result.files.push(full);
    }
  }
}

/** A short, human reason for a file-system error. */
export function describe(error: unknown): string {
  return describeError(error);
}
