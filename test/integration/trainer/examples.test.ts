/** Every example experiment (examples/runs) trains to the diagnosis its `expect` names. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runInProcess } from '../../../trainer/in-process.js';
import { validateSpec } from '../../../trainer/spec/validate.js';
import { examplesDir } from '../../unit/trainer/paths.js';

const files = fs.readdirSync(examplesDir).filter((f) => f.endsWith('.fitrun.json')).sort();

describe('example experiments', () => {
  it('exist for every lesson the seed teaches', () => {
    for (const name of ['hours-straight-line', 'hours-polynomial-overfit', 'hours-polynomial-l2', 'hours-polynomial-dropout', 'hours-polynomial-early-stopping',
      'deep-sigmoid', 'deep-relu', 'deep-sigmoid-batchnorm', 'optimizer-gd', 'optimizer-sgd', 'optimizer-adagrad', 'optimizer-rmsprop', 'optimizer-adam',
      'imbalanced', 'imbalanced-class-weights']) {
      assert.ok(files.includes(`${name}.fitrun.json`), name);
    }
  });

  for (const file of files) {
    it(`${file} produces its expected diagnosis`, async () => {
      const { spec } = validateSpec(fs.readFileSync(path.join(examplesDir, file), 'utf8'));
      assert.ok(spec?.expect?.regime, 'the example states its expected regime');
      const { end } = await runInProcess(spec, { backend: 'wasm', baseDir: examplesDir, runId: file, includeSpec: false });
      assert.equal(end.status, 'completed');
      assert.equal(end.diagnosis?.regime, spec.expect.regime, end.diagnosis?.summary);
      for (const kind of spec.expect.insights ?? []) assert.ok(end.insights?.includes(kind), `raises ${kind}`);
      for (const kind of spec.expect.absentInsights ?? []) assert.ok(!end.insights?.includes(kind), `does not raise ${kind}`);
    });
  }
});
