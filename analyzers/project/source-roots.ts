/**
 * Import roots a project declares in its `pyproject.toml`: where the packaging or test tools put
 * folders on `sys.path`, so `from vision.heads import X` resolves from `lib/` as Python would.
 * Read: setuptools `packages.find.where` and `package-dir`, pytest `pythonpath`, ruff `src`, poetry
 * `packages[].from`, hatch wheel `packages` (a package path's parent).
 */
import path from 'node:path';
import { parse } from 'smol-toml';
import { MAX_PYPROJECT_SIZE } from '../config-file.js';
import { readLintFile } from '../read-file.js';

/** The folders (absolute, inside `dir`) that `pyproject.toml` text in `dir` puts on the import path; [] for invalid TOML. */
export function pyprojectSourceRoots(text: string, dir: string): string[] {
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch {
    return []; // The config reader reports bad TOML; here it only means no extra roots.
  }
  const tool = table(document['tool']);
  const setuptools = table(tool['setuptools']);
  const relative = [
    ...strings(table(table(setuptools['packages'])['find'])['where']),
    ...strings(table(setuptools['package-dir'])['']),
    ...strings(table(table(tool['pytest'])['ini_options'])['pythonpath']),
    ...strings(table(tool['ruff'])['src']),
    ...list(table(tool['poetry'])['packages']).flatMap((p) => strings(table(p)['from'])),
    ...strings(table(table(table(table(tool['hatch'])['build'])['targets'])['wheel'])['packages']).map((p) => path.dirname(p)),
  ];
  const roots: string[] = [];
  for (const entry of relative) {
    const full = path.resolve(dir, entry);
    // A root outside the project (`..`, an absolute path elsewhere) is not the project's code.
    if (full !== dir && !full.startsWith(dir + path.sep)) continue;
    if (!roots.includes(full)) roots.push(full);
  }
  return roots;
}

/** The project folders followed by the roots their own `pyproject.toml` declares; unreadable files add nothing. */
export function withDeclaredRoots(roots: readonly string[]): string[] {
  const all = [...roots];
  for (const root of roots) {
    // Never a plain read: a FIFO named pyproject.toml would block the whole lint.
    const read = readLintFile(path.join(root, 'pyproject.toml'), MAX_PYPROJECT_SIZE);
    if (!read.ok) continue;
    for (const extra of pyprojectSourceRoots(read.text, path.resolve(root))) if (!all.includes(extra)) all.push(extra);
  }
  return all;
}

function table(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string or a list of strings (pytest and setuptools accept both). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return list(value).filter((v): v is string => typeof v === 'string');
}
