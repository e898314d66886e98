/** The built-in data sets that reproduce the seed's experiments. Each returns raw rows; `prepare` splits and scales them. */
import type { Random } from './random.js';

export interface RawData {
  x: number[][];
  /** Targets (regression) or class indices 0…K−1 (classification). */
  y: number[];
  featureNames: string[];
  task: 'regression' | 'classification';
  classes?: number;
  classNames?: string[];
  /** Known range of each feature (synthetic sets); polynomial features scale it to [−1, 1]. */
  featureRanges?: [number, number][];
}

/** The seed's "true" relationship between hours studied and score: a smooth arc that a straight line cannot follow. */
export function trueScore(hours: number): number {
  return 100 * (1 - Math.exp(-hours / 2));
}

/**
 * Hours studied and the score on the true curve plus Gaussian noise. Hours are stratified: the
 * i-th of n is uniform in [10·i/n, 10·(i+1)/n), so a small sample covers 0–10 without the chance
 * gaps that would leave a fit to extrapolate over the steep start of the curve at one seed and not
 * at another (the lesson is model complexity, not an unlucky draw). Rows are shuffled afterwards.
 */
export function hoursVsScore(samples: number, noise: number, rng: Random): RawData {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < samples; i++) {
    const hours = rng.uniform((10 * i) / samples, (10 * (i + 1)) / samples);
    x.push([hours]);
    y.push(trueScore(hours) + rng.normal(0, noise));
  }
  const order = Array.from({ length: samples }, (_, i) => i);
  rng.shuffle(order);
  return { x: order.map((i) => x[i]!), y: order.map((i) => y[i]!), featureNames: ['hours'], task: 'regression', featureRanges: [[0, 10]] };
}

/** Splits `samples` into per-class counts following `ratio` (equal classes without one). */
export function classCounts(samples: number, classes: number, ratio?: readonly number[]): number[] {
  const weights = ratio && ratio.length === classes ? ratio : Array.from({ length: classes }, () => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(1, Math.floor((samples * w) / total)));
  // Hand the rounding remainder to the largest classes so the total is exact.
  let rest = samples - counts.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
  for (let k = 0; rest > 0; k = (k + 1) % classes, rest--) counts[order[k]!]! += 1;
  return counts;
}

/** Two interleaving half circles (scikit-learn's make_moons), with Gaussian noise on both coordinates. */
export function twoMoons(samples: number, noise: number, rng: Random, ratio?: readonly number[]): RawData {
  const [outer, inner] = classCounts(samples, 2, ratio) as [number, number];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < outer; i++) {
    const t = rng.uniform(0, Math.PI);
    x.push([Math.cos(t) + rng.normal(0, noise), Math.sin(t) + rng.normal(0, noise)]);
    y.push(0);
  }
  for (let i = 0; i < inner; i++) {
    const t = rng.uniform(0, Math.PI);
    x.push([1 - Math.cos(t) + rng.normal(0, noise), 0.5 - Math.sin(t) + rng.normal(0, noise)]);
    y.push(1);
  }
  return { x, y, featureNames: ['x1', 'x2'], task: 'classification', classes: 2 };
}

/** Spiral arms, one class each (the CS231n spiral): radius 0→1 while the angle turns 4 radians, plus angle noise. */
export function spiral(samples: number, classes: number, noise: number, rng: Random, ratio?: readonly number[]): RawData {
  const counts = classCounts(samples, classes, ratio);
  const x: number[][] = [];
  const y: number[] = [];
  counts.forEach((count, k) => {
    const start = (2 * Math.PI * k) / classes;
    for (let i = 0; i < count; i++) {
      const r = count === 1 ? 1 : i / (count - 1);
      const t = start + 4 * r + rng.normal(0, noise);
      x.push([r * Math.sin(t), r * Math.cos(t)]);
      y.push(k);
    }
  });
  return { x, y, featureNames: ['x1', 'x2'], task: 'classification', classes };
}
