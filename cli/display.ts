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

/**
 * Text safe to print on a terminal: control characters (newlines in file names, escape sequences)
 * are shown as escapes, so a file name cannot forge output lines or colour the terminal.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
