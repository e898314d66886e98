/** Run-spec size limits: the schema and the trainer agree, oversized specs are refused with the field named, and the memory estimate refuses runs too big to start. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDataset } from '../../../trainer/data/dataset.js';
import { checkMemory, estimateMemory, LIMITS, LimitError, specLimitProblem } from '../../../trainer/limits.js';
import { schemaAt } from '../../../trainer/spec/schema.js';
import type { RunSpec } from '../../../trainer/spec/types.js';
import { validateSpec } from '../../../trainer/spec/validate.js';

const base = {
  data: { kind: 'spiral', samples: 300, classes: 3 },
  model: { layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }] },
  loss: { type: 'categorical-crossentropy' },
  optimizer: { type: 'adam' },
  training: { epochs: 5 },
};

/** A valid spec with defaults, then changed by `change` without validation (as a hand-made start message would be). */
function specWith(change: (spec: RunSpec) => void): RunSpec {
  const { spec, errors } = validateSpec(JSON.stringify(base));
  assert.deepEqual(errors, []);
  change(spec!);
  return spec!;
}

/** The same change made to the JSON text, validated. */
function validated(change: (json: typeof base & Record<string, unknown>) => void): string[] {
  const json = structuredClone(base) as typeof base & Record<string, unknown>;
  change(json);
  return validateSpec(JSON.stringify(json)).errors.map((e) => e.message);
}

describe('spec limits', () => {
  it('has the same bounds in the schema as in the trainer', () => {
    assert.equal(schemaAt('#/definitions/spiral/properties/samples')!.maximum, LIMITS.samples);
    assert.equal(schemaAt('#/definitions/twoMoons/properties/samples')!.maximum, LIMITS.samples);
    assert.equal(schemaAt('#/definitions/hoursVsScore/properties/samples')!.maximum, LIMITS.samples);
    assert.equal(schemaAt('#/definitions/spiral/properties/classes')!.maximum, LIMITS.classes);
    assert.equal(schemaAt('#/definitions/dense/properties/units')!.maximum, LIMITS.units);
    assert.equal(schemaAt('#/properties/model/properties/layers')!.maxItems, LIMITS.layers);
    assert.equal(schemaAt('#/definitions/csv/properties/polynomialDegree')!.maximum, LIMITS.polynomialDegree);
    assert.equal(schemaAt('#/definitions/hoursVsScore/properties/polynomialDegree')!.maximum, LIMITS.polynomialDegree);
    assert.equal(schemaAt('#/definitions/training/properties/epochs')!.maximum, LIMITS.epochs);
    assert.equal((schemaAt('#/definitions/training/properties/batchSize')!.anyOf as { maximum?: number }[])[0]!.maximum, LIMITS.batchSize);
    assert.equal(schemaAt('#/definitions/csv/properties/features')!.maxItems, LIMITS.columns);
  });

  it('refuses oversized specs in the editor with the field and the bound', () => {
    assert.match(validated((j) => { j.model.layers[0]!.units = 1e9; }).join('\n'), /model\.layers\[0\]\.units must be between 1 and 16384/);
    assert.match(validated((j) => { j.data.samples = 1e8; }).join('\n'), /data\.samples must be between 4 and 1000000/);
    assert.match(validated((j) => { j.data.classes = 1e6; }).join('\n'), /data\.classes must be between 2 and 1000/);
    assert.match(validated((j) => { j.training.epochs = 1e12; }).join('\n'), /training\.epochs must be between 1 and 1000000/);
    assert.match(validated((j) => { j.model.layers = Array.from({ length: 10_000 }, () => ({ type: 'dense', units: 3, activation: 'relu' })); }).join('\n'), /model\.layers must have at most 512 items/);
    assert.match(validated((j) => { j.data = { kind: 'hours-vs-score', polynomialDegree: 1e6 } as never; j.loss = { type: 'mse' }; }).join('\n'), /data\.polynomialDegree must be between 1 and 100/);
  });

  it('refuses the same specs in the trainer when they skipped validation', () => {
    const cases: [(s: RunSpec) => void, RegExp][] = [
      [(s) => { (s.model.layers[0] as { units: number }).units = 1e9; }, /model\.layers\[0\]\.units is 1,000,000,000; it must be between 1 and 16,384/],
      [(s) => { (s.data as { samples: number }).samples = 1e8; }, /data\.samples is 100,000,000/],
      [(s) => { (s.data as { classes: number }).classes = 1e6; }, /data\.classes is 1,000,000/],
      [(s) => { s.training.epochs = 1e12; }, /training\.epochs is 1,000,000,000,000/],
      [(s) => { s.training.epochs = Number.NaN; }, /training\.epochs is NaN/],
      [(s) => { s.model.layers = Array.from({ length: 10_000 }, () => s.model.layers[0]!); }, /model\.layers has 10,000 layers; at most 512/],
      [(s) => { s.data = { kind: 'hours-vs-score', samples: 50, noise: 1, polynomialDegree: 1e6, validationFraction: 0.2, normalize: true }; }, /data\.polynomialDegree is 1,000,000/],
    ];
    for (const [change, message] of cases) {
      const spec = specWith(change);
      assert.match(specLimitProblem(spec) ?? '', message);
      assert.throws(() => loadDataset(spec, '.'), (error: unknown) => error instanceof LimitError && message.test(error.message) && /^the run spec is too large: /.test(error.message));
    }
  });

  it('accepts every example-sized spec', () => {
    assert.equal(specLimitProblem(specWith(() => {})), undefined);
    assert.equal(loadDataset(specWith(() => {}), '.').train.n + loadDataset(specWith(() => {}), '.').val.n, 300);
  });
});

describe('memory estimate', () => {
  it('grows linearly with the examples and with the square of the width', () => {
    const spec = specWith(() => {});
    const a = estimateMemory(spec, { examples: 100_000, features: 2 }).data;
    const b = estimateMemory(spec, { examples: 200_000, features: 2 }).data;
    assert.equal(b, 2 * a);
    const wide = specWith((s) => { (s.model.layers[0] as { units: number }).units = 32; });
    const p16 = estimateMemory(spec, { examples: 10, features: 2 }).parameterCount;
    const p32 = estimateMemory(wide, { examples: 10, features: 2 }).parameterCount;
    assert.equal(p16, 2 * 16 + 16 + 16 * 3 + 3);
    assert.equal(p32, 2 * 32 + 32 + 32 * 3 + 3);
  });

  it('refuses a model within the per-field bounds that would not fit in memory, with the estimate', () => {
    const spec = specWith((s) => {
      s.model.layers = [
        ...Array.from({ length: 4 }, () => ({ ...s.model.layers[0]!, units: 16_384 })),
        s.model.layers[1]!,
      ] as RunSpec['model']['layers'];
    });
    assert.equal(specLimitProblem(spec), undefined);
    assert.throws(() => loadDataset(spec, '.'), /^LimitError: the run would need about \d+(\.\d)? GB of memory \(parameters \d+(\.\d)? GB for 805,\d{3},\d{3} weights, .*\), more than the limit of 2\.0 GB: use fewer units/);
  });

  it('refuses a full batch of a million examples through wide layers', () => {
    const spec = specWith((s) => {
      (s.data as { samples: number }).samples = 1_000_000;
      (s.model.layers[0] as { units: number }).units = 4096;
      s.training.batchSize = 'full';
    });
    assert.throws(() => checkMemory(spec, { examples: 1_000_000, features: 2 }), /one batch's activations \d+ GB/);
    assert.doesNotThrow(() => checkMemory(specWith(() => {}), { examples: 1_000_000, features: 2 }));
  });
});
