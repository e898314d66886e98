/** One watcher per file: which watch owns a path, and which runs a path means. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { coveringPath, isWithin, pathsInside, runsUnder } from '../../../metrics/watch/watch-paths.js';

const p = (...parts: string[]) => path.join(path.sep, 'w', ...parts);

describe('watch paths', () => {
  it('treats a path as within itself and its folders, but not within a sibling with a common prefix', () => {
    assert.ok(isWithin(p('runs', 'exp1'), p('runs')));
    assert.ok(isWithin(p('runs'), p('runs')));
    assert.ok(!isWithin(p('runs2', 'x'), p('runs')));
  });

  it('finds the watch that already covers a folder or file inside it', () => {
    const watched = [p('runs'), p('logs', 'fit')];
    assert.equal(coveringPath(watched, p('runs', 'exp1', 'a.fitcheck.jsonl')), p('runs'));
    assert.equal(coveringPath(watched, p('logs')), undefined);
  });

  it('lets a folder above watched paths take them over', () => {
    assert.deepEqual(pathsInside([p('runs', 'exp1'), p('runs', 'exp2'), p('other')], p('runs')), [p('runs', 'exp1'), p('runs', 'exp2')]);
    assert.deepEqual(pathsInside([p('runs')], p('runs')), []);
  });

  it('gives the runs at or under a path, or all of a watch when the path is the watched one', () => {
    const runs = [
      { watchPath: p('runs'), root: p('runs', 'exp1') },
      { watchPath: p('runs'), root: p('runs', 'exp2', 'a.fitcheck.jsonl') },
    ];
    assert.equal(runsUnder(runs, [p('runs')], p('runs')).length, 2);
    assert.deepEqual(runsUnder(runs, [p('runs')], p('runs', 'exp2')), [runs[1]]);
    assert.deepEqual(runsUnder(runs, [p('runs')], p('runs', 'exp2', 'a.fitcheck.jsonl')), [runs[1]]);
    assert.deepEqual(runsUnder(runs, [p('elsewhere')], p('runs')), []);
  });
});
