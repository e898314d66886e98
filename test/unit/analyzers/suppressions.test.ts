/** `# fitcheck: ignore[...]` silences one line; `ignore-file[...]` the whole file. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getLinter } from '../helpers.js';

const script = `import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.9), nn.Linear(8, 2), nn.Softmax(dim=1))
criterion = nn.CrossEntropyLoss()
`;

describe('suppressions', () => {
  it('reports both findings without directives', async () => {
    const codes = (await getLinter()).lint(script).findings.map((f) => f.code);
    assert.deepEqual(codes.sort(), ['FC101', 'FC401']);
  });

  it('silences only the named code on the directive line', async () => {
    const text = script.replace('nn.Softmax(dim=1))', 'nn.Softmax(dim=1))  # fitcheck: ignore[FC101]');
    assert.deepEqual((await getLinter()).lint(text).findings.map((f) => f.code), ['FC401']);
  });

  it('silences every code on the line with a bare ignore', async () => {
    const text = script.replace('nn.Softmax(dim=1))', 'nn.Softmax(dim=1))  # fitcheck: ignore');
    assert.deepEqual((await getLinter()).lint(text).findings, []);
  });

  it('silences a code in the whole file with ignore-file', async () => {
    const text = `# fitcheck: ignore-file[FC401, FC101]\n${script}`;
    assert.deepEqual((await getLinter()).lint(text).findings, []);
  });

  it('ignores directive-like text inside strings', async () => {
    const text = `${script}note = "fitcheck: ignore-file[FC101]"\n`;
    assert.equal((await getLinter()).lint(text).findings.length, 2);
  });

  it('applies select, ignore and severity overrides from configuration', async () => {
    const linter = await getLinter();
    assert.deepEqual(linter.lint(script, { select: ['FC4'] }).findings.map((f) => f.code), ['FC401']);
    assert.deepEqual(linter.lint(script, { ignore: ['FC401'] }).findings.map((f) => f.code), ['FC101']);
    const overridden = linter.lint(script, { severity: { FC101: 'hint', FC401: 'off' } }).findings;
    assert.deepEqual(overridden.map((f) => [f.code, f.severity]), [['FC101', 'hint']]);
  });

  it('uses the configured saturating depth for FC201', async () => {
    const text = 'import torch.nn as nn\nm = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 1))\n';
    const linter = await getLinter();
    assert.equal(linter.lint(text).findings.length, 0);
    assert.deepEqual(linter.lint(text, { options: { saturatingDepth: 2, deepNetDepth: 8 } }).findings.map((f) => f.code), ['FC201']);
  });
});

describe('directive codes', () => {
  it('accept code prefixes', async () => {
    const text = `# fitcheck: ignore-file[FC4]\n${script}`;
    assert.deepEqual((await getLinter()).lint(text).findings.map((f) => f.code), ['FC101']);
  });

  it('report a code that names no rule, where it is written', async () => {
    const text = script.replace('nn.Softmax(dim=1))', 'nn.Softmax(dim=1))  # fitcheck: ignore[FC101, FC999]');
    const unknown = (await getLinter()).lint(text).findings.filter((f) => f.code === 'FC000');
    assert.equal(unknown.length, 1);
    assert.match(unknown[0]!.message, /"FC999" .* not a rule code/);
    const line = text.split('\n')[unknown[0]!.span.start.line]!;
    assert.equal(line.slice(unknown[0]!.span.start.character, unknown[0]!.span.end.character), 'FC999');
  });
});
