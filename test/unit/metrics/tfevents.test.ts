/** TFRecord framing, masked CRC-32C and the TensorBoard event-file reader, on event files built in the test. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EventFileReader } from '../../../metrics/readers/event-file.js';
import { maskedCrc32c } from '../../../metrics/tfevents/crc32c.js';
import { frameRecord, scanRecords } from '../../../metrics/tfevents/tfrecord.js';
import {
  appendBytes, concat, doubleScalar, encodeEvent, fileVersion, halfScalar, histogramTensor, legacyScalar, tempDir, tf2Scalar, vectorTensor, writeRecords,
} from './event-file-builder.js';

/** Bitwise CRC-32C (reflected polynomial 0x82F63B78), written independently of the library under test. */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const mask = (crc: number) => Number(((BigInt(crc >>> 15) | ((BigInt(crc) << 17n) & 0xffffffffn)) + 0xa282ead8n) % 2n ** 32n);

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}
const randomBytes = (n: number, next: () => number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
const ascii = (s: string) => new TextEncoder().encode(s);

describe('masked CRC-32C', () => {
  test('the CRC-32C check value of "123456789" (0xE3069283) is masked as TensorFlow masks it', () => {
    assert.equal(referenceCrc32c(ascii('123456789')), 0xe3069283);
    assert.equal(maskedCrc32c(ascii('123456789')), mask(0xe3069283));
  });

  test('the RFC 3720 vectors (32 zero bytes, 32 0xFF bytes) come out masked', () => {
    assert.equal(maskedCrc32c(new Uint8Array(32)), mask(0x8a9136aa));
    assert.equal(maskedCrc32c(new Uint8Array(32).fill(0xff)), mask(0x62a8ab43));
  });

  test('the masked CRC of an empty record length (8 zero bytes) matches a bitwise reference', () => {
    assert.equal(maskedCrc32c(new Uint8Array(8)), mask(referenceCrc32c(new Uint8Array(8))));
  });

  test('random buffers of every length up to 70 bytes agree with a bitwise reference', () => {
    const next = rng(7);
    for (let n = 0; n <= 70; n++) {
      const bytes = randomBytes(n, next);
      assert.equal(maskedCrc32c(bytes), mask(referenceCrc32c(bytes)), `length ${n}`);
    }
  });
});

describe('TFRecord scanning', () => {
  const datas = [ascii('first'), ascii('second record'), ascii(''), ascii('fourth')];
  const framed = datas.map(frameRecord);
  const file = concat(framed);
  const texts = (records: Uint8Array[]) => records.map((r) => new TextDecoder().decode(r));
  const start = (i: number) => framed.slice(0, i).reduce((n, r) => n + r.length, 0);

  test('intact records come back in order, including an empty one, and the whole buffer is consumed', () => {
    const scan = scanRecords(file, false);
    assert.deepEqual(texts(scan.records), ['first', 'second record', '', 'fourth']);
    assert.equal(scan.consumed, file.length);
    assert.deepEqual(scan.skipped, []);
  });

  test('an incomplete last record is left unconsumed while the file may still grow', () => {
    for (const cut of [1, 11, 12, 15, framed[3]!.length - 1]) {
      const scan = scanRecords(file.subarray(0, start(3) + cut), false);
      assert.deepEqual(texts(scan.records), ['first', 'second record', ''], `cut ${cut}`);
      assert.equal(scan.consumed, start(3));
      assert.deepEqual(scan.skipped, []);
    }
  });

  test('an incomplete last record is reported as truncated on the final read', () => {
    for (const cut of [3, 14]) {
      const bytes = file.subarray(0, start(3) + cut);
      const scan = scanRecords(bytes, true);
      assert.equal(scan.records.length, 3);
      assert.equal(scan.consumed, bytes.length);
      assert.deepEqual(scan.skipped, [{ offset: start(3), bytes: cut, reason: 'truncated' }]);
    }
  });

  test('a flipped byte in a length skips that record as a bad length checksum and keeps the records after it', () => {
    const bytes = Buffer.from(file);
    bytes[start(1)]! ^= 0x01;
    const scan = scanRecords(bytes, true);
    assert.deepEqual(texts(scan.records), ['first', '', 'fourth']);
    assert.deepEqual(scan.skipped, [{ offset: start(1), bytes: framed[1]!.length, reason: 'bad-length-crc' }]);
  });

  test('a record with a flipped data byte is skipped and the records after it are kept', () => {
    const bytes = Buffer.from(file);
    bytes[start(1) + 12 + 3]! ^= 0x40;
    const scan = scanRecords(bytes, false);
    assert.deepEqual(texts(scan.records), ['first', '', 'fourth']);
    assert.deepEqual(scan.skipped, [{ offset: start(1), bytes: framed[1]!.length, reason: 'bad-data-crc' }]);
    assert.equal(scan.consumed, bytes.length);
  });

  test('garbage at the start, between records and at the end is skipped and every record is kept', () => {
    const junk = (n: number) => Buffer.alloc(n, 0xab);
    const bytes = concat([junk(5), framed[0]!, junk(30), framed[1]!, framed[2]!, framed[3]!, junk(20)]);
    const scan = scanRecords(bytes, true);
    assert.deepEqual(texts(scan.records), ['first', 'second record', '', 'fourth']);
    assert.deepEqual(scan.skipped, [
      { offset: 0, bytes: 5, reason: 'bad-length-crc' },
      { offset: 5 + framed[0]!.length, bytes: 30, reason: 'bad-length-crc' },
      { offset: bytes.length - 20, bytes: 20, reason: 'bad-length-crc' },
    ]);
    assert.equal(scan.consumed, bytes.length);
  });

  test('an empty buffer yields nothing, final or not', () => {
    for (const final of [false, true]) assert.deepEqual(scanRecords(new Uint8Array(0), final), { records: [], consumed: 0, skipped: [] });
  });

  test('random bytes never throw, and every skipped range lies inside the buffer', () => {
    const next = rng(42);
    for (let i = 0; i < 300; i++) {
      const bytes = randomBytes(Math.floor(next() * 200), next);
      for (const final of [false, true]) {
        const scan = scanRecords(bytes, final);
        assert.ok(scan.consumed <= bytes.length);
        if (final) assert.equal(scan.consumed, bytes.length);
        for (const s of scan.skipped) assert.ok(s.offset >= 0 && s.bytes > 0 && s.offset + s.bytes <= bytes.length);
      }
    }
  });
});

describe('EventFileReader', () => {
  let dir = '';
  let cleanup = () => {};
  let n = 0;
  before(() => ({ dir, cleanup } = tempDir()));
  after(() => cleanup());
  const fresh = () => path.join(dir, `events.out.tfevents.${++n}.host`);

  test('reads simple_value scalars with their step and wall time', () => {
    const file = fresh();
    writeRecords(file, [fileVersion(), legacyScalar('loss', 0, 0.5, 100.5), legacyScalar('loss', 1, 0.25, 101.5), legacyScalar('acc', 1, -3, 102)]);
    const reader = new EventFileReader(file);
    const update = reader.poll(true);
    assert.deepEqual(update.points, [
      { tag: 'loss', step: 0, value: 0.5, wallTime: 100.5 },
      { tag: 'loss', step: 1, value: 0.25, wallTime: 101.5 },
      { tag: 'acc', step: 1, value: -3, wallTime: 102 },
    ]);
    assert.deepEqual(update.issues, []);
    assert.equal(reader.records, 4);
  });

  // TensorFlow always writes simple_value (a oneof member); a 0 once got lost as "absent".
  test('a simple_value of exactly 0 on the wire is read as a point', () => {
    const file = fresh();
    writeRecords(file, [legacyScalar('lr', 0, 0), legacyScalar('lr', 1, 0.1)]);
    assert.deepEqual(new EventFileReader(file).poll(true).points.map((p) => [p.step, p.value]), [[0, 0], [1, Math.fround(0.1)]]);
  });

  test('reads TF2 float, double and half scalar tensors', () => {
    const file = fresh();
    writeRecords(file, [
      fileVersion(), tf2Scalar('f', 3, 0.1, true), doubleScalar('d', 4, 0.1), halfScalar('h1', 5, 0x3c00), halfScalar('h2', 6, 0xc000),
      halfScalar('h3', 7, 0x0001), halfScalar('h4', 8, 0x7c00),
    ]);
    const points = new EventFileReader(file).poll(true).points;
    assert.deepEqual(points.map((p) => [p.tag, p.step, p.value]), [
      ['f', 3, Math.fround(0.1)], ['d', 4, 0.1], ['h1', 5, 1], ['h2', 6, -2], ['h3', 7, 2 ** -24], ['h4', 8, Infinity],
    ]);
  });

  test('remembers the scalars plugin from a TF2 tag\'s first value, which alone carries metadata', () => {
    const file = fresh();
    writeRecords(file, [tf2Scalar('epoch_loss', 0, 2, true), tf2Scalar('epoch_loss', 1, 1.5, false), tf2Scalar('epoch_loss', 2, 1, false)]);
    assert.deepEqual(new EventFileReader(file).poll(true).points.map((p) => p.value), [2, 1.5, 1]);
  });

  test('tensors of other plugins and tensors with several elements are not read as scalars', () => {
    const file = fresh();
    writeRecords(file, [
      histogramTensor('weights', 0, true), histogramTensor('weights', 1, false), vectorTensor('vec', 1), tf2Scalar('loss', 1, 4, true),
    ]);
    const update = new EventFileReader(file).poll(true);
    assert.deepEqual(update.points.map((p) => p.tag), ['loss']);
    assert.deepEqual(update.issues, []);
  });

  test('follows a file written in several appends, waiting for a half-written record', () => {
    const file = fresh();
    const second = legacyScalar('loss', 2, 0.5);
    writeRecords(file, [fileVersion(), legacyScalar('loss', 1, 0.75)]);
    const reader = new EventFileReader(file);
    assert.deepEqual(reader.poll(false).points.map((p) => p.step), [1]);
    appendBytes(file, second.subarray(0, 7));
    assert.deepEqual(reader.poll(false), { points: [], sunk: 0, events: [], issues: [], restarted: false, missing: false, more: false, bytes: 7 });
    appendBytes(file, second.subarray(7, 20));
    assert.deepEqual(reader.poll(false).points, []);
    appendBytes(file, concat([second.subarray(20), legacyScalar('loss', 3, 0.25)]));
    const update = reader.poll(false);
    assert.deepEqual(update.points.map((p) => [p.step, p.value]), [[2, 0.5], [3, 0.25]]);
    assert.deepEqual(update.issues, []);
    assert.deepEqual(reader.poll(true).points, []);
  });

  test('a half-written last record is reported as incomplete on the final read, with its offset', () => {
    const file = fresh();
    const head = concat([fileVersion(), legacyScalar('loss', 1, 1)]);
    writeRecords(file, [head, legacyScalar('loss', 2, 2).subarray(0, 9)]);
    const reader = new EventFileReader(file);
    assert.equal(reader.poll(false).issues.length, 0);
    const update = reader.poll(true);
    assert.equal(update.issues.length, 1);
    assert.match(update.issues[0]!.message, new RegExp(`skipped 9 bytes at offset ${head.length}: an incomplete record`));
  });

  test('a file rewritten shorter is read again from the start and says it restarted', () => {
    const file = fresh();
    writeRecords(file, [fileVersion(), legacyScalar('loss', 1, 1), legacyScalar('loss', 2, 2), legacyScalar('loss', 3, 3)]);
    const reader = new EventFileReader(file);
    assert.equal(reader.poll(false).points.length, 3);
    writeRecords(file, [fileVersion(), legacyScalar('loss', 1, 9)]);
    const update = reader.poll(false);
    assert.equal(update.restarted, true);
    assert.deepEqual(update.points.map((p) => [p.step, p.value]), [[1, 9]]);
    assert.equal(reader.poll(false).restarted, false);
  });

  test('a file replaced by another (a new inode) is read again even when it is longer', () => {
    const file = fresh();
    writeRecords(file, [fileVersion(), legacyScalar('loss', 1, 1)]);
    const reader = new EventFileReader(file);
    reader.poll(false);
    const other = `${file}.new`;
    writeRecords(other, [fileVersion(), legacyScalar('acc', 1, 0.5), legacyScalar('acc', 2, 0.6)]);
    fs.renameSync(other, file);
    const update = reader.poll(false);
    assert.equal(update.restarted, true);
    assert.deepEqual(update.points.map((p) => p.tag), ['acc', 'acc']);
  });

  test('a deleted file is reported missing', () => {
    const file = fresh();
    writeRecords(file, [fileVersion()]);
    const reader = new EventFileReader(file);
    assert.equal(reader.poll(false).missing, false);
    fs.rmSync(file);
    const update = reader.poll(false);
    assert.equal(update.missing, true);
    assert.deepEqual(update.points, []);
  });

  test('an empty file yields nothing and no issue, even on the final read', () => {
    const file = fresh();
    fs.writeFileSync(file, '');
    const update = new EventFileReader(file).poll(true);
    assert.deepEqual(update, { points: [], sunk: 0, events: [], issues: [], restarted: false, missing: false, more: false, bytes: 0 });
  });

  test('an issue in a later append names its offset in the file, not in the appended chunk', () => {
    const file = fresh();
    const head = concat([fileVersion(), legacyScalar('loss', 1, 1)]);
    fs.writeFileSync(file, head);
    const reader = new EventFileReader(file);
    reader.poll(false);
    const bad = Buffer.from(legacyScalar('loss', 2, 2));
    bad[bad.length - 6]! ^= 0xff;
    appendBytes(file, concat([bad, legacyScalar('loss', 3, 3)]));
    const update = reader.poll(false);
    assert.deepEqual(update.points.map((p) => p.step), [3]);
    assert.equal(update.issues.length, 1);
    assert.match(update.issues[0]!.message, new RegExp(`skipped ${bad.length} bytes at offset ${head.length}: a record whose data checksum`));
  });

  test('records with valid checksums that hold no Event give one issue, never throw, and later records are kept', () => {
    const file = fresh();
    writeRecords(file, [fileVersion(), frameRecord(Uint8Array.of(0x0f)), frameRecord(Uint8Array.of(0xff, 0xff, 0xff)), legacyScalar('loss', 4, 4)]);
    const reader = new EventFileReader(file);
    const update = reader.poll(true);
    assert.equal(update.issues.length, 1);
    assert.match(update.issues[0]!.message, /not an Event message/);
    assert.deepEqual(update.points.map((p) => p.step), [4]);
    assert.equal(reader.undecodable, 2);
  });

  test('a file of random bytes around valid records never throws and keeps the valid records', () => {
    const next = rng(3);
    const file = fresh();
    const good = legacyScalar('loss', 5, 5);
    fs.writeFileSync(file, concat([randomBytes(333, next), good, randomBytes(50, next), encodeEvent({ step: 1 }), good]));
    const reader = new EventFileReader(file, 64);
    let steps: number[] = [];
    for (let i = 0; i < 50; i++) {
      const update = reader.poll(true);
      steps = steps.concat(update.points.map((p) => p.step));
      if (!update.more) break;
    }
    assert.deepEqual(steps, [5, 5]);
  });
});
