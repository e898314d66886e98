/**
 * Import resolution (resolve-module.ts): relative imports from the importing file's package, absolute
 * ones from its folder first, then from the roots and their `src/`; with or without the cache of what
 * absolute modules resolve to under the roots.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { resolveModule } from '../../../analyzers/project/resolve-module.js';

const ROOT = path.join(path.sep, 'proj');
const at = (...parts: string[]) => path.join(ROOT, ...parts);
const FILES = new Set([at('a', 'util.py'), at('a', 'm.py'), at('util.py'), at('b', 'm.py'), at('b', 'x.py'), at('src', 'lib.py'), at('pkg', '__init__.py'), at('pkg', 'nets.py')]);

/** [module, importing file, expected file] in the order they are resolved. */
const CASES: [string, string, string | undefined][] = [
  ['util', at('b', 'm.py'), at('util.py')],
  ['util', at('a', 'm.py'), at('a', 'util.py')],
  ['util', at('b', 'm.py'), at('util.py')],
  ['lib', at('a', 'm.py'), at('src', 'lib.py')],
  ['pkg', at('b', 'm.py'), at('pkg', '__init__.py')],
  ['pkg.nets', at('a', 'm.py'), at('pkg', 'nets.py')],
  ['.x', at('b', 'm.py'), at('b', 'x.py')],
  ['..util', at('a', 'm.py'), at('util.py')],
  ['torch.nn', at('a', 'm.py'), undefined],
  ['x', at('a', 'm.py'), undefined],
  ['x', at('b', 'm.py'), at('b', 'x.py')],
];

test('an absolute import resolves in the importing file\'s folder before the roots, with or without the cache of root resolutions', () => {
  const fromRoots = new Map<string, string | undefined>();
  for (const [module, from, expected] of CASES) {
    assert.equal(resolveModule(module, from, [ROOT], (file) => FILES.has(file)), expected, `${module} from ${from}`);
    assert.equal(resolveModule(module, from, [ROOT], (file) => FILES.has(file), fromRoots), expected, `${module} from ${from}, cached`);
  }
  assert.deepEqual([...fromRoots.keys()].sort(), ['lib', 'pkg', 'pkg.nets', 'torch.nn', 'util', 'x'], 'only absolute modules are cached');
});
