/** Messages are one short sentence (the why is in the hover and the rule page), and related rows stay few. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixturePath, getLinter } from '../helpers.js';

/** Rules whose messages have been cut to one sentence; the rest still carry the explanation (issue 18, item 13). */
const SHORT = ['FC201', 'FC301'];

describe('finding messages', () => {
  for (const code of SHORT) {
    it(`${code} says what is wrong in one sentence of at most 120 characters`, async () => {
      const linter = await getLinter();
      const dir = fixturePath('python', code);
      const messages = fs.readdirSync(dir).filter((f) => f.startsWith('pos-'))
        .flatMap((f) => linter.lint(fs.readFileSync(path.join(dir, f), 'utf8')).findings.filter((x) => x.code === code).map((x) => x.message));
      assert.ok(messages.length >= 2, `${code} fires on its positive fixtures`);
      for (const message of messages) {
        assert.ok(message.length <= 120, `${message.length} characters: ${message}`);
        assert.equal(message.split(/[.!?](\s|$)/).filter((s) => s && s.trim()).length, 1, `one sentence: ${message}`);
      }
    });
  }

  it('FC201 points at no more than two other layers however deep the stack is', async () => {
    const text = `import torch.nn as nn\nmodel = nn.Sequential(${Array.from({ length: 9 }, () => 'nn.Linear(8, 8), nn.Sigmoid()').join(', ')}, nn.Linear(8, 1))\n`;
    const finding = (await getLinter()).lint(text).findings.find((f) => f.code === 'FC201');
    assert.ok(finding, 'nine stacked sigmoids are found');
    assert.equal(finding.related.length, 2);
    assert.deepEqual(finding.related.map((r) => r.message), ['saturating sigmoid 2 of 9', 'saturating sigmoid 9 of 9']);
  });
});
