/** How the CLI shows paths and losses. */
import path from 'node:path';

/** A path relative to the working directory when it lies under it (with `/`), else as given. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

/** A loss with four decimals, or in exponent form from 1000 up (NaN and ∞ as words). */
export function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toExponential(2) : value.toFixed(4);
}
