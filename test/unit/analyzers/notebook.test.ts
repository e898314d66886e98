/** Notebooks are analysed as one program in cell order, with findings on the right cell and line. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { applyEdits } from '../../../analyzers/core/apply-edits.js';
import { lintCells, lintNotebookJson } from '../../../analyzers/linter.js';
import { joinCells, parseNotebook } from '../../../analyzers/notebook.js';
import { fixturePath, getLinter } from '../helpers.js';

const json = fs.readFileSync(fixturePath('notebooks', 'train.ipynb'), 'utf8');

describe('notebooks', () => {
  it('reports findings on the cell and cell-relative line where the code is', async () => {
    const { findings } = lintNotebookJson(await getLinter(), json, { select: ['FC1', 'FC3'] });
    assert.deepEqual(findings.map((f) => [f.code, f.cell, f.span.start.line]), [['FC101', 2, 4], ['FC301', 4, 2]]);
  });

  it('follows a helper defined in an earlier cell into the loop of a later one', async () => {
    const { findings } = lintNotebookJson(await getLinter(), json, { select: ['FC301'] });
    assert.equal(findings[0]!.cell, 4, 'the backward() inside train_step, defined in cell 5');
  });

  it('blanks IPython magics and shell escapes without shifting lines', () => {
    const program = joinCells(parseNotebook(json));
    assert.ok(!program.text.includes('%matplotlib') && !program.text.includes('!nvidia-smi'));
    assert.deepEqual(program.cells.map((c) => c.index), [1, 2, 4, 5]);
  });

  it('maps a quick fix into the cell it edits', async () => {
    const cells = parseNotebook(json);
    const { findings } = lintCells(await getLinter(), cells, { select: ['FC101'] });
    const fix = findings[0]!.fixes[0]!;
    const fixed = applyEdits(cells[2]!.source, fix.edits);
    assert.ok(!fixed.includes('Softmax') && fixed.includes('nn.Linear(64, 3),'));
    cells[2] = { ...cells[2]!, source: fixed };
    assert.equal(lintCells(await getLinter(), cells, { select: ['FC101'] }).findings.length, 0);
  });

  it('reports a malformed notebook as skipped with the reason', async () => {
    const broken = fs.readFileSync(fixturePath('notebooks', 'broken.ipynb'), 'utf8');
    const result = lintNotebookJson(await getLinter(), broken);
    assert.deepEqual(result.findings, []);
    assert.match(result.skipped ?? '', /not a valid notebook/);
    assert.match(lintNotebookJson(await getLinter(), '{"nbformat": 4}').skipped ?? '', /no "cells" list/);
  });
});
