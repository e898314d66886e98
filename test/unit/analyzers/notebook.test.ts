/** Notebooks are analysed as one program in cell order, with findings on the right cell and line. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { applyEdits } from '../../../analyzers/core/apply-edits.js';
import { lintCells, lintNotebookJson } from '../../../analyzers/linter.js';
import { joinCells, parseNotebook } from '../../../analyzers/notebook.js';
import { notebookPositions } from '../../../analyzers/notebook-positions.js';
import { fixturePath, getLinter } from '../helpers.js';

const json = fs.readFileSync(fixturePath('notebooks', 'train.ipynb'), 'utf8');

describe('notebooks', () => {
  it('reports findings on the cell and cell-relative line where the code is', async () => {
    const { findings } = lintNotebookJson(await getLinter(), json, { select: ['FC1', 'FC3'] });
    assert.deepEqual(findings.map((f) => [f.code, f.cell, f.span.start.line]), [['FC101', 2, 4], ['FC301', 4, 2]]);
  });

  it("places each finding at its code in the .ipynb file too, for reports about the file (SARIF, Lint Workspace)", async () => {
    const { findings } = lintNotebookJson(await getLinter(), json, { select: ['FC1', 'FC3'] });
    const jsonLines = json.split('\n');
    const cells = parseNotebook(json);
    for (const f of findings) {
      const cellLine = cells[f.cell]!.source.split('\n')[f.span.start.line]!;
      const fileLine = jsonLines[f.fileSpan!.start.line]!;
      // The JSON line holds the cell line as a string, and the column points at the same code.
      assert.ok(fileLine.includes(JSON.stringify(cellLine).slice(1, -1)), `${f.code}: ${fileLine}`);
      assert.equal(fileLine.slice(f.fileSpan!.start.character, f.fileSpan!.start.character + 8), cellLine.slice(f.span.start.character, f.span.start.character + 8));
    }
    assert.deepEqual(findings.map((f) => f.fileSpan!.start.line + 1), [32, 53], "the nn.Softmax and loss.backward() lines of the file");
  });

  it('places a cell written as one string, escapes and all, on that string\'s line', () => {
    const oneString = JSON.stringify({ cells: [{ cell_type: 'code', source: 'import torch\nx = torch.zeros(2)\n' }] }, null, 1);
    const positions = notebookPositions(oneString);
    const at = positions(0, { line: 1, character: 4 });
    const line = oneString.split('\n')[at.line]!;
    assert.equal(line.slice(at.character, at.character + 5), 'torch');
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
