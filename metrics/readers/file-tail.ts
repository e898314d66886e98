/**
 * Reads what was appended to a file since the last read, for files still being written. The file is
 * opened per read, so a deleted or rotated file never stays held open; a file that shrank or was
 * replaced (a new inode) is read again from the start.
 */
import fs from 'node:fs';

/** At most this much is read per call, so a huge file is taken in bounded steps (~50 ms of parsing each). */
export const MAX_READ_BYTES = 8 * 1024 * 1024;

/**
 * `bytes` holds the carried bytes (unless the file restarted) followed by the `appended` ones. It is
 * valid until the next read: a long file read in steps reuses one buffer for them.
 */
export type TailResult =
  | { kind: 'data'; bytes: Buffer; appended: number; restarted: boolean; more: boolean }
  | { kind: 'missing' }
  | { kind: 'error'; message: string };

export class FileTail {
  /** Bytes of the file read so far. */
  offset = 0;
  private inode: number | undefined;
  /** The file's first bytes as read: a file rewritten in place (same inode, longer) shows in them. */
  private head: Buffer | undefined;
  /** The buffer of the steps of a read that has not caught up with the file yet (released once it has). */
  private steps: Buffer | undefined;

  constructor(readonly file: string, private readonly maxRead = MAX_READ_BYTES) {}

  /** Whether the file's first bytes differ from those read before (it was rewritten in place). */
  private headChanged(fd: number): boolean {
    if (!this.head || this.offset === 0) return false;
    const now = Buffer.alloc(this.head.length);
    const n = fs.readSync(fd, now, 0, now.length, 0);
    return n < this.head.length || !now.equals(this.head);
  }

  /**
   * The bytes appended since the last call (maybe none), after `carry` (what the caller kept of the
   * last read, dropped when the file restarted); `more` says the file holds more than was read.
   */
  read(carry?: Uint8Array): TailResult {
    let fd: number;
    try {
      fd = openForReading(this.file);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', message: errorText(error) };
    }
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) return { kind: 'error', message: NOT_A_FILE };
      let restarted = false;
      if ((this.inode !== undefined && stat.ino !== this.inode) || stat.size < this.offset || this.headChanged(fd)) {
        this.offset = 0;
        restarted = true;
      }
      this.inode = stat.ino;
      const length = Math.max(0, Math.min(stat.size - this.offset, this.maxRead));
      const kept = restarted || !carry ? 0 : carry.length;
      const bytes = this.buffer(kept + length, stat.size - this.offset > length);
      if (kept > 0) bytes.set(carry!, 0);
      let got = 0;
      while (got < length) {
        const n = fs.readSync(fd, bytes, kept + got, length - got, this.offset + got);
        if (n === 0) break;
        got += n;
      }
      if (this.offset === 0 && got > 0) this.head = Buffer.from(bytes.subarray(kept, kept + Math.min(got, HEAD_BYTES)));
      this.offset += got;
      const more = this.offset < stat.size;
      // Caught up: a tail waiting for appends keeps no step buffer.
      if (!more) this.steps = undefined;
      return { kind: 'data', bytes: got === length ? bytes : bytes.subarray(0, kept + got), appended: got, restarted, more };
    } catch (error) {
      return { kind: 'error', message: errorText(error) };
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * A buffer of `size` bytes, not zero-filled (the read overwrites them; a short read is cut off).
   * The steps of a long read share one: a fresh 8 MiB buffer per step cost its page faults, about a
   * tenth of the time spent parsing an event file.
   */
  private buffer(size: number, stepping: boolean): Buffer {
    if (!stepping && !this.steps) return Buffer.allocUnsafe(size);
    if (!this.steps || this.steps.length < size) this.steps = Buffer.allocUnsafe(Math.max(size, this.maxRead));
    return this.steps.subarray(0, size);
  }
}

/**
 * Lightning's CSVLogger rewrites metrics.csv in place (same inode) when a new column appears, and
 * the new file can be longer than what was read: only its first bytes tell.
 */
const HEAD_BYTES = 256;

/** Why a path that is a FIFO, socket or device is not read. */
export const NOT_A_FILE = 'not a regular file (a pipe, socket or device is never read: it could block forever)';

/**
 * Opens a file without blocking: a FIFO put where a log was would block a plain open until some
 * writer appeared, freezing the watch (and the extension host). The caller checks it is a regular
 * file before reading. Windows has no O_NONBLOCK, and no FIFOs at a plain path.
 */
export function openForReading(file: string): number {
  const nonBlock = fs.constants.O_NONBLOCK;
  return nonBlock === undefined ? fs.openSync(file, 'r') : fs.openSync(file, fs.constants.O_RDONLY | nonBlock);
}

/** A one-line message for a thrown value. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
