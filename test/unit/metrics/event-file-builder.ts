/**
 * Builds TensorBoard event files for tests with the same protobuf types the reader decodes
 * (`EventType`) and the same TFRecord framing (`frameRecord`), the way TF1, TF2 and PyTorch write them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { EventType } from '../../../metrics/tfevents/proto.js';
import { frameRecord } from '../../../metrics/tfevents/tfrecord.js';

/** One event as the plain object protobufjs' `fromObject` takes. */
export type EventObject = Record<string, unknown>;

/** The bytes of one `Event` message (unframed). */
export function encodeEvent(event: EventObject): Uint8Array {
  return EventType.encode(EventType.fromObject(event)).finish();
}

/** One framed record holding `event`. */
export function eventRecord(event: EventObject): Uint8Array {
  return frameRecord(encodeEvent(event));
}

/** The first record every writer puts in an event file. */
export function fileVersion(wallTime = 1_700_000_000): Uint8Array {
  return eventRecord({ wallTime, fileVersion: 'brain.Event:2' });
}

/** float32 bits no test value uses, written first and then replaced by the real value's bits. */
const PLACEHOLDER = 1234.5625;

/**
 * A TF1 / PyTorch `simple_value` scalar. `simple_value` sits in a oneof in TensorFlow's summary.proto,
 * so TensorFlow writes it even when it is 0; protobufjs' encoder here (no oneof declared) would leave a
 * 0 off the wire, so the value's bits are patched in after encoding, as TensorFlow lays them out.
 */
export function legacyScalar(tag: string, step: number, value: number, wallTime = 1_700_000_000 + step): Uint8Array {
  const data = encodeEvent({ wallTime, step, summary: { value: [{ tag, simpleValue: PLACEHOLDER }] } });
  const marker = Buffer.from([0x15, ...float32Bytes(PLACEHOLDER)]);
  const at = Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf(marker);
  if (at < 0) throw new Error('simple_value not found in the encoded event');
  data.set(float32Bytes(value), at + 1);
  return frameRecord(data);
}

const scalarsPlugin = { pluginData: { pluginName: 'scalars' } };

/** Four little-endian bytes of a float32. */
export function float32Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setFloat32(0, value, true);
  return out;
}

/** A TF2 scalar: a 0-d float tensor in `tensor_content`; the plugin metadata only when `first`, as TF2 writes it. */
export function tf2Scalar(tag: string, step: number, value: number, first: boolean, wallTime = 1_700_000_000 + step): Uint8Array {
  return eventRecord({
    wallTime,
    step,
    summary: { value: [{ tag, ...(first ? { metadata: scalarsPlugin } : {}), tensor: { dtype: 1, tensorShape: {}, tensorContent: float32Bytes(value) } }] },
  });
}

/** A TF2 scalar stored as a 0-d double tensor (`double_val`). */
export function doubleScalar(tag: string, step: number, value: number, first = true): Uint8Array {
  return eventRecord({
    wallTime: 1_700_000_000 + step,
    step,
    summary: { value: [{ tag, ...(first ? { metadata: scalarsPlugin } : {}), tensor: { dtype: 2, tensorShape: {}, doubleVal: [value] } }] },
  });
}

/** A TF2 scalar stored as a 0-d half tensor (`half_val` holding the 16 IEEE bits). */
export function halfScalar(tag: string, step: number, bits: number, first = true): Uint8Array {
  return eventRecord({
    wallTime: 1_700_000_000 + step,
    step,
    summary: { value: [{ tag, ...(first ? { metadata: scalarsPlugin } : {}), tensor: { dtype: 19, tensorShape: {}, halfVal: [bits] } }] },
  });
}

/** A float tensor of shape [3] under the scalars plugin: not a scalar. */
export function vectorTensor(tag: string, step: number): Uint8Array {
  return eventRecord({
    wallTime: 1_700_000_000 + step,
    step,
    summary: { value: [{ tag, metadata: scalarsPlugin, tensor: { dtype: 1, tensorShape: { dim: [{ size: 3 }] }, floatVal: [1, 2, 3] } }] },
  });
}

/** A one-element tensor from the histograms plugin: must not be read as a scalar, now or in later values. */
export function histogramTensor(tag: string, step: number, first = true): Uint8Array {
  return eventRecord({
    wallTime: 1_700_000_000 + step,
    step,
    summary: {
      value: [{ tag, ...(first ? { metadata: { pluginData: { pluginName: 'histograms' } } } : {}), tensor: { dtype: 1, tensorShape: {}, tensorContent: float32Bytes(7) } }],
    },
  });
}

/** Records laid end to end. */
export function concat(records: readonly Uint8Array[]): Buffer {
  return Buffer.concat(records.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength)));
}

/** Writes records to `file` (replacing it). */
export function writeRecords(file: string, records: readonly Uint8Array[]): void {
  fs.writeFileSync(file, concat(records));
}

/** Appends bytes to `file`. */
export function appendBytes(file: string, bytes: Uint8Array): void {
  fs.appendFileSync(file, bytes);
}

/** A fresh temp folder and a function that removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A `folder()` that makes temporary folders, all removed once the calling test file's tests are
 * done. Call it at the top level of the test file.
 */
export function tempFolders(): () => string {
  const cleanups: (() => void)[] = [];
  after(() => cleanups.forEach((cleanup) => cleanup()));
  return () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };
}
