/** The one changed stretch between two versions of a text. */
export interface ChangedRange {
  /** First changed character, in both texts. */
  start: number;
  /** End of the changed stretch in the old text. */
  oldEnd: number;
  /** End of the changed stretch in the new text. */
  newEnd: number;
}

/** Characters compared at once by string equality (native) before the loop finds the exact character. */
const CHUNK = 2048;

/** The smallest single range whose replacement turns `before` into `after` (common prefix and suffix kept). */
export function changedRange(before: string, after: string): ChangedRange {
  const max = Math.min(before.length, after.length);
  // A keystroke in a big file leaves almost all of it alike: skip equal chunks natively, not char by char.
  let start = 0;
  while (start + CHUNK <= max && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (
    tail + CHUNK <= max - start &&
    before.slice(before.length - tail - CHUNK, before.length - tail) === after.slice(after.length - tail - CHUNK, after.length - tail)
  ) tail += CHUNK;
  while (
    tail < max - start &&
    before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)
  ) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}
