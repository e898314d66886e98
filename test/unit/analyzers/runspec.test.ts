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
      data: { kind: 'two-moons', samples: 200, validationSamples: 1000 },
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

describe('FC409 verdict-out-of-reach', () => {
  const spec = (data: Record<string, unknown>, epsilon = 0.1) => JSON.stringify({
    data: { kind: 'two-moons', ...data },
    model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 1, activation: 'linear' }] },
    loss: { type: 'binary-crossentropy', fromLogits: true },
    optimizer: { type: 'adam', learningRate: 0.01 },
    training: { epochs: 5 },
    diagnosis: { epsilon },
  }, null, 2);

  it('warns on ε when label noise puts it out of reach', () => {
    const text = spec({ samples: 2000, validationSamples: 2000, labelNoise: 0.2 }, 0.05);
    const found = lint(text).findings.filter((f) => f.code === 'FC409');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.severity, 'warning');
    assert.match(found[0]!.message, /ε = 0\.05 is below this data's noise floor \(about 0\.2\)/);
    assert.match(text.split('\n')[found[0]!.span.start.line]!, /"epsilon": 0.05/);
  });

  it('notes a validation set too small to tell an error from ε, on the validation setting', () => {
    const text = spec({ samples: 160, validationFraction: 0.25 });
    const found = lint(text).findings.filter((f) => f.code === 'FC409');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.severity, 'info');
    assert.match(found[0]!.message, /With 40 validation examples an error near ε = 0\.1 is only known to ±0\.095/);
    assert.match(text.split('\n')[found[0]!.span.start.line]!, /"validationFraction": 0.25/);
  });

  it('stays quiet on a large validation set and an ε above the noise', () => {
    assert.deepEqual(lint(spec({ samples: 300, validationSamples: 1000, labelNoise: 0.05 })).findings.filter((f) => f.code === 'FC409'), []);
  });

  it('finds nothing out of reach in the bundled examples', () => {
    for (const name of fs.readdirSync(path.join(repoRoot, 'examples', 'runs')).filter((f) => f.endsWith('.fitrun.json'))) {
      const found = lint(example(name.replace('.fitrun.json', ''))).findings.filter((f) => f.code === 'FC409');
      assert.deepEqual(found.map((f) => f.message), [], name);
    }
  });
});
