/** Data-sized arrays are never spread into calls: a CSV of 200,000 rows loads (it overflowed the stack at about 130,000). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classLabels, csvToRaw, parseCsvRecords } from '../../../trainer/data/csv.js';
import { prepare } from '../../../trainer/data/dataset.js';

/** A CSV text of `rows` rows: two features and a class label 0–2. */
function bigCsv(rows: number): string {
  const lines = ['a,b,y'];
  for (let i = 0; i < rows; i++) lines.push(`${i % 97},${(i * 7) % 13},${i % 3}`);
  return `${lines.join('\n')}\n`;
}

describe('large CSV files', () => {
  const text = bigCsv(200_000);

  it('loads 200,000 rows for regression with polynomial features and splits them', () => {
    const { raw } = csvToRaw(text, { target: 'y', header: true, delimiter: ',', onBadRow: 'error', classification: false });
    assert.equal(raw.x.length, 200_000);
    const data = prepare(raw, { validationFraction: 0.2, seed: 1, normalize: true, polynomialDegree: 3 });
    assert.equal(data.train.n + data.val.n, 200_000);
    assert.equal(data.features, 6);
  });

  it('loads 200,000 rows for classification and counts the classes', () => {
    const { raw } = csvToRaw(text, { target: 'y', header: true, delimiter: ',', onBadRow: 'error', classification: true });
    assert.equal(raw.classes, 3);
    const data = prepare(raw, { validationFraction: 0.2, seed: 1, normalize: true, polynomialDegree: 1 });
    assert.equal(data.classCounts!.reduce((a, b) => a + b, 0), data.train.n);
    assert.equal(data.train.n + data.val.n, 200_000);
  });

  it('finds the largest class label of 300,000 labels without spreading them', () => {
    const labels = Array.from({ length: 300_000 }, (_, i) => String(i % 4));
    assert.deepEqual(classLabels(labels).classNames, ['0', '1', '2', '3']);
  });

  it('keeps the record rules for quoted fields across lines', () => {
    const records = parseCsvRecords('a,b\n"x\n""y""",2\nlast,');
    assert.deepEqual(records.map((r) => [r.line, r.fields]), [[1, ['a', 'b']], [2, ['x\n"y"', '2']], [4, ['last', '']]]);
  });
});
