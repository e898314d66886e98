/** The framework catalog's lookups by names read from the code. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionalSpec, isObjectiveName, kerasLossSpec, layerSpec, optimizerSpec, torchLossSpec } from '../../../analyzers/python/catalog.js';

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
});
