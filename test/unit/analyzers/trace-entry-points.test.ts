/**
 * Which functions the trace runs as entry points of their own: those whose text can matter to a rule,
 * and their callers, found by name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModuleIndex } from '../../../analyzers/python/module-index.js';
import { PythonParser } from '../../../analyzers/python/parser.js';
import { relevantFunctions } from '../../../analyzers/python/trace-entry-points.js';

/** Two classes with a `step` method, only one of which trains, and the functions around them. */
const twoSteps = `import torch


class Trainer:
    def step(self, batch):
        loss = self.model(batch).sum()
        loss.backward()


class Scheduler:
    def step(self):
        self.epoch += 1


def run(trainer, batches):
    for batch in batches:
        trainer.step(batch)
`;

/** The relevant functions' qualified names (`Class.method` or `function`), sorted. */
async function relevantNames(text: string): Promise<string[]> {
  const parser = await PythonParser.create();
  const tree = parser.parse(text);
  try {
    const index = new ModuleIndex(tree.rootNode, text);
    const relevant = relevantFunctions(index);
    return index.allFunctions
      .filter((fn) => relevant.has(fn.id))
      .map((fn) => {
        const owner = fn.parent?.parent?.type === 'class_definition' ? `${fn.parent.parent.childForFieldName('name')?.text}.` : '';
        return owner + fn.childForFieldName('name')?.text;
      })
      .sort();
  } finally {
    tree.delete();
  }
}

describe('the functions the trace runs as entry points', () => {
  it('include a function that calls a training method, but not another method only sharing its name', async () => {
    assert.deepEqual(await relevantNames(twoSteps), ['Trainer.step', 'run']);
  });

  it('include the callers of callers until nothing changes', async () => {
    const text = `${twoSteps}

def main():
    run(Trainer(), [])
`;
    assert.deepEqual(await relevantNames(text), ['Trainer.step', 'main', 'run']);
  });
});
