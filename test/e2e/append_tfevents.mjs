#!/usr/bin/env node
// Replays a Keras TensorBoard run (its train/ and validation/ event files) into a folder record by
// record, as the Keras callback's two writers would append them: the records are copied byte for
// byte (TFRecord framing and CRCs unchanged), merged by each event's wall time, with a pause
// between records. Used by the e2e step that watches a run live.
//
//   node test/e2e/append_tfevents.mjs <source run folder> <destination folder> [--delay ms]
//
// Prints "FITCHECK_TFEVENTS records=N epochs=E" once before writing and "FITCHECK_TFEVENTS_DONE"
// at the end.

import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADER_BYTES = 12; // uint64 length + masked CRC-32C of the length
const FOOTER_BYTES = 4; // masked CRC-32C of the data

/** The records of a TFRecord file as byte ranges (whole frames), in file order. */
function frames(buf, file) {
  const out = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < HEADER_BYTES) throw new Error(`${file}: ${buf.length - at} stray bytes at offset ${at}`);
    const length = Number(buf.readBigUInt64LE(at));
    const end = at + HEADER_BYTES + length + FOOTER_BYTES;
    if (end > buf.length) throw new Error(`${file}: the record at offset ${at} runs past the end of the file`);
    out.push({ bytes: buf.subarray(at, end), data: buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length) });
    at = end;
  }
  return out;
}

/** An Event's wall_time: field 1, a double, which writers put first (tag byte 0x09). */
function wallTime(data) {
  return data.length >= 9 && data[0] === 0x09 ? data.readDoubleLE(1) : 0;
}

function main() {
  const args = process.argv.slice(2);
  const delayAt = args.indexOf('--delay');
  const delayMs = delayAt >= 0 ? Number(args.splice(delayAt, 2)[1]) : 80;
  const [source, dest] = args;
  if (!source || !dest || !Number.isFinite(delayMs)) {
    console.error('usage: append_tfevents.mjs <source run folder> <destination folder> [--delay ms]');
    process.exit(2);
  }
  const records = [];
  let epochs = 0;
  for (const split of readdirSync(source, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    for (const name of readdirSync(join(source, split)).filter((n) => n.startsWith('events.out.tfevents.'))) {
      const file = join(source, split, name);
      const target = join(dest, split, name);
      mkdirSync(join(dest, split), { recursive: true });
      writeFileSync(target, '');
      for (const f of frames(readFileSync(file), file)) {
        // Keras names its per-epoch loss `epoch_loss`: one record each epoch, in the train/ file.
        if (split === 'train' && f.data.includes('epoch_loss')) epochs++;
        records.push({ target, bytes: f.bytes, wall: wallTime(f.data), order: records.length });
      }
    }
  }
  // The file_version record opens each file; after that, the two writers interleave by time.
  records.sort((a, b) => (a.wall - b.wall) || (a.order - b.order));
  console.log(`FITCHECK_TFEVENTS records=${records.length} epochs=${epochs}`);
  let i = 0;
  const next = () => {
    if (i === records.length) {
      console.log('FITCHECK_TFEVENTS_DONE');
      return;
    }
    const r = records[i++];
    appendFileSync(r.target, r.bytes);
    setTimeout(next, delayMs);
  };
  next();
}

main();
