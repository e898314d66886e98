/**
 * Finds the file of a project module named in an import: relative imports from the importing file's
 * package, absolute ones from the importing script's folder (Python puts it on `sys.path`) and from
 * the project's source roots (the folder itself and a `src/` layout).
 */
import path from 'node:path';

/** The file holding `module` imported from `fromFile`, if it is one of the project's files. */
export function resolveModule(module: string, fromFile: string, roots: readonly string[], hasFile: (file: string) => boolean): string | undefined {
  const dots = /^\.*/.exec(module)![0].length;
  const rest = module.slice(dots);
  const bases = dots > 0
    ? [path.resolve(path.dirname(fromFile), ...Array<string>(dots - 1).fill('..'))]
    : [path.dirname(fromFile), ...roots.flatMap((root) => [root, path.join(root, 'src')])];
  for (const base of new Set(bases)) {
    const file = moduleFile(base, rest, hasFile);
    if (file) return file;
  }
  return undefined;
}

function moduleFile(base: string, dotted: string, hasFile: (file: string) => boolean): string | undefined {
  const parts = dotted ? dotted.split('.') : [];
  const stem = path.join(base, ...parts);
  if (parts.length > 0 && hasFile(`${stem}.py`)) return `${stem}.py`;
  const init = path.join(stem, '__init__.py');
  return hasFile(init) ? init : undefined;
}
