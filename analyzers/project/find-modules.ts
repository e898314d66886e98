/** Finds a workspace's Python modules on disk, skipping environments, caches and build output. */
import fs from 'node:fs';
import path from 'node:path';

const SKIP_DIRS = new Set(['node_modules', '__pycache__', 'site-packages', 'venv', 'env', 'dist', 'build', '.fitcheck']);

/** `.py` files under the roots (absolute paths), at most `limit` of them: a huge tree is cut, not walked forever. */
export function findPythonModules(roots: readonly string[], limit = 20_000): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (found.length >= limit || depth > 20) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // An unreadable folder holds nothing the project can use.
    }
    for (const entry of entries) {
      if (found.length >= limit) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full, depth + 1);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        found.push(full);
      }
    }
  };
  for (const root of roots) walk(root, 0);
  return found;
}
