/** validateSpec: defaults from the schema, and errors a person can act on, at the right place. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_THRESHOLDS } from '../../../metrics/diagnosis/thresholds.js';
import { fitrunSchema } from '../../../trainer/spec/schema.js';
import { didYouMean } from '../../../trainer/spec/suggest.js';
import { rangeAt, validateSpec } from '../../../trainer/spec/validate.js';
import { repoRoot, runspecFixture } from './paths.js';

const read = (name: string) => fs.readFileSync(runspecFixture(name), 'utf8');
/** The 0-based position of `needle` on `line` of `text`. */
const at = (text: string, line: number, needle: string) => ({ line, column: text.split('\n')[line]!.indexOf(needle) });

describe('validateSpec', () => {
  it('fills in every default from the schema', () => {
    const { spec, errors } = validateSpec(read('minimal.fitrun.json'));
    assert.deepEqual(errors, []);
    assert.equal(spec!.training.epochs, 100);
    assert.equal(spec!.training.batchSize, 32);
    assert.equal(spec!.diagnosis.epsilon, 0.1);
    assert.equal(spec!.data.kind === 'two-moons' && spec!.data.samples, 400);
    assert.equal(spec!.optimizer.type === 'adam' && spec!.optimizer.learningRate, 0.001);
    const [hidden] = spec!.model.layers;
    assert.equal(hidden!.type === 'dense' && hidden!.kernelInitializer, 'glorot-uniform');
    assert.equal(spec!.data.seed, spec!.training.seed, 'the data seed follows the training seed');
  });

  it('accepts comments and trailing commas', () => {
    const { spec, errors } = validateSpec(read('with-comments.fitrun.json'));
    assert.deepEqual(errors, []);
    assert.equal(spec!.training.batchSize, 'full');
  });

  it('says which value is wrong, how, and where', () => {
    const text = read('invalid-values.fitrun.json');
    const { spec, errors } = validateSpec(text);
    assert.equal(spec, undefined);
    const found = errors.map((e) => ({ message: e.message, line: e.line, column: e.column }));
    assert.deepEqual(found, [
      { message: "unknown activation 'sigmod' (did you mean 'sigmoid'?)", ...at(text, 4, '"sigmod"') },
      { message: 'model.layers[2].rate must be between 0 and 1', ...at(text, 6, '1.5') },
      { message: "unknown property 'lerningRate' in optimizer (did you mean 'learningRate'?)", ...at(text, 11, '"lerningRate"') },
    ]);
    const rate = errors[1]!;
    assert.equal(rate.endColumn - rate.column, 3, 'the range covers the value');
    assert.equal(rate.path, 'model.layers[2].rate');
  });

  it('says a dropout rate of 1 must be less than 1', () => {
    const { errors } = validateSpec(read('invalid-values.fitrun.json').replace('1.5', '1'));
    assert.ok(errors.some((e) => e.message === 'model.layers[2].rate must be less than 1'));
  });

  it('names misspelt kinds and missing properties', () => {
    const { errors } = validateSpec('{"data":{"kind":"two-moon"},"model":{"layers":[{"type":"dens"},{"type":"dense"}]},"loss":{"type":"mse"},"optimizer":{}}');
    assert.deepEqual(errors.map((e) => e.message), [
      "unknown data kind 'two-moon' (did you mean 'two-moons'?)",
      "unknown layer type 'dens' (did you mean 'dense'?)",
      "model.layers[1] is missing the required property 'units'",
      "optimizer is missing the required property 'type'",
    ]);
  });

  it('explains union values in words', () => {
    const { errors } = validateSpec('{"data":{"kind":"two-moons"},"model":{"layers":[{"type":"dense","units":1}]},"loss":{"type":"binary-crossentropy","classWeights":"even"},"optimizer":{"type":"sgd"},"training":{"batchSize":0}}');
    assert.deepEqual(errors.map((e) => e.message), [
      'loss.classWeights must be an array of non-negative weights, one per class, or "balanced"',
      'training.batchSize must be a whole number from 1 to 1,000,000, or "full"',
    ]);
  });

  it('reports syntax errors at their position', () => {
    const text = read('syntax-error.fitrun.json');
    const { errors } = validateSpec(text);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, "syntax error: expected ','");
    assert.deepEqual([errors[0]!.line, errors[0]!.column], [2, 2]);
  });

  it('says an empty file is empty and a non-object is not a spec', () => {
    assert.match(validateSpec('').errors[0]!.message, /the file is empty/);
    assert.equal(validateSpec('[1]').errors[0]!.message, 'the run spec must be a JSON object ({ … })');
  });

  it('checks the output layer against the loss and the data', () => {
    const text = read('wrong-output-units.fitrun.json');
    const { errors } = validateSpec(text);
    assert.deepEqual(errors.map((e) => e.message), ['the output layer model.layers[1] has 2 units, but categorical cross-entropy needs one unit per class (3)']);
    assert.equal(errors[0]!.line, 2);
  });

  it('rejects a loss that does not suit the data set', () => {
    const { errors } = validateSpec('{"data":{"kind":"hours-vs-score"},"model":{"layers":[{"type":"dense","units":1}]},"loss":{"type":"binary-crossentropy"},"optimizer":{"type":"sgd"}}');
    assert.match(errors[0]!.message, /hours-vs-score is a regression data set: use the 'mse' or 'mae' loss/);
    const moons = validateSpec('{"data":{"kind":"two-moons"},"model":{"layers":[{"type":"dense","units":1}]},"loss":{"type":"mse"},"optimizer":{"type":"sgd"}}');
    assert.match(moons.errors[0]!.message, /two-moons is a classification data set/);
  });

  it('validates every example experiment', () => {
    const dir = path.join(repoRoot, 'examples', 'runs');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.fitrun.json'))) {
      assert.deepEqual(validateSpec(fs.readFileSync(path.join(dir, file), 'utf8')).errors, [], file);
    }
  });
});

describe('rangeAt', () => {
  it('finds the value at a JSON path, for findings about a spec', () => {
    const text = read('invalid-values.fitrun.json');
    assert.deepEqual(rangeAt(text, ['model', 'layers', 2, 'rate']), { ...at(text, 6, '1.5'), endLine: 6, endColumn: at(text, 6, '1.5').column + 3 });
    assert.equal(rangeAt(text, ['model', 'layers', 9]), undefined);
  });
});

describe('the schema', () => {
  it('documents every property', () => {
    const missing: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
      for (const [key, value] of Object.entries(props ?? {})) {
        const documented = value.description || value.markdownDescription || value.$ref || value.const !== undefined;
        if (!documented) missing.push(`${where}.${key}`);
      }
      for (const [key, value] of Object.entries(node)) walk(value, `${where}.${key}`);
    };
    walk(fitrunSchema, '#');
    assert.deepEqual(missing, []);
  });

  it('lists the same thresholds and defaults as metrics/diagnosis/thresholds.ts', () => {
    const definitions = fitrunSchema.definitions as Record<string, { properties: Record<string, { properties: Record<string, { default: number }> }> }>;
    const props = definitions.diagnosis!.properties.thresholds!.properties;
    assert.deepEqual(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.default])), { ...DEFAULT_THRESHOLDS });
  });
});

describe('didYouMean', () => {
  it('finds near misses and ignores case and separators', () => {
    assert.equal(didYouMean('sigmod', ['relu', 'sigmoid', 'tanh']), 'sigmoid');
    assert.equal(didYouMean('LeakyRelu', ['relu', 'leaky-relu']), 'leaky-relu');
    assert.equal(didYouMean('banana', ['relu', 'sigmoid']), undefined);
  });
});

describe('validateSpec on hostile text', () => {
  it('refuses a spec nested thousands deep with a positioned error instead of overflowing the stack', () => {
    const text = `{"data": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const { spec, errors } = validateSpec(text);
    assert.equal(spec, undefined);
    assert.match(errors[0]!.message, /nests more than 64 levels deep/);
  });

  it('reports an unterminated comment at once, even thousands of them', () => {
    const { errors } = validateSpec(`{ ${'/* '.repeat(20000)}`);
    assert.match(errors[0]!.message, /unterminated comment/);
    assert.equal(errors[0]!.line, 0);
  });

  it('still calls a file of comments only empty', () => {
    const { errors } = validateSpec('// nothing\n/* here */\n');
    assert.match(errors[0]!.message, /the file is empty/);
  });
});
