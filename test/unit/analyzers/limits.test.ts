/** The lint limits in small: safe file reads, size words, the depth check, directive codes, broken notebooks. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseNotebook } from '../../../analyzers/notebook.js';
import { MAX_NESTING, TOO_DEEP } from '../../../analyzers/python/depth.js';
import { mirrorDeeperThan } from '../../../analyzers/python/syntax-tree.js';
import { formatBytes, readLintFile } from '../../../analyzers/read-file.js';
import { parseSuppressions } from '../../../analyzers/suppressions.js';
import { printable } from '../../../cli/display.js';
import { getLinter } from '../helpers.js';

describe('lint limits', () => {
  it('reads a regular file and refuses one over the limit without reading it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-limits-'));
    try {
      const file = path.join(dir, 'a.py');
      fs.writeFileSync(file, 'x = 1\n');
      assert.deepEqual(readLintFile(file, 100), { ok: true, text: 'x = 1\n' });
      assert.deepEqual(readLintFile(file, 3), { ok: false, tooBig: 6, reason: 'file is 6 bytes, over the 3 bytes limit' });
      assert.deepEqual(readLintFile(path.join(dir, 'none.py'), 100), { ok: false, reason: 'no such file or directory' });
      assert.deepEqual(readLintFile(dir, 100), { ok: false, reason: 'not a regular file (a directory)' });
      if (process.platform !== 'win32') {
        execFileSync('mkfifo', [path.join(dir, 'pipe.py')]);
        assert.deepEqual(readLintFile(path.join(dir, 'pipe.py'), 100), { ok: false, reason: 'not a regular file (a named pipe)' });
        assert.deepEqual(readLintFile('/dev/zero', 100), { ok: false, reason: 'not a regular file (a device)' });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes sizes in the unit people use', () => {
    assert.deepEqual([1, 999, 1_500, 12_345, 2_000_000].map(formatBytes), ['1 byte', '999 bytes', '1.5 kB', '12 kB', '2.0 MB']);
  });

  it('escapes control characters for the terminal', () => {
    assert.equal(printable('a\nb\u001b[31m\tc.py'), 'a\\nb\\u001b[31m\\tc.py');
    assert.equal(printable('plain/ünïcode.py'), 'plain/ünïcode.py');
  });

  it('lets ordinary code through the depth check and stops deep code, by the depth the copy records per statement', async () => {
    const linter = await getLinter();
    assert.equal(mirrorDeeperThan(linter.parsePython('import torch\nx = [[1, 2], [3, 4]]\nif a:\n    if b:\n        pass\n'), MAX_NESTING), false);
    assert.equal(mirrorDeeperThan(linter.parsePython(`x = ${'['.repeat(300)}${']'.repeat(300)}`), MAX_NESTING), false);
    assert.equal(mirrorDeeperThan(linter.parsePython(`x = ${'['.repeat(600)}${']'.repeat(600)}`), MAX_NESTING), true);
    // Brackets inside strings and comments do not nest.
    assert.equal(mirrorDeeperThan(linter.parsePython(`x = "${'['.repeat(1000)}"  # ${'('.repeat(1000)}`), MAX_NESTING), false);
    // The deepest statement counts, not the last.
    assert.equal(mirrorDeeperThan(linter.parsePython(`x = ${'('.repeat(600)}1${')'.repeat(600)}\ny = 1\n`), MAX_NESTING), true);
    assert.equal(linter.lint(`import torch\nx = ${'['.repeat(3000)}${']'.repeat(3000)}\n`).skipped, TOO_DEEP);
  });

  it('stops deep code in an open document too, by the depth it keeps per statement, across edits', async () => {
    const linter = await getLinter();
    const document = linter.openDocument();
    try {
      const deep = `import torch\nx = ${'('.repeat(600)}1${')'.repeat(600)}\n`;
      assert.equal(linter.lint(deep, {}, document).skipped, TOO_DEEP);
      // An edit elsewhere keeps the deep statement as it was: still too deep.
      assert.equal(linter.lint(`import torch\ny = 2\n${deep.slice(13)}`, {}, document).skipped, TOO_DEEP);
      // Shallow enough once edited (the same nesting as the one-shot lint lets through).
      const shallow = `import torch\ny = 2\nx = ${'('.repeat(300)}1${')'.repeat(300)}\n`;
      assert.equal(linter.lint(shallow, {}, document).skipped, linter.lint(shallow).skipped);
      assert.equal(linter.lint(shallow, {}, document).skipped, undefined);
    } finally {
      document.dispose();
    }
  });

  it('keeps unknown codes of a directive out of what it silences', () => {
    const s = parseSuppressions([{ line: 0, character: 0, text: '# fitcheck: ignore-file[F, FC3, XYZ]' }]);
    assert.deepEqual([...s.file], ['FC3']);
    assert.deepEqual(s.written.map((w) => w.code), ['F', 'FC3', 'XYZ']);
  });

  it('says what is wrong with a notebook whose cells are not objects', () => {
    assert.throws(() => parseNotebook('{"cells": [{"cell_type": "code", "source": ""}, null]}'), /not a valid notebook: cell 2 is null, not a cell object/);
    assert.throws(() => parseNotebook('null'), /not a valid notebook: it has no "cells" list/);
    assert.deepEqual(parseNotebook('{"cells": [{"cell_type": "code", "source": [null, "x = 1"]}]}').map((c) => c.source), ['x = 1']);
  });
});
