/** Rules whose weight depends on the code around the finding: the severity follows the context. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { fixturePath, getLinter } from '../helpers.js';

async function severityOf(code: string, ...file: string[]): Promise<string | undefined> {
  const linter = await getLinter();
  return linter.lint(fs.readFileSync(fixturePath(...file), 'utf8')).findings.find((f) => f.code === code)?.severity;
}

test('an unclipped LSTM over token embeddings (a language model) is a warning', async () => {
  assert.equal(await severityOf('FC205', 'python', 'FC304', 'pos-sgd-lr-20-lstm-without-clipping.py'), 'warning');
});

test('an unclipped LSTM over a short window of sensor features is only a note', async () => {
  assert.equal(await severityOf('FC205', 'python', 'FC205', 'pos-sensor-window-lstm-reported-as-info.py'), 'info');
});
