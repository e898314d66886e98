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

/** One tag's points in the order read. */
export interface ScalarSeries {
  tag: string;
  steps: number[];
  values: number[];
  wallTimes: number[];
}

/** Appends one point to its tag's series. */
export function addPoint(into: Map<string, ScalarSeries>, key: string, step: number, value: number, wallTime: number): void {
  let series = into.get(key);
  if (!series) {
    series = { tag: key, steps: [], values: [], wallTimes: [] };
    into.set(key, series);
  }
  series.steps.push(step);
  series.values.push(value);
  series.wallTimes.push(wallTime);
}

/** Appends every point of `from` to `into`, tag by tag. */
export function mergeSeries(into: Map<string, ScalarSeries>, from: ReadonlyMap<string, ScalarSeries>): void {
  for (const [key, s] of from) {
    const target = into.get(key);
    if (!target) {
      into.set(key, s);
      continue;
    }
    // A loop, not push(...spread): a big read can hold more points than a call takes arguments.
    for (let i = 0; i < s.steps.length; i++) {
      target.steps.push(s.steps[i]!);
      target.values.push(s.values[i]!);
      target.wallTimes.push(s.wallTimes[i]!);
    }
  }
}
