/** The language server collects its garbage once idle, a few times while the old space stays slack, never while busy. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { exposedCollector, IdleCollector, oldSpaceSlack } from '../../../analyzers/server/idle-collector.js';

describe('the idle collector', () => {
  it('collects once, a delay after the last of several busy spells', async () => {
    let collections = 0;
    const collector = new IdleCollector(() => collections++, 30, () => 0);
    collector.busy();
    await sleep(10);
    collector.busy();
    await sleep(10);
    collector.busy();
    assert.equal(collections, 0);
    await sleep(120);
    assert.equal(collections, 1);
    collector.dispose();
  });

  it('collects again while the old space stays slack, a bounded number of times', async () => {
    let collections = 0;
    const collector = new IdleCollector(() => collections++, 5, () => 0.9);
    collector.busy();
    await sleep(800);
    assert.ok(collections > 1 && collections <= 6, `${collections} collections`);
    collector.dispose();
  });

  it('stops collecting once the old space is compact', async () => {
    const slack = [0.9, 0.9, 0.1];
    let collections = 0;
    const collector = new IdleCollector(() => collections++, 5, () => slack[collections - 1] ?? 0);
    collector.busy();
    await sleep(600);
    assert.equal(collections, 3);
    collector.dispose();
  });

  it('collects nothing once disposed, nor without a collector', async () => {
    let collections = 0;
    const collector = new IdleCollector(() => collections++, 5, () => 0);
    collector.busy();
    collector.dispose();
    new IdleCollector(undefined, 5).busy();
    await sleep(50);
    assert.equal(collections, 0);
  });

  it("reaches V8's full collection without a command-line flag, and it frees unreachable objects", () => {
    const collect = exposedCollector();
    assert.ok(collect, 'no collector');
    // Made and dropped inside a function: nothing refers to the objects once it returns.
    const made = ((count: number) => Array.from({ length: count }, (_, i) => ({ i, text: `item ${i}` })).length)(300_000);
    const held = process.memoryUsage().heapUsed;
    assert.equal(made, 300_000);
    collect();
    assert.ok(process.memoryUsage().heapUsed < held - 10 * 1024 * 1024, 'the collection freed less than 10 MiB');
    const slack = oldSpaceSlack();
    assert.ok(slack >= 0 && slack < 1, `slack ${slack}`);
  });
});
