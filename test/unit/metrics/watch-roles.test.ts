/** Tag conventions: which logged tag is the training loss, the validation accuracy, the learning rate. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignRoles, checkMapping, classifyTag, globMatch, layerTag } from '../../../metrics/watch/tag-roles.js';

describe('tag roles', () => {
  const cases: [string, string | undefined][] = [
    ['loss', 'trainLoss'],
    ['val_loss', 'valLoss'],
    ['accuracy', 'trainAccuracy'],
    ['val_accuracy', 'valAccuracy'],
    ['Loss/train', 'trainLoss'],
    ['Loss/test', 'valLoss'],
    ['train/loss', 'trainLoss'],
    ['validation/epoch_loss', 'valLoss'],
    ['train/epoch_accuracy', 'trainAccuracy'],
    ['eval/acc', 'valAccuracy'],
    ['training loss', 'trainLoss'],
    ['val_error', 'valError'],
    ['optimizer/cost', 'trainLoss'],
    ['lr-Adam', 'learningRate'],
    ['train/learning_rate', 'learningRate'],
    ['epoch_learning_rate', 'learningRate'],
    ['rollout/ep_rew_mean', undefined],
    ['rollout/exploration_rate', undefined],
    ['grad_norm/fc1', undefined],
    ['loss_std', undefined],
    ['train_vs_val_loss', undefined],
  ];
  for (const [tag, role] of cases) {
    it(`reads "${tag}" as ${role ?? 'no role'}`, () => {
      assert.equal(classifyTag(tag)?.role, role);
    });
  }

  it('prefers epoch-level tags to per-batch ones, whatever their order', () => {
    const roles = assignRoles(['train/batch_loss', 'train/epoch_loss', 'validation/evaluation_loss_vs_iterations', 'validation/epoch_loss']);
    assert.equal(roles.trainLoss, 'train/epoch_loss');
    assert.equal(roles.valLoss, 'validation/epoch_loss');
  });

  it('prefers the plainest name, and a total loss over its parts', () => {
    assert.equal(assignRoles(['loss_critic', 'loss']).trainLoss, 'loss');
    assert.equal(assignRoles(['learner/policy_loss', 'learner/vf_loss', 'learner/total_loss']).trainLoss, 'learner/total_loss');
  });

  it('lets a custom mapping name a tag the conventions miss, and ignore one they would take', () => {
    const mapping = { 'holdout/nll': 'valLoss', 'aux*': 'ignore' } as const;
    const roles = assignRoles(['holdout/nll', 'aux_loss', 'main_objective'], mapping);
    assert.equal(roles.valLoss, 'holdout/nll');
    assert.equal(roles.trainLoss, undefined);
  });

  it('finds per-layer gradient and weight norms and the layer name with its dots', () => {
    assert.deepEqual(layerTag('grad_norm/encoder.layers.0'), { kind: 'grad', layer: 'encoder.layers.0' });
    assert.deepEqual(layerTag('weight_norm/fc1'), { kind: 'weight', layer: 'fc1' });
    assert.equal(layerTag('train/loss'), undefined);
  });

  it('reports each bad entry of a mapping setting and keeps the good ones', () => {
    const { mapping, problems } = checkMapping({ a: 'valLoss', b: 'validationLoss', c: 3 });
    assert.deepEqual(mapping, { a: 'valLoss' });
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /"b": "validationLoss" is not a role/);
    assert.deepEqual(checkMapping(['x']).problems, ['the tag mapping must be an object of tag → role']);
  });

  it('takes a validation tag over a test tag, and a test tag only when there is no validation one', () => {
    const both = assignRoles(['val/loss', 'val/acc', 'test/loss', 'test/acc', 'train/loss']);
    assert.equal(both.valLoss, 'val/loss');
    assert.equal(both.valAccuracy, 'val/acc');
    assert.equal(assignRoles(['Loss/train', 'Loss/test']).valLoss, 'Loss/test');
  });

  it("reads fastai's bare accuracy and error_rate as validation metrics, but Keras' bare accuracy as training", () => {
    const fastai = assignRoles(['train_loss', 'valid_loss', 'accuracy', 'error_rate']);
    assert.deepEqual(fastai, { trainLoss: 'train_loss', valLoss: 'valid_loss', valAccuracy: 'accuracy', valError: 'error_rate' });
    const keras = assignRoles(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    assert.equal(keras.trainAccuracy, 'accuracy');
    assert.equal(keras.valAccuracy, 'val_accuracy');
  });
});

describe('mapping globs', () => {
  it('match * as any run of characters, none included, and everything else literally', () => {
    const yes: [string, string][] = [['*', ''], ['*', 'abc'], ['a*', 'a'], ['*loss', 'val/loss'], ['a*b*c', 'aXbYc'], ['a*b*c', 'abc'], ['**x', 'x'], ['a.b', 'a.b'], ['(x)*', '(x)y'], ['a*a*b', 'aaab']];
    const no: [string, string][] = [['a*', 'ba'], ['*loss', 'loss/val'], ['a*b*c', 'acb'], ['a.b', 'aXb'], ['', 'a'], ['a*a*b', 'aaa'], ['[ab]', 'a']];
    for (const [pattern, text] of yes) assert.equal(globMatch(pattern, text), true, `${pattern} ~ ${text}`);
    for (const [pattern, text] of no) assert.equal(globMatch(pattern, text), false, `${pattern} !~ ${text}`);
  });

  it('decides a pattern that makes regular expressions backtrack (a*a*a*a*a*b on a long tag) at once', { timeout: 10_000 }, () => {
    // As a regular expression (^a.*a.*a.*a.*a.*b$) this takes on the order of n^5 steps: it would not finish.
    const tag = 'a'.repeat(20_000);
    assert.equal(globMatch('a*a*a*a*a*b', tag), false);
    assert.equal(classifyTag(tag, { 'a*a*a*a*a*b': 'trainLoss' }), undefined);
    assert.equal(classifyTag(`${tag}b`, { 'a*a*a*a*a*b': 'trainLoss' })?.role, 'trainLoss');
  });
});
