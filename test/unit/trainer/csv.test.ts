/** CSV files as data: quoting, numeric columns, a named target, bad rows reported by line number. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { classLabels, csvToRaw, DataError, parseCsvRecords } from '../../../trainer/data/csv.js';
import { runspecFixture } from './paths.js';

const options = { target: 'price', header: true, delimiter: ',', onBadRow: 'error' as const, classification: false };
const houses = fs.readFileSync(runspecFixture('houses-bad.csv'), 'utf8');

describe('CSV parsing', () => {
  it('handles quotes, escaped quotes, delimiters and newlines inside quotes, CRLF and a byte-order mark', () => {
    const records = parseCsvRecords('\uFEFFa,b\r\n"x, ""y""",2\r\n"multi\nline",3\r\n');
    assert.deepEqual(records.map((r) => r.fields), [['a', 'b'], ['x, "y"', '2'], ['multi\nline', '3']]);
    assert.deepEqual(records.map((r) => r.line), [1, 2, 3]);
  });

  it('lists bad rows with their line numbers and what is wrong', () => {
    assert.throws(() => csvToRaw(houses, options), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.deepEqual(error.badRows.map((b) => b.line), [7, 8, 9]);
      assert.match(error.message, /3 bad rows.*line 7: age is empty, not a number; line 8: rooms is text, not a number; line 9: expected 4 fields, found 3/);
      assert.match(error.message, /onBadRow/);
      return true;
    });
  });

  it('skips bad rows when asked and keeps the rest, quoted numbers included', () => {
    const { raw, skipped } = csvToRaw(houses, { ...options, onBadRow: 'skip' });
    assert.equal(raw.x.length, 5);
    assert.deepEqual(raw.featureNames, ['size', 'rooms', 'age']);
    assert.deepEqual(raw.x[2], [65, 2, 20]);
    assert.deepEqual(skipped.map((b) => b.line), [7, 8, 9]);
  });

  it('suggests the column meant when the target is misspelt', () => {
    assert.throws(() => csvToRaw(houses, { ...options, target: 'prise' }), /target column 'prise' is not in the header \(did you mean 'price'\?\); the columns are size, rooms, age, price/);
  });

  it('accepts column indices, with or without a header', () => {
    const { raw } = csvToRaw('1,2,3\n4,5,6\n', { ...options, header: false, target: 0 });
    assert.deepEqual(raw.y, [1, 4]);
    assert.deepEqual(raw.x, [[2, 3], [5, 6]]);
  });

  it('numbers class labels: integers 0…K−1 as they are, anything else in sorted order', () => {
    assert.deepEqual(classLabels(['1', '0', '2']).labels, [1, 0, 2]);
    const named = classLabels(['versicolor', 'setosa', 'virginica', 'setosa']);
    assert.deepEqual(named.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(named.labels, [1, 0, 2, 0]);
  });
});
