/**
 * The bias/variance regimes against the target error ε, judged on intervals rather than bare
 * numbers: a regime is called only when the errors are past ε (and the gap past its limit) by
 * more than their sampling noise, and the label changes only once the new call is confirmed.
 */
import type { Regime } from './events.js';
import type { Thresholds } from './thresholds.js';
import { gapOf, sideOf, type Estimate } from './uncertainty.js';

/** One epoch's call: a regime, or `undecided` when the numbers sit within their noise of a limit. */
export type Label = Regime | 'undecided';

/** The numbers behind one epoch's call. */
export interface Judgement {
  label: Label;
  /** True when the call holds even at the stricter `clearZ`: it needs no confirming epochs. */
  clear: boolean;
  train: Estimate;
  val: Estimate | null;
  /** Validation − training error, with its noise. */
  gap: Estimate | null;
}

type JudgeThresholds = Pick<Thresholds, 'z' | 'clearZ' | 'varianceGapFactor'>;

/**
 * The regime of one epoch's estimates at confidence z:
 * - high bias: the training error is above ε beyond its noise;
 * - high variance: the training error is at or below ε and the validation error above it, both beyond noise;
 * - both: high bias, and the gap exceeds `varianceGapFactor`·ε beyond the validation set's noise;
 * - good fit: both errors at or below ε beyond noise;
 * - undecided: any comparison the verdict hinges on is within the noise.
 */
export function labelAt(train: Estimate, val: Estimate | null, epsilon: number, gapFactor: number, z: number): Label {
  const trainSide = sideOf(train, epsilon, z);
  if (trainSide === 'unclear') return 'undecided';
  if (val === null) return trainSide === 'above' ? 'high-bias' : 'good-fit';
  if (trainSide === 'above') {
    const gapSide = sideOf(gapOf(val, train), gapFactor * epsilon, z);
    return gapSide === 'above' ? 'high-bias-and-variance' : 'high-bias';
  }
  const valSide = sideOf(val, epsilon, z);
  return valSide === 'above' ? 'high-variance' : valSide === 'below' ? 'good-fit' : 'undecided';
}

/** The call of one epoch, with whether it is clear enough to need no confirmation. */
export function judge(train: Estimate, val: Estimate | null, epsilon: number, t: JudgeThresholds): Judgement {
  const label = labelAt(train, val, epsilon, t.varianceGapFactor, t.z);
  const clear = label !== 'undecided' && labelAt(train, val, epsilon, t.varianceGapFactor, t.clearZ) === label;
  return { label, clear, train, val, gap: val ? gapOf(val, train) : null };
}

/** One epoch's label: `raw` is the epoch's own call, `label` the confirmed one shown to users. */
export interface RegimePoint {
  epoch: number;
  raw: Label;
  label: Label;
  /** First epoch of the current `label`: the one date of this event. */
  since: number;
}

/**
 * Confirms labels one epoch at a time: a new call replaces the label once it holds for
 * `confirmEpochs` epochs in a row (dated from the first of them); a clear call replaces an
 * `undecided` label at once.
 * The label starts `undecided`, so the first verdict is confirmed like any other.
 */
export class RegimeTracker {
  private label: Label = 'undecided';
  private since: number | undefined;
  private candidate: Label | undefined;
  private candidateSince = 0;
  private candidateCount = 0;

  constructor(private readonly confirmEpochs: number) {}

  /** The confirmed label after this epoch's judgement. */
  next(epoch: number, judgement: Pick<Judgement, 'label' | 'clear'>): RegimePoint {
    this.since ??= epoch;
    const raw = judgement.label;
    if (raw === this.label) {
      this.candidate = undefined;
    } else {
      if (raw !== this.candidate) {
        this.candidate = raw;
        this.candidateSince = epoch;
        this.candidateCount = 0;
      }
      this.candidateCount += 1;
      // A clear call settles an open question at once; replacing one verdict by another always
      // takes confirming epochs, since one epoch's spike can be clear and still be a spike.
      const settles = judgement.clear && this.label === 'undecided';
      if (settles || this.candidateCount >= Math.max(1, this.confirmEpochs)) {
        this.label = raw;
        this.since = this.candidateSince;
        this.candidate = undefined;
      }
    }
    return { epoch, raw, label: this.label, since: this.since };
  }
}
