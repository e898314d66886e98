/** The server hears when watched Fitcheck JSONL runs grow: at once, then throttled, and never for other logs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noticeRunRecords } from '../../../extension/run-records-notice.js';
import type { WatchUpdateEvent } from '../../../extension/watching.js';

/** A minimal event source standing in for WatchController.onDidUpdate. */
function emitter() {
  const listeners = new Set<(u: WatchUpdateEvent) => void>();
  const event = (listener: (u: WatchUpdateEvent) => void) => {
    listeners.add(listener);
    return { dispose: () => listeners.delete(listener) };
  };
  return { event, fire: (u: WatchUpdateEvent) => { for (const l of listeners) l(u); }, count: () => listeners.size };
}
const update = (file: string) => ({ run: { target: { files: [{ file }] } } }) as unknown as WatchUpdateEvent;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('telling the server that watched runs gained records', () => {
  it('notifies once for a burst of Fitcheck JSONL records, and again for records after the interval', async () => {
    const source = emitter();
    let sent = 0;
    const notice = noticeRunRecords(source.event as never, () => { sent++; }, 50);
    const grow = () => source.fire(update('/w/.fitcheck/monitor/s1/train.fitcheck.jsonl'));
    for (let i = 0; i < 20; i++) grow();
    await sleep(10);
    assert.equal(sent, 1, 'a burst of records is told at once, and once');
    for (let i = 0; i < 20; i++) grow();
    await sleep(10);
    assert.equal(sent, 1, 'records within the interval wait');
    await sleep(80);
    assert.equal(sent, 2, 'records that came during the interval are told once, after it');
    await sleep(80);
    assert.equal(sent, 2, 'nothing more without new records');
    notice.dispose();
  });

  it('says nothing for runs read from TensorBoard event files', async () => {
    const source = emitter();
    let sent = 0;
    const notice = noticeRunRecords(source.event as never, () => { sent++; }, 10);
    source.fire(update('/w/logs/fit/run1/train/events.out.tfevents.1.v2'));
    await sleep(30);
    assert.equal(sent, 0);
    notice.dispose();
  });

  it('stops listening and drops a pending notice when disposed', async () => {
    const source = emitter();
    let sent = 0;
    const notice = noticeRunRecords(source.event as never, () => { sent++; }, 50);
    source.fire(update('/w/a.fitcheck.jsonl'));
    await sleep(5);
    source.fire(update('/w/a.fitcheck.jsonl'));
    notice.dispose();
    await sleep(80);
    assert.equal(sent, 1, 'the pending notice was dropped');
    assert.equal(source.count(), 0, 'the listener was removed');
  });
});
