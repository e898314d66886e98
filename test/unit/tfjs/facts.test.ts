/** What the tfjs front-end understands, checked on the facts it produces. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainingFacts } from '../../../analyzers/facts.js';
import { TfjsAnalyzer, type ScriptKind } from '../../../analyzers/tfjs/analyzer.js';
import { mentionsTfjs } from '../../../analyzers/tfjs/frontend.js';

let analyzer: TfjsAnalyzer | undefined;
function facts(text: string, kind: ScriptKind = 'ts'): TrainingFacts {
  analyzer ??= TfjsAnalyzer.create();
  return analyzer.analyze(text, kind).facts;
}

const layers = (f: TrainingFacts, i = 0) => f.models[i]!.layers.map((l) => `${l.kind}${l.activation ? `:${l.activation}` : ''}`);

describe('tfjs facts', () => {
  it('finds tfjs through every import form, and nothing without one', () => {
    for (const header of [
      "import * as tf from '@tensorflow/tfjs';",
      "import tf from '@tensorflow/tfjs-node';",
      "const tf = require('@tensorflow/tfjs-node-gpu');",
      "import * as tf from '@tensorflow/tfjs-layers';",
      "import tf = require('@tensorflow/tfjs');",
      "const tf = await import('@tensorflow/tfjs');",
    ]) {
      const f = facts(`${header}\nconst m = tf.sequential();\nm.add(tf.layers.dense({ units: 1, inputShape: [2] }));\n`);
      assert.deepEqual(f.frameworks, ['tfjs'], header);
      assert.deepEqual(layers(f), ['linear'], header);
    }
    assert.deepEqual(facts("import * as tf from '@tensorflow/tfjs-vis';\nconst m = tf.sequential();\n").frameworks, []);
    assert.equal(mentionsTfjs("import x from 'y';"), false);
  });

  it('resolves named imports, aliases, destructuring and constants', () => {
    const f = facts([
      "import { sequential, layers as L, train } from '@tensorflow/tfjs';",
      "const { dense, dropout } = L;",
      "const ACT = 'tanh';",
      'const CONFIG = { rate: 0.7, lr: 0.2 };',
      'const model = sequential({ layers: [dense({ units: 4, inputShape: [3], activation: ACT }), dropout({ rate: CONFIG.rate }), L.dense({ units: 1 })] });',
      'export const opt = train.sgd(CONFIG.lr * 10);',
    ].join('\n'));
    assert.deepEqual(layers(f), ['linear', 'activation:tanh', 'dropout', 'linear']);
    assert.equal(f.models[0]!.layers[2]!.rate, 0.7);
    assert.equal(f.optimizers[0]!.lr, 2);
    assert.equal(f.optimizers[0]!.family, 'sgd');
  });

  it('builds models returned by functions and follows model.add on them', () => {
    const f = facts([
      "import * as tf from '@tensorflow/tfjs';",
      'function build() {',
      '  const net = tf.sequential();',
      "  net.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', useBias: false }));",
      '  net.add(tf.layers.batchNormalization());',
      '  net.add(tf.layers.flatten());',
      "  net.add(tf.layers.dense({ units: 2, activation: 'softmax' }));",
      '  return net;',
      '}',
      'const model = build();',
      "model.compile({ optimizer: tf.train.rmsprop(0.001), loss: 'categoricalCrossentropy' });",
      'export async function go(x: tf.Tensor, y: tf.Tensor) { await model.fit(x, y, { epochs: 3, batchSize: 8, validationData: [x, y] }); }',
    ].join('\n'));
    assert.deepEqual(layers(f), ['conv', 'activation:relu', 'norm', 'reshape', 'linear', 'activation:softmax']);
    assert.equal(f.models[0]!.layers[0]!.bias, false);
    assert.equal(f.losses[0]!.family, 'cross-entropy');
    assert.equal(f.losses[0]!.expects, 'probabilities');
    assert.deepEqual(f.losses[0]!.modelIds, [f.models[0]!.id]);
    assert.equal(f.compiles[0]!.modelId, f.models[0]!.id);
    assert.equal(f.compiles[0]!.optimizerId, f.optimizers[0]!.id);
    assert.deepEqual({ ...f.fits[0], span: undefined, epochs: f.fits[0]!.epochs?.value, batchSize: f.fits[0]!.batchSize?.value },
      { span: undefined, modelId: f.models[0]!.id, validation: true, callbacks: [], epochs: 3, batchSize: 8 });
  });

  it('follows the functional API through apply(), including merges', () => {
    const f = facts([
      "import * as tf from '@tensorflow/tfjs';",
      'const input = tf.input({ shape: [16] });',
      "const a = tf.layers.dense({ units: 16, activation: 'relu' }).apply(input) as tf.SymbolicTensor;",
      'const b = tf.layers.dense({ units: 16 }).apply(a) as tf.SymbolicTensor;',
      'const sum = tf.layers.add().apply([input, b]) as tf.SymbolicTensor;',
      "const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(sum);",
      'const model = tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });',
    ].join('\n'));
    assert.deepEqual(layers(f), ['linear', 'activation:relu', 'linear', 'merge', 'linear', 'activation:sigmoid']);
    const model = f.models[0]!;
    assert.deepEqual(model.layers[3]!.inputs, [2], 'the merge is fed by b (the input is not a layer)');
    assert.equal(model.output, 5);
    assert.equal(model.complete, true);
  });

  it('reads losses: names, functions, metrics, custom functions and model outputs in loops', () => {
    const f = facts([
      "import * as tf from '@tensorflow/tfjs';",
      'const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] });',
      'const opt = tf.train.adam(0.01);',
      'export function step(x: tf.Tensor, y: tf.Tensor) {',
      '  for (let i = 0; i < 5; i++) {',
      '    opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor));',
      '    const p = tf.softmax(model.predict(x) as tf.Tensor);',
      '    tf.metrics.categoricalCrossentropy(y, p).dispose();',
      '  }',
      '}',
    ].join('\n'));
    const [logits, probs] = f.losses;
    assert.equal(logits!.api, 'tf.losses.softmaxCrossEntropy');
    assert.equal(logits!.expects, 'logits');
    assert.deepEqual(logits!.modelIds, [f.models[0]!.id]);
    assert.equal(probs!.unlinkedInput, true, 'a loss on softmax(model(x)) is not linked to the model');
    const loop = f.trainingLoops[0]!;
    assert.deepEqual(loop.events.map((e) => e.kind), ['backward', 'step', 'loss', 'forward', 'forward', 'loss']);
    assert.equal(loop.events[0]!.receiver, 'opt');
    assert.equal(loop.epochs?.value, 5);
    assert.equal(loop.outermost, true);
  });

  it('records training loops built on variableGrads + applyGradients and trainOnBatch', () => {
    const f = facts([
      "import * as tf from '@tensorflow/tfjs';",
      'const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });',
      'const opt = tf.train.sgd(0.1);',
      'export async function go(batches: { x: tf.Tensor; y: tf.Tensor }[]) {',
      '  for (let epoch = 0; epoch < 100; epoch++) {',
      '    for (const { x, y } of batches) {',
      '      const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, model.predict(x) as tf.Tensor));',
      '      opt.applyGradients(grads);',
      '      tf.dispose([value, grads]);',
      '      await model.trainOnBatch(x, y);',
      '    }',
      '  }',
      '}',
    ].join('\n'));
    assert.equal(f.trainingLoops.length, 2);
    const [outer, inner] = f.trainingLoops;
    assert.equal(outer!.outermost, true);
    assert.equal(outer!.epochs?.value, 100);
    assert.equal(inner!.outermost, false);
    assert.deepEqual(inner!.events.map((e) => e.kind), ['backward', 'loss', 'forward', 'step', 'backward', 'step']);
    assert.deepEqual(f.tensorLeaks, [], 'variableGrads results disposed with tf.dispose');
  });

  it('reads fit options: validation, callbacks and early stopping', () => {
    const f = facts([
      "import * as tf from '@tensorflow/tfjs';",
      'const model = tf.sequential();',
      'const stop = tf.callbacks.earlyStopping({ patience: 3 });',
      'export async function go(x: tf.Tensor, y: tf.Tensor, ds: tf.data.Dataset<tf.TensorContainer>, config: tf.ModelFitArgs) {',
      '  await model.fit(x, y, { epochs: 80, validationSplit: 0.1, callbacks: [stop, { onEpochEnd: async () => {} }] });',
      '  await model.fitDataset(ds, { epochs: 2, callbacks: tf.callbacks.earlyStopping() });',
      '  await model.fit(x, y, config);',
      '  const scores = model.evaluate(x, y);',
      '  tf.dispose(scores);',
      '}',
    ].join('\n'));
    assert.deepEqual(f.fits.map((fit) => [fit.epochs?.value, fit.validation, fit.callbacks]), [
      [80, true, ['EarlyStopping', '{ onEpochEnd: async () => {} }']],
      [2, false, ['EarlyStopping']],
      [undefined, true, []],
    ]);
    assert.equal(f.evaluateCalls.length, 1);
    assert.equal(f.evaluationSeen, true);
  });

  it('reads initializers, regularizers and parameter counts', () => {
    const f = facts([
      "import * as tf from '@tensorflow/tfjs';",
      'const m = tf.sequential();',
      "m.add(tf.layers.dense({ units: 1000, inputDim: 1000, kernelInitializer: tf.initializers.zeros() }));",
      "m.add(tf.layers.dense({ units: 10, kernelRegularizer: 'l1l2' }));",
    ].join('\n'));
    const [first, second] = f.models[0]!.layers;
    assert.equal(first!.params, 1000 * 1000 + 1000);
    assert.equal(first!.constantInit?.kind, 'zeros');
    assert.equal(second!.params, 1000 * 10 + 10);
    assert.equal(f.regularization.kernelRegularizer, true);
  });
});
