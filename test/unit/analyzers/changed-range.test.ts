import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedRange } from '../../../analyzers/python/changed-range.js';

/** The range found one character at a time: what the chunked search must equal. */
function naive(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < max - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}

test('the changed range equals a character-by-character search for edits anywhere in texts of every size around the chunk', () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pieces = ['a', 'b', ' ', '\n', 'model', '(', ')'];
  for (const size of [0, 1, 2047, 2048, 2049, 4096, 4097, 10_000]) {
    const text = Array.from({ length: size }, () => pieces[Math.floor(next() * pieces.length)]).join('').slice(0, size);
    for (let k = 0; k < 40; k++) {
      const at = Math.floor(next() * (text.length + 1));
      const removed = Math.floor(next() * 3000 * next());
      const inserted = ['', 'x', 'model', '\n'.repeat(3), 'ab'.repeat(1500)][k % 5]!;
      const edited = text.slice(0, at) + inserted + text.slice(at + removed);
      assert.deepEqual(changedRange(text, edited), naive(text, edited), `size ${size}, edit at ${at}`);
      assert.deepEqual(changedRange(edited, text), naive(edited, text), `size ${size}, undo at ${at}`);
    }
  }
});

test('a replacement of the whole text by one sharing a long prefix and suffix keeps both', () => {
  const prefix = 'p'.repeat(5000);
  const suffix = 's'.repeat(7000);
  assert.deepEqual(changedRange(`${prefix}old${suffix}`, `${prefix}newer${suffix}`), { start: 5000, oldEnd: 5003, newEnd: 5005 });
});
