/**
 * Where a run spec may read data from, and how a data file is read: only regular files, inside the
 * folders the user trains in (or allowed explicitly), up to a size limit. A spec is text anyone can
 * write, so its `data.path` must not reach `/etc/shadow` or `~/.ssh`, hang on a FIFO or read
 * `/dev/zero` until memory runs out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatBytes, LIMITS } from '../limits.js';
import { DataError } from './csv.js';

/** Resolves `relative` against `baseDir` and checks that the real file (symbolic links followed) lies inside one of `roots`. Throws `DataError`. */
export function resolveDataPath(relative: string, baseDir: string, roots: readonly string[]): string {
  const resolved = path.resolve(baseDir, relative);
  let real: string;
  try {
    real = fs.realpathSync(resolved);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`cannot read the CSV file ${relative}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? 'unreadable'}`);
  }
  const realRoots = roots.flatMap((root) => {
    try { return [fs.realpathSync(path.resolve(root))]; } catch { return []; }
  });
  if (!realRoots.some((root) => isInside(real, root))) {
    const where = roots.length === 0 ? 'no folder is allowed' : `allowed: ${roots.map((r) => path.resolve(r)).join(', ')}`;
    throw new DataError(`the CSV file ${relative} is outside the folders data may be read from (${where}); move it inside the workspace, or allow its folder (fitcheck train --allow-data-dir, or the user setting fitcheck.training.allowedDataFolders)`);
  }
  return real;
}

/** True when `file` is `root` or below it. */
export function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * Reads a regular file of at most `maxBytes`. The file is opened without blocking (a FIFO would
 * otherwise wait forever for a writer) and checked on the open descriptor, so it cannot be swapped
 * between the check and the read; reading stops past the limit even if the file grows meanwhile.
 * `shown` names the file in messages. Throws `DataError`.
 */
export function readRegularFile(file: string, maxBytes: number, shown: string, what = 'the CSV file'): Buffer {
  const label = what ? `${what} ${shown}` : shown;
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`cannot read ${label}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : code ?? 'unreadable'}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new DataError(`${label} is not a regular file (it is ${fileKind(stat)}); give the path of a file`);
    if (stat.size > maxBytes) throw new DataError(`${label} is ${formatBytes(stat.size)}, larger than the limit of ${formatBytes(maxBytes)}`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 64 * 1024), maxBytes + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new DataError(`${label} is larger than the limit of ${formatBytes(maxBytes)}`);
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`cannot read ${label}: ${code === 'EISDIR' ? 'it is a directory' : code ?? 'unreadable'}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a CSV data file for a spec: inside `roots`, a regular file, within the size limit. */
export function readCsvData(relative: string, baseDir: string, roots: readonly string[]): string {
  const file = resolveDataPath(relative, baseDir, roots);
  return readRegularFile(file, LIMITS.csvBytes, relative).toString('utf8');
}

function fileKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a plain file';
}
