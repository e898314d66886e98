/**
 * TFRecord framing, the container of TensorBoard event files: each record is
 * `uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)`, little-endian.
 * The scanner works on a growing buffer (a file still being written): it returns the intact records,
 * how far it consumed, and what it had to skip, and never throws.
 */
import { maskedCrc32c } from './crc32c.js';

/** Larger lengths are taken as corruption rather than waited for (TensorBoard's own events are far smaller). */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** Something the reader skipped, with where it was (a byte offset from the start of the scanned buffer). */
export interface SkippedBytes {
  offset: number;
  bytes: number;
  reason: 'bad-length-crc' | 'bad-data-crc' | 'truncated';
}

export interface ScanResult {
  /** The data of each intact record, as views into the buffer. */
  records: Uint8Array[];
  /** Bytes consumed from the start of the buffer; the rest waits for more data. */
  consumed: number;
  skipped: SkippedBytes[];
}

const HEADER = 12;
const FOOTER = 4;

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** The 8 length bytes, copied so checking them allocates no view per record. */
const lengthBytes = new Uint8Array(8);

/** Whether a valid record header (length whose CRC matches, and a sane length) starts at `at`. */
function headerAt(bytes: Uint8Array, at: number): number | undefined {
  for (let i = 0; i < 8; i++) lengthBytes[i] = bytes[at + i]!;
  if (maskedCrc32c(lengthBytes) !== u32(bytes, at + 8)) return undefined;
  const high = u32(bytes, at + 4);
  const length = u32(bytes, at);
  if (high !== 0 || length > MAX_RECORD_BYTES) return undefined;
  return length;
}

/**
 * Reads the records of `bytes`. With `final` false an incomplete last record is left unconsumed (a
 * writer is mid-way); with `final` true it is reported as truncated. Bytes between records that do
 * not form a valid header (garbage, a torn write) are skipped up to the next valid header.
 */
export function scanRecords(input: Uint8Array, final: boolean): ScanResult {
  const records: Uint8Array[] = [];
  const { consumed, skipped } = visitRecords(input, final, (data) => { records.push(data); });
  return { records, consumed, skipped };
}

/**
 * `scanRecords` without collecting: calls `onRecord` with each intact record's data (a view valid
 * during the call), so a reader decodes records as they are found and keeps nothing it does not need.
 */
export function visitRecords(input: Uint8Array, final: boolean, onRecord: (data: Uint8Array) => void): Omit<ScanResult, 'records'> {
  // Plain Uint8Array views: a Node Buffer's subarray costs several times more.
  const bytes = Buffer.isBuffer(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : input;
  const skipped: SkippedBytes[] = [];
  let pos = 0;
  let garbageFrom = -1;
  const endGarbage = (at: number) => {
    if (garbageFrom >= 0) skipped.push({ offset: garbageFrom, bytes: at - garbageFrom, reason: 'bad-length-crc' });
    garbageFrom = -1;
  };
  while (pos + HEADER <= bytes.length) {
    const length = headerAt(bytes, pos);
    if (length === undefined) {
      // Resynchronise one byte at a time: a false match needs a 32-bit CRC collision.
      if (garbageFrom < 0) garbageFrom = pos;
      pos += 1;
      continue;
    }
    const end = pos + HEADER + length + FOOTER;
    if (end > bytes.length) break;
    endGarbage(pos);
    const data = bytes.subarray(pos + HEADER, pos + HEADER + length);
    if (maskedCrc32c(data) === u32(bytes, pos + HEADER + length)) onRecord(data);
    else skipped.push({ offset: pos, bytes: end - pos, reason: 'bad-data-crc' });
    pos = end;
  }
  if (final) {
    if (garbageFrom >= 0 && pos + HEADER > bytes.length) {
      // Garbage running into the end of the file.
      skipped.push({ offset: garbageFrom, bytes: bytes.length - garbageFrom, reason: 'bad-length-crc' });
      garbageFrom = -1;
      pos = bytes.length;
    } else {
      endGarbage(pos);
    }
    if (pos < bytes.length) skipped.push({ offset: pos, bytes: bytes.length - pos, reason: 'truncated' });
    return { consumed: bytes.length, skipped };
  }
  // Not final: garbage already scanned is dropped (reported once); an incomplete tail waits.
  if (garbageFrom >= 0) {
    skipped.push({ offset: garbageFrom, bytes: pos - garbageFrom, reason: 'bad-length-crc' });
  }
  return { consumed: pos, skipped };
}

/** Frames one record (for writing test and benchmark files with the same layout TensorFlow writes). */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + data.length + FOOTER);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, true);
  view.setUint32(4, 0, true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, HEADER);
  view.setUint32(HEADER + data.length, maskedCrc32c(data), true);
  return out;
}
