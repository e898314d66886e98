/**
 * Finds the file of a project module named in an import: relative imports from the importing file's
 * package, absolute ones from the importing script's folder (Python puts it on `sys.path`) and from
 * the project's source roots (the folder itself and a `src/` layout).
 */
import path from 'node:path';

/**
 * The file holding `module` imported from `fromFile`, if it is one of the project's files. `fromFile`
 * and `roots` are absolute and normalised (`path.resolve`): paths are put together by hand, since a
 * lint of a large package resolves tens of thousands of imports and `path.join` normalises every time.
 * `fromRoots`: absolute modules resolved under the roots so far, read and filled in (valid while the
 * roots and the project's files stay the same).
 */
export function resolveModule(module: string, fromFile: string, roots: readonly string[], hasFile: (file: string) => boolean, fromRoots?: Map<string, string | undefined>): string | undefined {
  const dots = /^\.*/.exec(module)![0].length;
  const rest = module.slice(dots);
  const folder = path.dirname(fromFile);
  if (dots > 0) return moduleFile(up(folder, dots - 1), rest, hasFile);
  const local = moduleFile(folder, rest, hasFile);
  if (local || fromRoots?.has(module)) return local ?? fromRoots!.get(module);
  // Where an absolute import resolves under the roots does not depend on the importing file: `fromRoots` keeps it.
  let found: string | undefined;
  for (const base of new Set(roots.flatMap((root) => [root, joined(root, 'src')]))) {
    if ((found = moduleFile(base, rest, hasFile))) break;
  }
  fromRoots?.set(module, found);
  return found;
}

function moduleFile(base: string, dotted: string, hasFile: (file: string) => boolean): string | undefined {
  const stem = dotted ? joined(base, dotted.split('.').join(path.sep)) : base;
  if (dotted && hasFile(`${stem}.py`)) return `${stem}.py`;
  const init = joined(stem, '__init__.py');
  return hasFile(init) ? init : undefined;
}

/** `relative` (plain names, no `.` or `..`) under the normalised folder `base`. */
function joined(base: string, relative: string): string {
  return base.endsWith(path.sep) ? base + relative : base + path.sep + relative;
}

/** The folder `levels` above the normalised folder `folder` (the root stays the root). */
function up(folder: string, levels: number): string {
  let out = folder;
  for (let k = 0; k < levels; k++) out = path.dirname(out);
  return out;
}
