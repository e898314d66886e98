/** Scalar points: what every reader of users' runs (event files, JSONL, CSV) turns its file into. */

/** One logged number: a tag (a metric name) at a step. */
export interface ScalarPoint {
  tag: string;
  step: number;
  value: number;
  /** Seconds since the Unix epoch when the writer logged it (NaN when the file does not say). */
  wallTime: number;
}

/** Something a reader skipped or could not read; it kept everything else. */
export interface ReadIssue {
  file: string;
  message: string;
}

/**
 * One tag's points in the order read, in typed columns (8 bytes a number, no object per point) that
 * grow by doubling; the first `length` entries are used, the rest is spare capacity.
 */
export interface ScalarSeries {
  tag: string;
  length: number;
  steps: Float64Array;
  values: Float64Array;
  wallTimes: Float64Array;
}

/** An empty series with room for `capacity` points. */
export function emptySeries(tag: string, capacity = 16): ScalarSeries {
  return { tag, length: 0, steps: new Float64Array(capacity), values: new Float64Array(capacity), wallTimes: new Float64Array(capacity) };
}

/** A series holding these points (tests, and callers with plain arrays). */
export function seriesOf(tag: string, steps: ArrayLike<number>, values: ArrayLike<number>, wallTimes: ArrayLike<number>): ScalarSeries {
  const s = emptySeries(tag, Math.max(16, steps.length));
  s.steps.set(steps);
  s.values.set(values);
  s.wallTimes.set(wallTimes);
  s.length = steps.length;
  return s;
}

/** Makes room for `extra` more points, doubling the capacity (amortised O(1) per point). */
function reserve(s: ScalarSeries, extra: number): void {
  const need = s.length + extra;
  if (need <= s.steps.length) return;
  let capacity = Math.max(16, s.steps.length * 2);
  while (capacity < need) capacity *= 2;
  const grow = (old: Float64Array) => {
    const next = new Float64Array(capacity);
    next.set(old.subarray(0, s.length));
    return next;
  };
  s.steps = grow(s.steps);
  s.values = grow(s.values);
  s.wallTimes = grow(s.wallTimes);
}

/** Appends one point to its tag's series. */
export function addPoint(into: Map<string, ScalarSeries>, key: string, step: number, value: number, wallTime: number): void {
  let series = into.get(key);
  if (!series) {
    series = emptySeries(key);
    into.set(key, series);
  }
  if (series.length === series.steps.length) reserve(series, 1);
  const i = series.length;
  series.steps[i] = step;
  series.values[i] = value;
  series.wallTimes[i] = wallTime;
  series.length = i + 1;
}

/** Appends the points of `from` to `to`. */
export function appendSeries(to: ScalarSeries, from: ScalarSeries): void {
  reserve(to, from.length);
  to.steps.set(from.steps.subarray(0, from.length), to.length);
  to.values.set(from.values.subarray(0, from.length), to.length);
  to.wallTimes.set(from.wallTimes.subarray(0, from.length), to.length);
  to.length += from.length;
}

/** Appends every point of `from` to `into`, tag by tag. */
export function mergeSeries(into: Map<string, ScalarSeries>, from: ReadonlyMap<string, ScalarSeries>): void {
  for (const [key, s] of from) {
    const target = into.get(key);
    if (!target) into.set(key, s);
    else appendSeries(target, s);
  }
}
