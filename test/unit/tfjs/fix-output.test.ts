/** What the tfjs quick fixes write, exactly. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../../analyzers/core/apply-edits.js';
import { getLinter } from '../helpers.js';

async function fixOf(text: string, code: string, language: 'typescript' | 'javascript' = 'typescript'): Promise<string> {
  const finding = (await getLinter()).lintScript(text, {}, language).findings.find((f) => f.code === code);
  assert.ok(finding, `${code} is reported`);
  assert.ok(finding.fixes[0], `${code} offers a fix`);
  return applyEdits(text, finding.fixes[0].edits);
}

describe('tfjs quick-fix output', () => {
  it('wraps a loop body in tf.tidy, re-indented', async () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'export function run(model: tf.LayersModel, rows: number[][]): void {',
      '  for (const row of rows) {',
      '    const input = tf.tensor2d([row]);',
      '    (model.predict(input) as tf.Tensor).print();',
      '  }',
      '}',
      '',
    ].join('\n');
    assert.equal(await fixOf(text, 'FC601'), [
      "import * as tf from '@tensorflow/tfjs';",
      'export function run(model: tf.LayersModel, rows: number[][]): void {',
      '  for (const row of rows) {',
      '    tf.tidy(() => {',
      '      const input = tf.tensor2d([row]);',
      '      (model.predict(input) as tf.Tensor).print();',
      '    });',
      '  }',
      '}',
      '',
    ].join('\n'));
  });

  it('uses a named tidy import, and wraps a one-line body in place', async () => {
    const text = "import { tidy, tensor1d } from '@tensorflow/tfjs';\nexport function f(rows: number[][]) { for (const r of rows) { tensor1d(r).print(); } }\n";
    assert.equal(await fixOf(text, 'FC601'), "import { tidy, tensor1d } from '@tensorflow/tfjs';\nexport function f(rows: number[][]) { for (const r of rows) { tidy(() => { tensor1d(r).print(); }); } }\n");
  });

  it('offers no tf.tidy fix when the body awaits, breaks or stores a tensor outside', async () => {
    const linter = await getLinter();
    for (const body of ['await tf.nextFrame();', 'if (row.length === 0) break;', 'kept = tf.tensor1d(row);', 'var n = 1;']) {
      const text = `import * as tf from '@tensorflow/tfjs';\nlet kept;\nexport async function f(rows) {\n  for (const row of rows) {\n    tf.tensor1d(row).print();\n    ${body}\n  }\n}\n`;
      const leak = linter.lintScript(text, {}, 'javascript').findings.find((f) => f.code === 'FC601' && f.span.start.line === 4);
      assert.ok(leak, `FC601 with ${body}`);
      assert.deepEqual(leak.fixes, [], `no fix with ${body}`);
    }
  });

  it('removes the softmax activation option, the softmax layer element and the add() statement', async () => {
    const fused = "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [4], activation: 'softmax' })] });\nm.compile({ optimizer: 'adam', loss: tf.losses.softmaxCrossEntropy });\n";
    assert.match(await fixOf(fused, 'FC101'), /tf\.layers\.dense\(\{ units: 10, inputShape: \[4\] \}\)/);
    const added = "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({ units: 10, inputShape: [4] }));\nm.add(tf.layers.softmax());\nm.compile({ optimizer: 'adam', loss: tf.losses.softmaxCrossEntropy });\n";
    assert.equal(await fixOf(added, 'FC101'), "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({ units: 10, inputShape: [4] }));\nm.compile({ optimizer: 'adam', loss: tf.losses.softmaxCrossEntropy });\n");
  });

  it('renames hidden sigmoid strings to relu (FC201), but not a shared constant', async () => {
    const text = "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({ units: 8, inputShape: [4], activation: 'sigmoid' }));\nm.add(tf.layers.dense({ units: 8, activation: 'tanh' }));\nm.add(tf.layers.dense({ units: 8, activation: 'sigmoid' }));\nm.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));\n";
    const fixed = await fixOf(text, 'FC201');
    assert.equal((fixed.match(/'relu'/g) ?? []).length, 3);
    assert.match(fixed, /units: 1, activation: 'sigmoid'/, 'the output sigmoid stays');
    const shared = "import * as tf from '@tensorflow/tfjs';\nconst act = 'sigmoid';\nconst m = tf.sequential();\nm.add(tf.layers.dense({ units: 8, inputShape: [4], activation: act }));\nm.add(tf.layers.dense({ units: 8, activation: act }));\nm.add(tf.layers.dense({ units: 8, activation: act }));\nm.add(tf.layers.dense({ units: 1 }));\n";
    const finding = (await getLinter()).lintScript(shared, {}, 'typescript').findings.find((f) => f.code === 'FC201');
    assert.ok(finding);
    assert.deepEqual(finding.fixes, []);
  });

  it('awaits data() instead of dataSync() (FC602) and awaits fit() (FC603)', async () => {
    const loop = "import * as tf from '@tensorflow/tfjs';\nconst opt = tf.train.adam(0.01);\nexport async function f(loss: () => tf.Scalar) {\n  for (let i = 0; i < 10; i++) {\n    const cost = opt.minimize(loss, true)!;\n    console.log(cost.dataSync()[0]);\n    cost.dispose();\n  }\n}\n";
    assert.match(await fixOf(loop, 'FC602'), /console\.log\(\(await cost\.data\(\)\)\[0\]\);/);
    const fit = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nexport async function f(x: tf.Tensor, y: tf.Tensor) {\n  model.fit(x, y, { validationSplit: 0.2 });\n}\n";
    assert.match(await fixOf(fit, 'FC603'), / {2}await model\.fit\(x, y/);
  });
});
