/**
 * The trace's scopes: a function's parameters and locals shadow module-level names, as in Python, so a
 * helper never runs with a module-level model only because a parameter shares its name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getLinter } from '../helpers.js';

/** A never-called evaluation helper taking `model`, and a module-level model named `name`. */
const helperBeside = (name: string) => `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc(x)


def score(model, dev_batches):
    hits = 0
    for x, y in dev_batches:
        hits += (model(x).argmax(1) == y).sum().item()
    return hits


${name} = Net()
`;

/** \`model\` assigned from something the trace cannot resolve inside a function, beside a module-level model of that name. */
const localBeside = `import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(3, 2))


def score(dev_batches):
    model = torch.hub.load("owner/repo", "classifier")
    hits = 0
    for x, y in dev_batches:
        hits += (model(x).argmax(1) == y).sum().item()
    return hits
`;

const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

describe('the trace of a function never called in its file', () => {
  it('reads its parameter as unknown, whatever the module-level model is called', async () => {
    const linter = await getLinter();
    assert.deepEqual(codes(linter.lint(helperBeside('model')).findings), codes(linter.lint(helperBeside('net')).findings));
  });

  it('reads a local assigned from an unknown value as unknown, not as the module-level model of that name', async () => {
    const linter = await getLinter();
    assert.deepEqual(codes(linter.lint(localBeside).findings).filter((c) => c === 'FC503'), []);
  });

  it('gives an open document the findings of a one-shot lint when a parameter shares a module-level model\u2019s name', async () => {
    const linter = await getLinter();
    const document = linter.openDocument();
    try {
      const text = helperBeside('model');
      assert.deepEqual(linter.lint(text, {}, document), linter.lint(text));
    } finally {
      document.dispose();
    }
  });
});

describe('the trace of a function called with a model', () => {
  it('runs it with that model, so its evaluation loop without no_grad is reported', async () => {
    const linter = await getLinter();
    const called = `${helperBeside('net')}print(score(net, [(torch.randn(4, 3), torch.zeros(4, dtype=torch.long))]))\n`;
    assert.deepEqual(codes(linter.lint(called).findings).filter((c) => c === 'FC503'), ['FC503']);
  });
});
