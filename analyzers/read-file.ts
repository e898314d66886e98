/**
 * Reads a file to lint, whoever named it (a command line, a workspace, a pyproject.toml search):
 * only regular files, and never more bytes than the caller allows. A FIFO would block the reader
 * forever and `/dev/zero` never ends, so the type and size are checked on the open descriptor
 * before a byte is read.
 */
import fs from 'node:fs';

/**
 * The largest file Fitcheck parses, whatever `maxFileSize` says. tree-sitter's wasm parser holds
 * the whole tree in 32-bit wasm memory and aborted on a 100 MB file (and on 8 MB of one-token
 * lines); a 4 MB file of such lines still parses in about 20 s. Real training scripts are far
 * smaller (the default limit is 2 MB).
 */
export const HARD_MAX_FILE_SIZE = 4_000_000;

export type ReadResult =
  | { ok: true; text: string }
  /** The file holds more than the allowed bytes: it was not read. */
  | { ok: false; tooBig: number; reason: string }
  | { ok: false; tooBig?: undefined; reason: string };

/** Reads a regular file of at most `maxBytes` bytes as UTF-8; anything else is refused with a reason in words. */
export function readLintFile(file: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: `not a regular file (${kindOf(stat)})` };
    if (stat.size > maxBytes) return { ok: false, tooBig: stat.size, reason: sizeReason(stat.size, maxBytes) };
    // The file may grow while it is read: read one byte past the limit to notice.
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) {
        if (length > maxBytes) return { ok: false, tooBig: length, reason: sizeReason(length, maxBytes) };
        break;
      }
    }
    return { ok: true, text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  } finally {
    fs.closeSync(fd);
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}

function sizeReason(bytes: number, maxBytes: number): string {
  const [size, limit] = formatSizes(bytes, maxBytes);
  return `file is ${size}, over the ${limit} limit`;
}

/** Two sizes in words that differ where the sizes do (4,000,013 bytes is not "4.0 MB, over 4.0 MB"). */
export function formatSizes(bytes: number, limit: number): [string, string] {
  const a = formatBytes(bytes);
  const b = formatBytes(limit);
  if (a !== b) return [a, b];
  const exact = (n: number) => `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
  return [exact(bytes), exact(limit)];
}

/** A size as people write it: 1 → "1 byte", 1500 → "1.5 kB", 12345 → "12 kB", 2000000 → "2.0 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 10_000) return `${Number((bytes / 1000).toFixed(1))} kB`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** A short, human reason for a file-system error. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'too many symbolic links';
  if (code === 'ENXIO') return 'not a regular file (a socket or device with nothing behind it)';
  return error instanceof Error ? error.message : String(error);
}
