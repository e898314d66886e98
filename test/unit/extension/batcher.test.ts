/** Batching to the webview: at most one message per interval, nothing lost, the end sent at once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher, type Scheduler } from '../../../extension/batcher.js';

/** A clock and timers that move only when told to. */
class FakeScheduler implements Scheduler {
  time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now(): number { return this.time; }
  setTimeout(fn: () => void, ms: number): unknown { const id = this.next++; this.timers.push({ at: this.time + ms, fn, id }); return id; }
  clearTimeout(handle: unknown): void { this.timers = this.timers.filter((t) => t.id !== handle); }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > until) break;
      this.timers.shift();
      this.time = due.at;
      due.fn();
    }
    this.time = until;
  }
}

describe('batcher', () => {
  it('sends the first item at once (next tick) and then at most every 100 ms', () => {
    const clock = new FakeScheduler();
    const sent: { at: number; items: number[] }[] = [];
    const batcher = new Batcher<number>((items) => sent.push({ at: clock.time, items }), 100, clock);
    batcher.push(1);
    clock.advance(0);
    assert.deepEqual(sent, [{ at: 0, items: [1] }]);
    for (let i = 2; i <= 50; i++) {
      batcher.push(i);
      clock.advance(5);
    }
    clock.advance(200);
    assert.ok(sent.length <= 1 + Math.ceil(250 / 100) + 1, `sent ${sent.length} batches`);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i]!.at - sent[i - 1]!.at >= 100);
    assert.deepEqual(sent.flatMap((s) => s.items), Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('limits a flood of 10 000 items to about 10 messages a second', () => {
    const clock = new FakeScheduler();
    let messages = 0;
    let items = 0;
    const batcher = new Batcher<number>((batch) => { messages++; items += batch.length; }, 100, clock);
    for (let i = 0; i < 10_000; i++) {
      batcher.push(i);
      clock.advance(0.1);
    }
    clock.advance(100);
    assert.equal(items, 10_000);
    assert.ok(messages <= 12, `${messages} messages`);
  });

  it('flushes at once on request and can touch without items', () => {
    const clock = new FakeScheduler();
    const sent: number[][] = [];
    const batcher = new Batcher<number>((items) => sent.push(items), 100, clock);
    batcher.push(1);
    batcher.flushNow();
    assert.deepEqual(sent, [[1]]);
    batcher.touch();
    clock.advance(100);
    assert.deepEqual(sent, [[1], []]);
  });

  it('drops pending items when disposed', () => {
    const clock = new FakeScheduler();
    const sent: number[][] = [];
    const batcher = new Batcher<number>((items) => sent.push(items), 100, clock);
    batcher.push(1);
    batcher.dispose();
    clock.advance(1000);
    assert.deepEqual(sent, []);
  });
});
