/** Bad input never throws: broken, truncated, empty, binary and huge files. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { fixturePath, getLinter } from '../helpers.js';

const sample = fs.readFileSync(fixturePath('python', 'FC301', 'pos-loop-without-zero-grad.py'), 'utf8');

describe('robustness', () => {
  it('lints every prefix of a real script without throwing', async () => {
    const linter = await getLinter();
    for (let end = 0; end <= sample.length; end += 7) {
      const result = linter.lint(sample.slice(0, end));
      assert.ok(Array.isArray(result.findings));
    }
  });

  it('still finds problems in a file with a syntax error elsewhere', async () => {
    const broken = `${sample}\ndef broken(:\n    return ]\n`;
    const { findings } = (await getLinter()).lint(broken);
    assert.ok(findings.some((f) => f.code === 'FC301'), 'FC301 survives the syntax error');
  });

  it('returns nothing for an empty file', async () => {
    assert.deepEqual((await getLinter()).lint('').findings, []);
  });

  it('skips a binary file with a reason', async () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0xfe, 0x00]).toString('latin1');
    const result = (await getLinter()).lint(binary);
    assert.deepEqual(result.findings, []);
    assert.match(result.skipped ?? '', /binary/);
  });

  it('skips a 10 MB file with a reason naming the limit', async () => {
    const huge = `import torch\n${'x = 1\n'.repeat(10_000_000 / 6)}`;
    const result = (await getLinter()).lint(huge);
    assert.deepEqual(result.findings, []);
    assert.match(result.skipped ?? '', /over the 2\.0 MB limit/);
  });

  it('honours a configured size limit in both directions', async () => {
    const big = `${sample}\n${'y = [1, 2, 3]\n'.repeat(150_000 / 14)}`;
    const linter = await getLinter();
    assert.match(linter.lint(big, { maxFileSize: 100_000 }).skipped ?? '', /over the 100 kB limit/);
    const result = linter.lint(big, { maxFileSize: 200_000 });
    assert.equal(result.skipped, undefined);
    assert.ok(result.findings.some((f) => f.code === 'FC301'));
  });

  it('analyses a model class that builds instances of itself (a recursive tree of blocks) instead of skipping it as too deep', async () => {
    const tree = `import torch.nn as nn


class Tree(nn.Module):
    def __init__(self, levels, channels):
        super().__init__()
        self.root = nn.Sequential(nn.Linear(channels, channels), nn.Softmax(dim=1), nn.Softmax(dim=1))
        if levels > 1:
            self.left = Tree(levels - 1, channels)
            self.right = Tree(levels - 1, channels)

    def forward(self, x):
        if hasattr(self, "left"):
            x = self.right(self.left(x))
        return self.root(x)


model = Tree(4, 16)
`;
    const result = (await getLinter()).lint(tree);
    assert.equal(result.skipped, undefined);
    assert.ok(result.findings.some((f) => f.code === 'FC203'), JSON.stringify(result.findings.map((f) => f.code)));
  });

  it('survives deep nesting and odd characters', async () => {
    const deep = `import torch\nx = ${'('.repeat(2000)}1${')'.repeat(2000)}\ns = "é😀\\x00"\n\u2028\n`;
    const result = (await getLinter()).lint(deep);
    assert.ok(Array.isArray(result.findings));
  });
});
