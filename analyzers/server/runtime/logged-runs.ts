/**
 * Finds the runs the Python helper wrote (`FitcheckLogger(logdir)` → `<logdir>/<run id>.fitcheck.jsonl`)
 * near a script: its logdir is the script's choice, so the folders are searched a few levels down,
 * skipping hidden folders and environments, within a bounded number of directory entries.
 */
import fs from 'node:fs';
import path from 'node:path';

/** How deep below a searched folder a logdir may be (`runs/`, `runs/exp1/`). */
const MAX_DEPTH = 2;
/** Directory entries read per search at most: a huge workspace costs a bounded listing, not a walk of it. */
const MAX_ENTRIES = 5000;
/** Folders that hold no run of the user's script (environments, caches, dependencies). */
const SKIPPED = new Set(['node_modules', '__pycache__', 'site-packages', 'venv', 'env', 'dist', 'build', 'out']);

/** The helper's run files in `folders` and up to two levels below them, newest first. */
export function loggedRunFiles(folders: readonly string[]): string[] {
  const found: { file: string; mtime: number }[] = [];
  const seen = new Set<string>();
  let budget = MAX_ENTRIES;
  const visit = (dir: string, depth: number): void => {
    if (seen.has(dir) || budget <= 0) return;
    seen.add(dir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    budget -= entries.length;
    const subfolders: string[] = [];
    for (const entry of entries) {
      if (entry.isFile() && entry.name.endsWith('.fitcheck.jsonl')) {
        const file = path.join(dir, entry.name);
        const mtime = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
        if (mtime !== undefined) found.push({ file, mtime });
      } else if (entry.isDirectory() && depth < MAX_DEPTH && !entry.name.startsWith('.') && !SKIPPED.has(entry.name)) {
        subfolders.push(path.join(dir, entry.name));
      }
    }
    for (const sub of subfolders) visit(sub, depth + 1);
  };
  for (const folder of folders) visit(folder, 0);
  return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.file);
}
