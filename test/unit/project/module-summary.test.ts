/**
 * A module's summary read again as it is edited: what it reads from statements the edit left alone
 * is kept (by statement), and the summary equals one read afresh.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SummaryCache, summarizeModule, type ModuleSummary } from '../../../analyzers/project/module-summary.js';
import { PythonParser } from '../../../analyzers/python/parser.js';
import { getLinter } from '../helpers.js';

const MODULE = `import torch
from nets import Net


def train(model, loader):
    for x in loader:
        model(x).sum().backward()


def evaluate(model, loader):
    return [model(x) for x in loader]


LR = 0.1

if torch.cuda.is_available():
    from fast import kernels
`;

/** The summary as plain data, to compare with a fresh one. */
function plain(summary: ModuleSummary) {
  return {
    definitions: [...summary.definitions.values()].map((d) => ({ name: d.name, kind: d.kind, startLine: d.startLine, endLine: d.endLine, mentions: [...d.mentions].sort() })),
    imports: summary.imports,
    references: [...summary.referencesTo(new Set(summary.imports.flatMap((statement) => statement.names.map((name) => name.local))))],
    lineStarts: [...summary.lineStarts],
    lineCount: summary.lineCount,
  };
}

test('an edited module\'s summary keeps what untouched statements gave it and equals a fresh one', async () => {
  const linter = await getLinter();
  const parser = await PythonParser.create();
  const document = linter.openDocument();
  const cache = new SummaryCache();
  const fresh = (text: string) => {
    // Read from tree-sitter's own nodes: a different reader of the same text than the document's copy.
    const tree = parser.parse(text);
    try {
      return plain(summarizeModule(tree.rootNode, text));
    } finally {
      tree.delete();
    }
  };
  try {
    const first = summarizeModule(document.update(MODULE), MODULE, cache);
    assert.deepEqual(plain(first), fresh(MODULE));
    assert.deepEqual(first.imports.map((i) => [i.module, i.topLevel]), [['torch', true], ['nets', true], ['fast', false]]);

    // An import typed into train: the statements next to it are read again with it, LR and the if block further on are not.
    const edited = MODULE.replace('    for x in loader:\n        model(x).sum()', '    import numpy\n    for x in loader:\n        model(x).sum()');
    const second = summarizeModule(document.update(edited), edited, cache);
    assert.deepEqual(plain(second), fresh(edited));
    assert.deepEqual(second.imports.map((i) => i.module), ['torch', 'nets', 'numpy', 'fast'], 'the new nested import is found, and the one kept');
    assert.equal(second.definitions.get('LR')!.mentions, first.definitions.get('LR')!.mentions, 'a definition the edit left alone is not read again');
    assert.ok(second.definitions.get('train')!.mentions.has('numpy'), 'the edited definition is read again');
    assert.equal(second.definitions.get('LR')!.startLine, first.definitions.get('LR')!.startLine + 1, 'and what follows it moved down');
    assert.equal(cache.statements.size, 6, 'the cache holds this version\'s statements only');
  } finally {
    document.dispose();
  }
});

test('a one-shot summary reads the same identifiers a definition mentions as a summary kept across edits', async () => {
  const linter = await getLinter();
  const copy = linter.parsePython(MODULE);
  const oneShot = summarizeModule(copy.root, MODULE);
  const kept = summarizeModule(linter.parsePython(MODULE).root, MODULE, new SummaryCache());
  assert.deepEqual([...oneShot.definitions.get('train')!.mentions].sort(), ['backward', 'def', 'for', 'in', 'loader', 'model', 'sum', 'train', 'x']);
  for (const name of ['train', 'evaluate', 'LR']) assert.deepEqual([...oneShot.definitions.get(name)!.mentions].sort(), [...kept.definitions.get(name)!.mentions].sort(), name);
});
