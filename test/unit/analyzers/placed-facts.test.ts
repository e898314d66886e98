/**
 * A group's facts placed at the file's lines and moved in place when the group moves; findings from
 * an earlier analysis keep their places after the facts they came from move.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Linter } from '../../../analyzers/linter.js';
import { PlacedFacts } from '../../../analyzers/python/placed-facts.js';
import { getLinter } from '../helpers.js';

describe('a group\'s facts placed at the file\'s lines', () => {
  const span = { start: { line: 2, character: 4 }, end: { line: 3, character: 0 } };
  const model = { id: 'model@2:4', line: 2, span, layers: [{ line: 3, kind: 'Linear', size: 10 }] };
  const source = { models: [model], losses: [{ modelId: 'model@2:4', span, line: 5 }], epochs: 7 };

  it('copies the facts with lines and ids mapped, keeping shared objects shared and the source untouched', () => {
    const placed = new PlacedFacts(source, (line) => line + 10);
    const facts = placed.facts;
    assert.equal(facts.models[0]!.line, 12);
    assert.equal(facts.models[0]!.id, 'model@12:4');
    assert.equal(facts.models[0]!.layers[0]!.line, 13);
    assert.equal(facts.models[0]!.layers[0]!.size, 10, 'numbers that are not lines stay');
    assert.equal(facts.losses[0]!.modelId, 'model@12:4');
    assert.equal(facts.losses[0]!.span.start.line, 12);
    assert.equal(facts.epochs, 7);
    assert.equal(facts.models[0]!.span, facts.losses[0]!.span, 'one span object in the source is one in the copy');
    assert.equal(source.models[0]!.line, 2);
    assert.equal(source.models[0]!.id, 'model@2:4');
  });

  it('moves the same copy in place from the program\'s lines, however often it moves', () => {
    const placed = new PlacedFacts(source, (line) => line + 10);
    const facts = placed.facts;
    placed.move((line) => line + 1);
    placed.move((line) => (line < 4 ? line + 20 : line + 30));
    assert.equal(placed.facts, facts, 'no new copy');
    assert.equal(facts.models[0]!.line, 22);
    assert.equal(facts.models[0]!.layers[0]!.line, 23);
    assert.equal(facts.models[0]!.span.end.line, 23);
    assert.equal(facts.losses[0]!.line, 35);
    assert.equal(facts.losses[0]!.modelId, 'model@22:4');
    assert.equal(source.losses[0]!.line, 5);
  });
});

describe('findings of an open document after a later edit', () => {
  it('keep their places when the edit moves the statements they came from', async () => {
    const linter: Linter = await getLinter();
    const script = `import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 8), nn.Softmax(dim=1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
for x, y in loader:
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
`;
    const document = linter.openDocument();
    try {
      const first = linter.lint(script, {}, document).findings;
      assert.ok(first.length > 0, 'the script has findings');
      const lines = first.map((f) => [f.code, f.span.start.line, f.span.end.line, ...f.related.map((r) => r.span.start.line), ...f.fixes.flatMap((x) => x.edits.map((e) => e.span.start.line))]);
      // Lines added above everything: every statement keeps its text and moves down.
      const moved = `# A training script\n\n${script}`;
      const second = linter.lint(moved, {}, document).findings;
      assert.deepEqual(second.map((f) => [f.code, f.span.start.line]), first.map((f) => [f.code, f.span.start.line + 2]), 'the new findings sit two lines lower');
      assert.deepEqual(first.map((f) => [f.code, f.span.start.line, f.span.end.line, ...f.related.map((r) => r.span.start.line), ...f.fixes.flatMap((x) => x.edits.map((e) => e.span.start.line))]), lines,
        'the first findings, with their related places and fix edits, did not move');
    } finally {
      document.dispose();
    }
  });
});
