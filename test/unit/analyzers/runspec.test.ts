/** Run specs are linted with the same rules as code: the model in a spec is a model. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../../analyzers/config.js';
import { runRules } from '../../../analyzers/engine.js';
import { runSpecFacts } from '../../../analyzers/runspec/frontend.js';
import { parseSuppressions } from '../../../analyzers/suppressions.js';
import { repoRoot } from '../helpers.js';

const lint = (text: string) => {
  const { facts, errors } = runSpecFacts(text);
  return { errors, findings: runRules(facts, resolveConfig({}), parseSuppressions([])) };
};
const example = (name: string) => fs.readFileSync(path.join(repoRoot, 'examples', 'runs', `${name}.fitrun.json`), 'utf8');

describe('run spec linting', () => {
  it('reports FC201 on the first hidden sigmoid of the six-sigmoid example', () => {
    const text = example('deep-sigmoid');
    const { findings } = lint(text);
    assert.deepEqual(findings.map((f) => f.code), ['FC201']);
    const line = text.split('\n')[findings[0]!.span.start.line]!;
    assert.match(line, /"activation": "sigmoid"/);
  });

  it('stays quiet on the ReLU version and on sigmoids behind batch norm', () => {
    assert.deepEqual(lint(example('deep-relu')).findings.map((f) => f.code), []);
    assert.ok(!lint(example('deep-sigmoid-batchnorm')).findings.some((f) => f.code === 'FC201'));
  });

  it('reports dropout 0.9 on its rate, and softmax with a logits loss', () => {
    const text = JSON.stringify({
      data: { kind: 'two-moons', samples: 200 },
      model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dropout', rate: 0.9 }, { type: 'dense', units: 2, activation: 'softmax' }] },
      loss: { type: 'categorical-crossentropy', fromLogits: true },
      optimizer: { type: 'adam', learningRate: 0.001 },
      training: { epochs: 5 },
    }, null, 2);
    const { errors, findings } = lint(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(findings.map((f) => f.code).sort(), ['FC101', 'FC401']);
    const dropout = findings.find((f) => f.code === 'FC401')!;
    assert.match(text.split('\n')[dropout.span.start.line]!, /"rate": 0.9/);
  });

  it('returns positioned errors and no findings for an invalid spec', () => {
    const text = '{\n  "model": { "layers": [ { "type": "dense", "units": 4, "activation": "sigmod" } ] }\n}\n';
    const { errors, findings } = lint(text);
    assert.deepEqual(findings, []);
    assert.ok(errors.length > 0);
    assert.ok(errors.some((e) => /sigmoid/.test(e.message) && e.line === 1), JSON.stringify(errors));
  });
});
