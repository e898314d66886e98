/**
 * FC202 and the normalisation layers between two linear layers: batch norm is affine at inference, so
 * the chain stays one linear map; layer, group, instance and RMS norm divide each sample by its own
 * spread, which is not linear. (Inline, not a rule fixture: a new file under test/fixtures/python shifts
 * the adversarial fuzz corpus onto a known open-document disagreement, see the closing note of 2026-12-06.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getLinter } from '../helpers.js';

const model = (norm: string) => `import torch.nn as nn

m = nn.Sequential(nn.Linear(64, 64), nn.Dropout(0.1), ${norm}, nn.Linear(64, 256), nn.GELU(), nn.Linear(256, 10))
`;

describe('FC202 between two linear layers', () => {
  it('reports a batch norm in between, which is affine at inference', async () => {
    const linter = await getLinter();
    assert.deepEqual(linter.lint(model('nn.BatchNorm1d(64)')).findings.filter((f) => f.code === 'FC202').map((f) => f.span.start.line), [2]);
  });

  it('does not report a layer, group, instance or RMS norm in between, which divides each sample by its own spread', async () => {
    const linter = await getLinter();
    for (const norm of ['nn.LayerNorm(64)', 'nn.GroupNorm(8, 64)', 'nn.InstanceNorm1d(64)', 'nn.RMSNorm(64)']) {
      assert.deepEqual(linter.lint(model(norm)).findings.filter((f) => f.code === 'FC202'), [], norm);
    }
  });
});
