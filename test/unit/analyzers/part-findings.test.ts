/**
 * An open document's findings kept per part: local rules check only the parts an edit touched, their
 * findings move with their part, and the whole equals a one-shot lint after every edit.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../../../analyzers/config.js';
import type { TrainingFacts } from '../../../analyzers/facts.js';
import type { Linter } from '../../../analyzers/linter.js';
import { PartFindings } from '../../../analyzers/part-findings.js';
import { GroupFacts } from '../../../analyzers/python/group-facts.js';
import { PythonDocument } from '../../../analyzers/python/document.js';
import { PythonParser } from '../../../analyzers/python/parser.js';
import { RULES } from '../../../analyzers/rules/index.js';
import type { Rule } from '../../../analyzers/rules/rule.js';
import { parseSuppressions } from '../../../analyzers/suppressions.js';
import { getLinter } from '../helpers.js';

let parser: PythonParser;
let linter: Linter;

before(async () => {
  parser = await PythonParser.create();
  linter = await getLinter();
});

/** Three models that share no names, each its own part, and a training loop with zero_grad() between backward() and step(). */
const SCRIPT = `import torch
import torch.nn as nn


class First(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, 8)
        self.b = nn.Linear(8, 2)

    def forward(self, x):
        return self.b(self.a(x))


class Second(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, 8)
        self.b = nn.Linear(8, 2)

    def forward(self, x):
        return self.b(self.a(x))


def train(model, optimizer, loader):
    for x, y in loader:
        loss = model(x).sum()
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()


def unrelated():
    return 1


train(First(), torch.optim.SGD([], lr=0.01), [])
`;

describe('the findings of an open document, part by part', () => {
  it('checks a local rule again only on the part an edit touched, and every other rule on the whole file', () => {
    const localCalls: TrainingFacts[] = [];
    let wholeCalls = 0;
    const rules: Rule[] = RULES.map((rule) => ({
      ...rule,
      check(facts, options) {
        if (rule.local) localCalls.push(facts);
        else wholeCalls++;
        return rule.check(facts, options);
      },
    }));
    // Those that apply to PyTorch code.
    const wholeRules = RULES.filter((r) => !r.local && r.frameworks.includes('pytorch')).length;
    const localRules = RULES.filter((r) => r.local && r.frameworks.includes('pytorch')).length;
    const groups = new GroupFacts((text) => parser.parse(text));
    const parts = new PartFindings(rules);
    const document = new PythonDocument(parser);
    const config = resolveConfig({});
    const lint = (text: string) => {
      const { facts, parts: split } = groups.facts(document.update(text), text);
      return { findings: parts.findings(split, facts, config, parseSuppressions([]), linter.docsBase), parts: split.length };
    };
    try {
      const first = lint(SCRIPT);
      assert.ok(first.parts >= 3, `${first.parts} parts`);
      assert.equal(localCalls.length, first.parts * localRules, 'every part checked once by each local rule');
      assert.equal(wholeCalls, wholeRules);

      localCalls.length = 0;
      wholeCalls = 0;
      const edited = SCRIPT.replace('        self.a = nn.Linear(4, 8)\n', '        self.a = nn.Linear(4, 16)\n');
      const second = lint(edited);
      assert.equal(localCalls.length, localRules, 'only the edited model\'s part checked again');
      assert.ok(localCalls.every((facts) => facts.models.length === 1 && facts.models[0]!.name.includes('First')));
      assert.equal(wholeCalls, wholeRules, 'the other rules read the whole file again');
      assert.deepEqual(second.findings, linter.lint(edited).findings);
    } finally {
      document.dispose();
    }
  });

  it('moves the findings of a part that an edit above moves, and finds what a one-shot lint finds', () => {
    const document = linter.openDocument();
    try {
      const before = linter.lint(SCRIPT, {}, document).findings;
      const stack = before.filter((f) => f.code === 'FC202');
      assert.equal(stack.length, 2, 'one linear stack in each model');
      // Between the imports and the models: every model's part moves down two lines, but not its imports.
      const edited = SCRIPT.replace('\n\nclass First', '\n# First and Second\n# are two models\n\nclass First');
      const after = linter.lint(edited, {}, document).findings;
      assert.deepEqual(after, linter.lint(edited).findings);
      assert.deepEqual(after.filter((f) => f.code === 'FC202').map((f) => f.span.start.line), stack.map((f) => f.span.start.line + 2));
    } finally {
      document.dispose();
    }
  });

  it('moves a fix that inserts after a function\'s last line with that function, not with the part\'s next lines', () => {
    const document = linter.openDocument();
    try {
      linter.lint(SCRIPT, {}, document);
      // Only unrelated() grows: the loop's part keeps its function where it is and moves its last line down.
      const edited = SCRIPT.replace('def unrelated():\n    return 1\n', 'def unrelated():\n    x = 1\n    return x\n');
      const after = linter.lint(edited, {}, document).findings;
      assert.deepEqual(after, linter.lint(edited).findings);
      const zeroGrad = after.find((f) => f.code === 'FC302');
      assert.ok(zeroGrad, 'zero_grad() between backward() and step() found');
      const insert = zeroGrad.fixes[0]!.edits[1]!;
      const stepLine = edited.split('\n').findIndex((l) => l.includes('optimizer.step()'));
      assert.equal(insert.span.start.line, stepLine + 1, 'inserted on the line after step()');
    } finally {
      document.dispose();
    }
  });

  it('checks every part again when the settings change', () => {
    const document = linter.openDocument();
    try {
      assert.ok(linter.lint(SCRIPT, {}, document).findings.some((f) => f.code === 'FC202'));
      const off = linter.lint(SCRIPT, { ignore: ['FC202'] }, document).findings;
      assert.ok(!off.some((f) => f.code === 'FC202'));
      assert.deepEqual(off, linter.lint(SCRIPT, { ignore: ['FC202'] }).findings);
    } finally {
      document.dispose();
    }
  });
});
