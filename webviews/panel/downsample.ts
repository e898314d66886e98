/**
 * Append-only downsampling of a chart curve to a few points per pixel. Pure (no DOM), so the
 * host-side tests check it on known inputs.
 *
 * The curve is cut into buckets of `bucketSize` consecutive points; each bucket keeps its lowest
 * and highest point (and the first gap, a non-finite y, so gaps stay visible). When there are more
 * than `maxBuckets` buckets, neighbours are merged pairwise and the bucket size doubles, so a push
 * costs O(1) amortized and the output never exceeds about 2 points per bucket, whatever the length
 * of the run. The series' first and last points are always part of the output.
 */
import type { Point } from './points.js';

interface Bucket {
  /** Points in the bucket. */
  n: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** x of the first non-finite y in the bucket; NaN when none. */
  gapX: number;
}

/** Appends a point unless it has the x of the one before (the same point: one y per x). */
function addPoint(out: Point[], x: number, y: number): void {
  const prev = out[out.length - 1];
  if (prev && prev.x === x) return;
  // Not `push`: chart.js wraps the push of the arrays it draws (see `points()`).
  out[out.length] = { x, y };
}

/** Appends a bucket's lowest and highest points and its first gap, in x order. */
function addBucket(out: Point[], b: Bucket): void {
  const candidates: [number, number][] = [];
  if (Number.isFinite(b.minY)) candidates.push([b.minX, b.minY]);
  if (Number.isFinite(b.maxY) && b.maxX !== b.minX) candidates.push([b.maxX, b.maxY]);
  if (!Number.isNaN(b.gapX)) candidates.push([b.gapX, Number.NaN]);
  candidates.sort((p, q) => p[0] - q[0]);
  for (const [x, y] of candidates) addPoint(out, x, y);
}

function merge(a: Bucket, b: Bucket): Bucket {
  const low = b.minY < a.minY ? b : a;
  const high = b.maxY > a.maxY ? b : a;
  return { n: a.n + b.n, minX: low.minX, minY: low.minY, maxX: high.maxX, maxY: high.maxY, gapX: Number.isNaN(a.gapX) ? b.gapX : a.gapX };
}

export class MinMaxDownsampler {
  private buckets: Bucket[] = [];
  private size = 1;
  private firstX = Number.NaN;
  private firstY = Number.NaN;
  private lastX = Number.NaN;
  private lastY = Number.NaN;
  private count = 0;
  /** What `points()` returns; its first `closed` points are those of the first point and the closed buckets. */
  private readonly out: Point[] = [];
  private closed = 0;
  /** Whether `out` is up to date. */
  private fresh = true;

  /** `maxBuckets`: about the chart's width in pixels (each bucket gives at most 2 points, 3 with a gap). */
  constructor(readonly maxBuckets: number) {
    if (!(maxBuckets >= 2)) throw new RangeError(`maxBuckets must be at least 2, got ${maxBuckets}`);
  }

  /** Points pushed so far. */
  get length(): number {
    return this.count;
  }

  /** Points per bucket now (a power of two). */
  get bucketSize(): number {
    return this.size;
  }

  /** Adds the next point (x increasing); a non-finite y is a gap. */
  push(x: number, y: number): void {
    this.fresh = false;
    if (this.count === 0) {
      this.firstX = x;
      this.firstY = y;
    }
    this.count++;
    this.lastX = x;
    this.lastY = y;
    let b = this.buckets.at(-1);
    if (!b || b.n >= this.size) {
      // The open bucket closes: its points join the kept ones.
      this.out.length = this.closed;
      if (b) addBucket(this.out, b);
      else addPoint(this.out, x, y);
      this.closed = this.out.length;
      b = { n: 0, minX: Number.NaN, minY: Number.POSITIVE_INFINITY, maxX: Number.NaN, maxY: Number.NEGATIVE_INFINITY, gapX: Number.NaN };
      this.buckets.push(b);
    }
    b.n++;
    if (!Number.isFinite(y)) {
      if (Number.isNaN(b.gapX)) b.gapX = x;
    } else {
      if (y < b.minY) { b.minY = y; b.minX = x; }
      if (y > b.maxY) { b.maxY = y; b.maxX = x; }
    }
    if (this.buckets.length > this.maxBuckets) {
      this.halve();
      this.rebuildClosed();
    }
  }

  /** Forgets every point. */
  clear(): void {
    this.buckets = [];
    this.size = 1;
    this.count = 0;
    this.firstX = this.firstY = this.lastX = this.lastY = Number.NaN;
    this.out.length = 0;
    this.closed = 0;
    this.fresh = true;
  }

  /**
   * The downsampled curve in x order. Always the same array, updated in place (index writes and
   * `length`, never the array methods chart.js wraps), so a chart redrawn on every batch gets no
   * new array of thousands of points each time: only the open bucket's points are made anew.
   */
  points(): Point[] {
    if (this.fresh) return this.out;
    const out = this.out;
    out.length = this.closed;
    const open = this.buckets[this.buckets.length - 1];
    if (open) addBucket(out, open);
    if (this.count > 1) addPoint(out, this.lastX, this.lastY);
    this.fresh = true;
    return out;
  }

  /** The first point and every bucket but the open (last) one, in `out`. */
  private rebuildClosed(): void {
    const out = this.out;
    out.length = 0;
    if (this.count > 0) addPoint(out, this.firstX, this.firstY);
    for (let i = 0; i < this.buckets.length - 1; i++) addBucket(out, this.buckets[i]!);
    this.closed = out.length;
  }

  private halve(): void {
    const merged: Bucket[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i]!;
      const b = this.buckets[i + 1];
      merged.push(b ? merge(a, b) : a);
    }
    this.buckets = merged;
    this.size *= 2;
  }
}

/** A growable column of numbers (typed, so a million values cost 8 MB, not a million objects). */
export class NumberColumn {
  private data = new Float64Array(1024);
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(value: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = value;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  clear(): void {
    this.data = new Float64Array(1024);
    this.n = 0;
  }
}
