import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { pyprojectSourceRoots } from '../../../analyzers/project/source-roots.js';

const dir = path.resolve('/proj');

test('the packaging and test tools\' tables in pyproject.toml name the import roots', () => {
  const text = `
[tool.setuptools.packages.find]
where = ["lib"]
[tool.setuptools.package-dir]
"" = "source"
[tool.pytest.ini_options]
pythonpath = [".", "code"]
[tool.ruff]
src = ["lib", "extras"]
[tool.poetry]
packages = [{ include = "pkg", from = "python" }]
[tool.hatch.build.targets.wheel]
packages = ["pkgs/vision"]
`;
  assert.deepEqual(pyprojectSourceRoots(text, dir), ['lib', 'source', '.', 'code', 'extras', 'python', 'pkgs'].map((p) => path.resolve(dir, p)));
});

test('roots outside the project folder and invalid TOML add nothing', () => {
  assert.deepEqual(pyprojectSourceRoots('[tool.pytest.ini_options]\npythonpath = ["../other", "/usr/lib"]\n', dir), []);
  assert.deepEqual(pyprojectSourceRoots('[tool.ruff\nsrc = ', dir), []);
  assert.deepEqual(pyprojectSourceRoots('[project]\nname = "x"\n', dir), []);
});
