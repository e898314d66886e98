/** The seeded random stream behind data, initial weights, shuffles and dropout. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../../trainer/data/random.js';

describe('Random', () => {
  it('repeats exactly for a seed and differs between seeds', () => {
    const a = Array.from({ length: 5 }, ((r) => () => r.next())(new Random(42)));
    const b = Array.from({ length: 5 }, ((r) => () => r.next())(new Random(42)));
    const c = Array.from({ length: 5 }, ((r) => () => r.next())(new Random(43)));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('draws uniform values in [0, 1) and normal values with the asked mean and spread', () => {
    const r = new Random(7);
    const uniform = Array.from({ length: 20000 }, () => r.next());
    assert.ok(uniform.every((u) => u >= 0 && u < 1));
    assert.ok(Math.abs(uniform.reduce((s, u) => s + u, 0) / uniform.length - 0.5) < 0.01);
    const normal = Array.from({ length: 20000 }, () => r.normal(2, 3));
    const mean = normal.reduce((s, v) => s + v, 0) / normal.length;
    const sd = Math.sqrt(normal.reduce((s, v) => s + (v - mean) ** 2, 0) / normal.length);
    assert.ok(Math.abs(mean - 2) < 0.1 && Math.abs(sd - 3) < 0.1, `mean ${mean}, sd ${sd}`);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Random(1).shuffle([...items]);
    assert.notDeepEqual(shuffled, items);
    assert.deepEqual([...shuffled].sort((x, y) => x - y), items);
  });
});
