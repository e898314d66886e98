/** The "Fitcheck Training" output channel's lines: one per epoch, insight and end, in the format the grammar highlights. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { formatLogLine, formatNumber, RunLogFormatter } from '../../../extension/training-log-format.js';
import { repoRoot } from '../helpers.js';
import { end, epoch, insight, start } from './events-fixture.js';

describe('training log format', () => {
  it('formats numbers with four significant digits, exponents for tiny or huge ones, and spells out non-finite ones', () => {
    assert.equal(formatNumber(0.28104), '0.2810');
    assert.equal(formatNumber(12.3456), '12.35');
    assert.equal(formatNumber(0), '0');
    assert.equal(formatNumber(0.000302), '3.02e-4');
    assert.equal(formatNumber(123456), '1.23e+5');
    assert.equal(formatNumber(Number.NaN), 'NaN');
    assert.equal(formatNumber(Number.POSITIVE_INFINITY), 'Infinity');
    assert.equal(formatNumber(Number.NEGATIVE_INFINITY), '-Infinity');
  });

  it('writes one line per start, epoch, insight and end, and none for batches', () => {
    const log = new RunLogFormatter('20260125-152233-demo-1f0c');
    const lines = [
      start({ data: { train: 84, validation: 36, features: 1 } }),
      { type: 'batch', epoch: 1, batch: 1, step: 1, loss: 0.5, wallTime: 0.001 } as const,
      epoch(1, 0.5, 0.6),
      epoch(2, 0.05, 0.3),
      insight(2),
      end({ epochs: 2, wallTime: 0.05, diagnosis: { state: 'decided', headline: 'High variance', evidence: 'training error 0.05 ≤ ε = 0.1 < validation error 0.3', regime: 'high-variance', epoch: 2, since: 2, metric: 'normalized-mse', epsilon: 0.1, trainError: 0.05, valError: 0.3, gap: 0.25, summary: 'High variance since epoch 2: training error 0.05 ≤ ε = 0.1 < validation error 0.3', remedies: [] } }),
    ].map((e) => log.line(e)).filter((l) => l !== undefined);
    assert.deepEqual(lines, [
      'demo | start | regression, normalized-mse, ε = 0.1, 5 epochs, backend wasm, 84 training / 36 validation examples',
      'demo | epoch 1/5 | train loss 0.5000 error 0.5000 | val loss 0.6000 error 0.6000 | high bias',
      'demo | epoch 2/5 | train loss 0.05000 error 0.05000 | val loss 0.3000 error 0.3000 | high variance',
      'demo | WARNING plateau at epoch 2 | plateau at 2',
      'demo | completed after 2 epochs in 0.05 s | high variance: High variance since epoch 2: training error 0.05 ≤ ε = 0.1 < validation error 0.3',
    ]);
  });

  it('says why a run failed or stopped, on one line', () => {
    const context = { name: 'lr' };
    assert.equal(formatLogLine(end({ status: 'failed', epochs: 1, wallTime: 75, error: 'non-finite loss\nat batch 3' }), context), 'lr | FAILED after 1 epoch in 1 min 15 s (non-finite loss at batch 3)');
    assert.equal(formatLogLine(end({ status: 'stopped', epochs: 4, wallTime: 12.34, reason: 'stop requested' }), context), 'lr | stopped after 4 epochs in 12.3 s (stop requested)');
    assert.equal(formatLogLine(epoch(3, 0.5), context), 'lr | epoch 3 | train loss 0.5000 error 0.5000 | high bias');
  });

  it('is the format the grammar test exercises', () => {
    // The grammar test's log lines must stay in the format this module writes.
    const test = fs.readFileSync(path.join(repoRoot, 'test/grammar/training-log.test.fitcheck-training-log'), 'utf8');
    const logLines = test.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.ok(logLines.length >= 10);
    const shape = /^[^|\s][^|]* \| (start \| .+|epoch \d+(\/\d+)? \| train loss \S+ error \S+( \| val loss \S+ error \S+)?( \| (high bias and variance|high bias|high variance|good fit))?|(INFO|WARNING|ERROR) [a-z-]+ at epoch \d+ \| .+|(completed|stopped|FAILED) after \d+ epochs? in .+)$/;
    for (const line of logLines) assert.match(line, shape);
  });
});
