/** The framework catalogs' lookups by names read from the code (Python and TensorFlow.js). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionalSpec, isObjectiveName, kerasActivation, kerasLossSpec, layerSpec, optimizerSpec, TENSOR_METHODS, torchLossSpec } from '../../../analyzers/python/catalog.js';
import * as tfjs from '../../../analyzers/tfjs/catalog.js';
import { ownEntry } from '../../../analyzers/core/own-entry.js';

describe('the framework catalog', () => {
  it('knows losses, optimizers and data loaders by their callee names, in any case for Keras loss names', () => {
    for (const name of ['CrossEntropyLoss', 'MSELoss', 'Adam', 'SGD', 'DataLoader', 'binary_crossentropy', 'BinaryCrossentropy', 'mse']) {
      assert.equal(isObjectiveName(name), true, name);
    }
    for (const name of ['Linear', 'relu', 'loss', 'optimizer']) assert.equal(isObjectiveName(name), false, name);
  });

  it('finds nothing for names that are members of every JavaScript object (constructor, toString, __proto__)', () => {
    for (const member of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      assert.equal(isObjectiveName(member), false, member);
      assert.equal(layerSpec(`torch.nn.${member}`), undefined, member);
      assert.equal(layerSpec(`keras.layers.${member}`), undefined, member);
      assert.equal(functionalSpec(member), undefined, member);
      assert.equal(torchLossSpec(member), undefined, member);
      assert.equal(kerasLossSpec(`keras.losses.${member}`), undefined, member);
    }
    assert.equal(optimizerSpec('torch.optim.constructor'), undefined);
    assert.deepEqual(optimizerSpec('torch.optim.AdamW'), { family: 'adamw' });
  });

  it('reads a Keras activation or a tensor method named like an object member as unknown', () => {
    assert.equal(kerasActivation('constructor'), 'other');
    assert.equal(kerasActivation('keras.activations.toString'), 'other');
    assert.equal(kerasActivation('relu'), 'relu');
    assert.equal(ownEntry(TENSOR_METHODS, 'constructor'), undefined);
    assert.notEqual(ownEntry(TENSOR_METHODS, 'softmax'), undefined);
  });

  it('finds nothing in the TensorFlow.js tables for names that are members of every JavaScript object', () => {
    for (const member of ['constructor', 'toString', 'valueOf', '__proto__']) {
      assert.equal(tfjs.layerSpec(`layers.${member}`), undefined, member);
      assert.equal(tfjs.activationOf(member), 'other', member);
      assert.equal(tfjs.lossByName(member), undefined, member);
      assert.equal(tfjs.lossFunction(`losses.${member}`), undefined, member);
      assert.equal(tfjs.optimizerFamily(`train.${member}`), undefined, member);
      assert.equal(tfjs.optimizerByName(member), undefined, member);
    }
    assert.equal(tfjs.activationOf('hardSigmoid'), 'hard_sigmoid');
    assert.notEqual(tfjs.optimizerByName('adam'), undefined);
  });
});
