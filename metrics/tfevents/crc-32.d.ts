// crc-32 ships types for its CRC-32 entry only; the CRC-32C entry has the same shape.
declare module 'crc-32/crc32c.js' {
  const CRC32C: {
    /** CRC-32C of the bytes, as a signed 32-bit integer. */
    buf(data: Uint8Array, seed?: number): number;
  };
  export default CRC32C;
}
