/** The NDJSON codec keeps non-finite numbers and reads back what a killed writer left. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEvent, encodeEvent, parseEvents } from '../../../metrics/diagnosis/codec.js';
import type { EpochEvent, RunEvent } from '../../../metrics/diagnosis/events.js';

const epoch = (n: number, loss: number): EpochEvent => ({ type: 'epoch', epoch: n, train: { loss, error: 0.5 }, wallTime: n });

describe('metric event codec', () => {
  it('writes one line per event ending in a newline', () => {
    const line = encodeEvent(epoch(1, 0.25));
    assert.ok(line.endsWith('\n'));
    assert.equal(line.trimEnd().includes('\n'), false);
  });

  it('keeps NaN and Infinity, which JSON would turn into null', () => {
    const text = encodeEvent(epoch(3, Number.NaN)) + encodeEvent(epoch(4, Number.POSITIVE_INFINITY));
    assert.match(text, /"loss":"NaN"/);
    const [a, b] = parseEvents(text).events as EpochEvent[];
    assert.ok(Number.isNaN(a!.train.loss));
    assert.equal(b!.train.loss, Number.POSITIVE_INFINITY);
  });

  it('accepts every event the trainer writes, lists of numbers and non-finite values included', () => {
    const line = '{"type":"batch","epoch":1,"batch":2,"step":2,"loss":"NaN","lr":0.02,"gradNorms":[0.39,"Infinity"],"wallTime":0.05}';
    const batch = decodeEvent(line);
    assert.equal(batch?.type, 'batch');
    assert.throws(() => decodeEvent('{"type":"batch","epoch":1,"batch":2,"step":2,"loss":1,"gradNorms":[0.39,"x"],"wallTime":0.05}'), /"gradNorms" is not a list of numbers/);
  });

  it('reads a stored run with a malformed epoch line into its other events, reporting the line (the panel opens)', () => {
    const parsed = parseEvents(encodeEvent(epoch(1, 0.5)) + '{"type":"epoch"}\n' + encodeEvent(epoch(2, 0.4)) + '{"type":"epoch","epoch":3}');
    assert.deepEqual(parsed.events.map((e) => (e as EpochEvent).epoch), [1, 2]);
    assert.deepEqual(parsed.errors.map((e) => e.line), [2, 4]);
    assert.match(parsed.errors[0]!.message, /an "epoch" event with no "epoch"/);
    assert.equal(parsed.truncated, false, 'a whole line of the wrong shape is not a cut-off write');
  });

  it('skips a last line cut off mid-write and says so, without calling it an error', () => {
    const text = encodeEvent(epoch(1, 0.5)) + encodeEvent(epoch(2, 0.4)) + '{"type":"epoch","epo';
    const parsed = parseEvents(text);
    assert.equal(parsed.events.length, 2);
    assert.equal(parsed.truncated, true);
    assert.deepEqual(parsed.errors, []);
  });

  it('reports broken or unknown lines with their line numbers', () => {
    const text = `${encodeEvent(epoch(1, 0.5))}not json\n{"type":"mystery"}\n${encodeEvent(epoch(2, 0.4))}`;
    const parsed = parseEvents(text);
    assert.equal(parsed.events.length, 2);
    assert.deepEqual(parsed.errors.map((e) => e.line), [2, 3]);
  });

  it('checks a scalars line, the kind a long log is made of, field by field', () => {
    assert.equal(decodeEvent('{"type":"scalars","step":3,"wallTime":0.5,"values":{"loss":0.2}}')?.type, 'scalars');
    assert.equal(decodeEvent('{"type":"scalars","step":3,"values":{}}')?.type, 'scalars', 'a wall time is optional');
    assert.throws(() => decodeEvent('{"type":"scalars","values":{}}'), /a "scalars" event with no "step"/);
    assert.throws(() => decodeEvent('{"type":"scalars","step":"3","values":{}}'), /"step" is not a number/);
    assert.throws(() => decodeEvent('{"type":"scalars","step":3,"wallTime":"now","values":{}}'), /"wallTime" is not a number/);
    assert.throws(() => decodeEvent('{"type":"scalars","step":3,"values":[1]}'), /"values" that is not an object/);
  });

  it('decodes a single line to an event', () => {
    assert.equal(decodeEvent('{"type":"end","status":"completed","epochs":1,"wallTime":1,"diagnosis":null}')?.type, 'end');
    assert.equal(decodeEvent('[1,2]'), undefined);
  });

  it('accepts an end event whose diagnosis has no verdict (a null regime, NaN numbers) and refuses a made-up state', () => {
    const failed = { state: 'failed', regime: null, headline: 'Training failed', evidence: 'the loss became NaN', epoch: 0, since: 0, metric: 'error', epsilon: 0.1, trainError: Number.NaN, valError: null, gap: null, summary: 'Training failed: the loss became NaN', remedies: [] };
    const line = encodeEvent({ type: 'end', status: 'failed', epochs: 0, wallTime: 1, diagnosis: failed } as RunEvent);
    assert.equal(decodeEvent(line)?.type, 'end');
    assert.throws(() => decodeEvent(line.replace('"failed","regime"', '"maybe","regime"')), /diagnosis\.state/);
  });
});
