/** Where each line of a text starts. */

/** Offsets of each line start in `text` (a line ends at `\n`; the first starts at 0). */
export function lineStarts(text: string): Int32Array {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return Int32Array.from(starts);
}
