/** TFRecord's masked CRC-32C (Castagnoli), computed with SheetJS's crc-32 (slicing-by-16; its speed is in BENCHMARKS.md, readers). */
import CRC32C from 'crc-32/crc32c.js';

const crc32c = CRC32C.buf;

const MASK_DELTA = 0xa282ead8;

/** The masked CRC-32C that TFRecord stores after the length and after the data. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes) >>> 0;
  // TensorFlow masks stored CRCs so a CRC of data that itself holds CRCs stays well distributed.
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}
