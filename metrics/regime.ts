/**
 * The seed's regimes against the target error ε, with hysteresis so the label does not flicker
 * when an error hovers around ε.
 */
import type { Regime } from './events.js';
import type { Thresholds } from './thresholds.js';

/** The regime of one pair of errors, with no memory: the seed's definitions. */
export function classifyRegime(trainError: number, valError: number | null | undefined, epsilon: number, varianceGapFactor = 1): Regime {
  const trainAbove = !(trainError <= epsilon);
  if (valError === null || valError === undefined) return trainAbove ? 'high-bias' : 'good-fit';
  const valAbove = !(valError <= epsilon);
  if (!trainAbove) return valAbove ? 'high-variance' : 'good-fit';
  return valAbove && !(valError - trainError <= varianceGapFactor * epsilon) ? 'high-bias-and-variance' : 'high-bias';
}

/** One epoch's label: `raw` ignores history, `regime` is the confirmed label shown to users. */
export interface RegimePoint {
  epoch: number;
  raw: Regime;
  regime: Regime;
  /** First epoch of the current `regime`. */
  since: number;
}

/**
 * Whether `value` is above `limit`, given whether it was before: a value must move `band`
 * (relative) past the limit to change side. NaN counts as above (the worst case).
 */
export function aboveWithHysteresis(previous: boolean | undefined, value: number, limit: number, band: number): boolean {
  if (Number.isNaN(value)) return true;
  if (previous === undefined) return value > limit;
  return previous ? value > limit * (1 - band) : value > limit * (1 + band);
}

/** Labels epochs one at a time; keep one per run. */
export class RegimeTracker {
  private trainAbove: boolean | undefined;
  private valAbove: boolean | undefined;
  private gapAbove: boolean | undefined;
  private label: Regime | undefined;
  private since = 0;
  private candidate: Regime | undefined;
  private candidateSince = 0;
  private candidateCount = 0;

  constructor(private readonly epsilon: number, private readonly thresholds: Pick<Thresholds, 'hysteresis' | 'confirmEpochs' | 'varianceGapFactor'>) {}

  /** The label after this epoch's errors. */
  next(epoch: number, trainError: number, valError: number | null | undefined): RegimePoint {
    const { hysteresis, varianceGapFactor } = this.thresholds;
    this.trainAbove = aboveWithHysteresis(this.trainAbove, trainError, this.epsilon, hysteresis);
    let raw: Regime;
    if (valError === null || valError === undefined) {
      raw = this.trainAbove ? 'high-bias' : 'good-fit';
    } else {
      this.valAbove = aboveWithHysteresis(this.valAbove, valError, this.epsilon, hysteresis);
      this.gapAbove = aboveWithHysteresis(this.gapAbove, valError - trainError, varianceGapFactor * this.epsilon, hysteresis);
      if (!this.trainAbove) raw = this.valAbove ? 'high-variance' : 'good-fit';
      else raw = this.valAbove && this.gapAbove ? 'high-bias-and-variance' : 'high-bias';
    }
    this.confirm(epoch, raw);
    return { epoch, raw, regime: this.label!, since: this.since };
  }

  private confirm(epoch: number, raw: Regime): void {
    if (this.label === undefined) {
      this.label = raw;
      this.since = epoch;
      return;
    }
    if (raw === this.label) {
      this.candidate = undefined;
      return;
    }
    if (raw !== this.candidate) {
      this.candidate = raw;
      this.candidateSince = epoch;
      this.candidateCount = 0;
    }
    this.candidateCount += 1;
    if (this.candidateCount >= Math.max(1, this.thresholds.confirmEpochs)) {
      this.label = raw;
      this.since = this.candidateSince;
      this.candidate = undefined;
    }
  }
}

/** Labels a whole series of (epoch, training error, validation error). */
export function regimeSeries(
  points: readonly { epoch: number; trainError: number; valError?: number | null }[],
  epsilon: number,
  thresholds: Pick<Thresholds, 'hysteresis' | 'confirmEpochs' | 'varianceGapFactor'>,
): RegimePoint[] {
  const tracker = new RegimeTracker(epsilon, thresholds);
  return points.map((p) => tracker.next(p.epoch, p.trainError, p.valError));
}
