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

/** Appends points to per-tag series (keyed by `prefix + tag`). */
export function addPoints(into: Map<string, ScalarSeries>, points: readonly ScalarPoint[], prefix = ''): void {
  for (const p of points) {
    const key = prefix + p.tag;
    let series = into.get(key);
    if (!series) {
      series = { tag: key, steps: [], values: [], wallTimes: [] };
      into.set(key, series);
    }
    series.steps.push(p.step);
    series.values.push(p.value);
    series.wallTimes.push(p.wallTime);
  }
}
