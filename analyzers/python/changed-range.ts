/** The one changed stretch between two versions of a text. */
export interface ChangedRange {
  /** First changed character, in both texts. */
  start: number;
  /** End of the changed stretch in the old text. */
  oldEnd: number;
  /** End of the changed stretch in the new text. */
  newEnd: number;
}

/** The smallest single range whose replacement turns `before` into `after` (common prefix and suffix kept). */
export function changedRange(before: string, after: string): ChangedRange {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (
    tail < max - start &&
    before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)
  ) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}
