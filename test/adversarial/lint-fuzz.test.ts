/**
 * 30,000 mutants of real inputs (Python files, notebooks, run specs, pyproject.toml): no exception,
 * and an open document (the editor's incremental re-parse and syntax-tree copy) always finds exactly
 * what a fresh lint of the same text finds. The quick unit suite runs a small share of this.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseProjectConfig } from '../../analyzers/config-file.js';
import { lintCells, lintNotebookJson } from '../../analyzers/linter.js';
import type { NotebookCell } from '../../analyzers/notebook.js';
import { lintRunSpec } from '../../analyzers/runspec/lint.js';
import { fuzzCorpus, mutate, random } from '../unit/fuzz-mutations.js';
import { getLinter, repoRoot } from '../unit/helpers.js';
import { runSpecWithLayers } from './lint-generators.js';

const COUNTS = { python: 12_000, pythonDocument: 8_000, notebook: 4_000, runSpec: 3_000, pyproject: 3_000 };
const TOTAL = Object.values(COUNTS).reduce((a, b) => a + b, 0);

function filesUnder(dir: string, suffix: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(suffix)) found.push(full);
    }
  };
  walk(dir);
  return found.sort().map((f) => fs.readFileSync(f, 'utf8'));
}

/** A Python text as notebook cells: split at blank lines, with a markdown cell now and then. */
function asCells(text: string, next: () => number): NotebookCell[] {
  const cells: NotebookCell[] = [];
  for (const part of text.split(/\n\s*\n/)) {
    if (next() < 0.2) cells.push({ index: cells.length, kind: 'markdown', source: '# notes' });
    cells.push({ index: cells.length, kind: 'code', source: part });
  }
  return cells;
}

function notebookJson(cells: NotebookCell[]): string {
  return JSON.stringify({ cells: cells.map((c) => ({ cell_type: c.kind, source: c.source.split(/(?<=\n)/) })), nbformat: 4, nbformat_minor: 5, metadata: {} });
}

describe('fuzzing the lint front-ends', () => {
  it(`lints ${TOTAL.toLocaleString('en-US')} mutants without an exception, open documents always agreeing with a fresh lint`, async () => {
    const linter = await getLinter();
    const python = fuzzCorpus(repoRoot);
    const specs = [...filesUnder(path.join(repoRoot, 'test', 'fixtures', 'runspecs'), '.fitrun.json'), runSpecWithLayers(12)];
    const pyprojects = filesUnder(path.join(repoRoot, 'test', 'fixtures', 'config'), 'pyproject.toml');
    assert.ok(python.length > 50 && specs.length > 5 && pyprojects.length > 2, 'the fixtures are there to mutate');
    const counts = { python: 0, pythonDocument: 0, notebook: 0, runSpec: 0, pyproject: 0, compared: 0 };
    const started = performance.now();
    const fail = (what: string, i: number, kind: string, error: unknown, text: string) =>
      assert.fail(`${what} mutant ${i} (${kind}) threw ${error instanceof Error ? error.stack : String(error)}:\n${text.slice(0, 1500)}`);

    // Python, one-shot.
    let next = random(20261203);
    for (let i = 0; i < COUNTS.python; i++) {
      const { kind, text } = mutate(python[i % python.length]!, next);
      try {
        assert.ok(Array.isArray(linter.lint(text).findings));
      } catch (error) {
        fail('Python', i, kind, error, text);
      }
      counts.python++;
    }

    // Python in an open document: each mutant is an edit of the previous one, as in an editor.
    next = random(31337);
    let document = linter.openDocument();
    let previous = '';
    try {
      for (let i = 0; i < COUNTS.pythonDocument; i++) {
        const { kind, text } = mutate(i % 40 === 0 ? python[(i * 7) % python.length]! : previous, next);
        previous = text;
        let incremental;
        try {
          incremental = linter.lint(text, {}, document);
        } catch (error) {
          fail('open-document', i, kind, error, text);
        }
        assert.deepEqual(incremental, linter.lint(text), `open-document mutant ${i} (${kind}) differs from a fresh lint`);
        counts.pythonDocument++;
        counts.compared++;
      }
    } finally {
      document.dispose();
    }

    // Notebooks: mutated JSON text, and mutated cells in an open notebook document against a fresh lint.
    next = random(4711);
    document = linter.openDocument();
    let cellsBefore: NotebookCell[] = asCells(python[0]!, next);
    try {
      for (let i = 0; i < COUNTS.notebook; i++) {
        if (i % 2 === 0) {
          const { kind, text } = mutate(notebookJson(asCells(python[i % python.length]!, next)), next);
          try {
            lintNotebookJson(linter, text);
          } catch (error) {
            fail('notebook JSON', i, kind, error, text);
          }
        } else {
          const at = Math.floor(next() * cellsBefore.length);
          const cell = cellsBefore[at]!;
          const edited = mutate(cell.source, next);
          const cells = cellsBefore.map((c, j) => (j === at ? { ...c, source: edited.text } : c));
          cellsBefore = i % 50 === 1 ? asCells(python[i % python.length]!, next) : cells;
          let incremental;
          try {
            incremental = lintCells(linter, cells, {}, document);
          } catch (error) {
            fail('notebook cell', i, edited.kind, error, edited.text);
          }
          assert.deepEqual(incremental, lintCells(linter, cells), `notebook mutant ${i} (${edited.kind}) differs from a fresh lint`);
          counts.compared++;
        }
        counts.notebook++;
      }
    } finally {
      document.dispose();
    }

    // Run specs and pyproject.toml files.
    next = random(99991);
    for (let i = 0; i < COUNTS.runSpec; i++) {
      const { kind, text } = mutate(specs[i % specs.length]!, next);
      try {
        assert.ok(Array.isArray(lintRunSpec(text)));
      } catch (error) {
        fail('run spec', i, kind, error, text);
      }
      counts.runSpec++;
    }
    for (let i = 0; i < COUNTS.pyproject; i++) {
      const { kind, text } = mutate(pyprojects[i % pyprojects.length]!, next);
      try {
        assert.ok(Array.isArray(parseProjectConfig(text).problems));
      } catch (error) {
        fail('pyproject', i, kind, error, text);
      }
      counts.pyproject++;
    }

    const seconds = (performance.now() - started) / 1000;
    const total = counts.python + counts.pythonDocument + counts.notebook + counts.runSpec + counts.pyproject;
    assert.equal(total, TOTAL);
    console.log(`fuzz: ${total} mutants (${JSON.stringify(counts)}), 0 exceptions, 0 differences in ${counts.compared} comparisons, ${seconds.toFixed(1)} s`);
  });
});
