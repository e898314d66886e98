/**
 * The diagnosis of a run, epoch by epoch: the regime against ε and the insights (gradient flow,
 * loss-curve shape, overfitting onset), each with its evidence and the seed's remedies. Pure: it
 * reads events and returns events, so the trainer, the CLI, the extension and the panel share it.
 */
import { detectDivergence, detectOscillation, detectOverfittingOnset, detectPlateau } from './curves.js';
import { summarizeRegime } from './describe.js';
import type { Diagnosis, EndEvent, EpochEvent, ErrorMetric, InsightEvent, InsightKind, LayerStats, RunEvent, StartEvent } from './events.js';
import { detectDyingRelu, detectExploding, detectNonFinite, detectVanishing, type Detection } from './gradients.js';
import { classifyRegime, RegimeTracker, type RegimePoint } from './regime.js';
import { INSIGHT_REMEDIES, remediesFor } from './remedies.js';
import { resolveThresholds, type Thresholds } from './thresholds.js';

export interface AnalyzerOptions {
  /** The target error ε. */
  epsilon: number;
  metric: ErrorMetric;
  thresholds?: Partial<Thresholds>;
  /** Training examples per class, so a high-bias diagnosis can suggest class weights. */
  classCounts?: number[];
}

/** Insight kinds reported once per run; the others again after they clear. */
const ONCE: ReadonlySet<InsightKind> = new Set(['non-finite']);

/** Follows one run: feed it epochs in order, read back labels, insights and the diagnosis. */
export class RunAnalyzer {
  readonly thresholds: Thresholds;
  private readonly tracker: RegimeTracker;
  private readonly epochs: EpochEvent[] = [];
  private readonly points: RegimePoint[] = [];
  private readonly layerHistory: LayerStats[][] = [];
  private readonly active = new Set<InsightKind>();
  private readonly raised: InsightKind[] = [];
  private readonly reported = new Set<string>();
  private readonly clearFor = new Map<InsightKind, number>();

  constructor(private readonly options: AnalyzerOptions) {
    this.thresholds = resolveThresholds(options.thresholds);
    this.tracker = new RegimeTracker(options.epsilon, this.thresholds);
  }

  /** Adds an epoch; returns its regime label and the insights that start at it. */
  addEpoch(epoch: EpochEvent): { point: RegimePoint; insights: InsightEvent[] } {
    this.epochs.push(epoch);
    this.layerHistory.push(epoch.layers ?? []);
    const point = this.tracker.next(epoch.epoch, epoch.train.error, epoch.val?.error ?? null);
    this.points.push(point);
    const insights: InsightEvent[] = [];
    for (const [kind, detection] of this.detect(epoch)) {
      if (!detection) {
        // A kind re-arms only after staying clear for `rearmEpochs`, so a flickering signal is reported once.
        const clear = (this.clearFor.get(kind) ?? 0) + 1;
        this.clearFor.set(kind, clear);
        if (!ONCE.has(kind) && clear >= this.thresholds.rearmEpochs) this.active.delete(kind);
        continue;
      }
      this.clearFor.set(kind, 0);
      if (detection.bestEpoch !== undefined) {
        // An overfitting onset is news once per best epoch, however often the signal flickers.
        const key = `${kind}@${detection.bestEpoch}`;
        if (this.reported.has(key)) continue;
        this.reported.add(key);
      } else if (this.active.has(kind)) {
        continue;
      }
      insights.push(this.toEvent(epoch.epoch, detection));
    }
    return { point, insights };
  }

  /** Records an insight found elsewhere (the trainer's per-batch NaN check), so it is not repeated. */
  noteInsight(insight: InsightEvent): void {
    this.active.add(insight.kind);
    if (!this.raised.includes(insight.kind)) this.raised.push(insight.kind);
  }

  /** Builds an insight event from a detection and records it. */
  toEvent(epoch: number, detection: Detection): InsightEvent {
    const event: InsightEvent = {
      type: 'insight',
      kind: detection.kind,
      epoch,
      severity: detection.severity,
      message: detection.message,
      evidence: detection.evidence,
      remedies: [...INSIGHT_REMEDIES[detection.kind]],
    };
    if (detection.bestEpoch !== undefined) {
      event.bestEpoch = detection.bestEpoch;
      event.remedies[0] = `Stop early at epoch ${detection.bestEpoch} (training.earlyStopping with restoreBest).`;
    }
    this.noteInsight(event);
    return event;
  }

  /** The kinds of insight raised so far, in order. */
  get insightKinds(): InsightKind[] {
    return [...this.raised];
  }

  /** The regime labels so far. */
  get regimes(): readonly RegimePoint[] {
    return this.points;
  }

  /** The epoch with the lowest validation loss up to `epoch` (undefined without validation). */
  bestValEpoch(upTo = Number.POSITIVE_INFINITY): number | undefined {
    let best: EpochEvent | undefined;
    for (const e of this.epochs) {
      if (e.epoch > upTo || !e.val || !Number.isFinite(e.val.loss)) continue;
      if (!best || e.val.loss < best.val!.loss) best = e;
    }
    return best?.epoch;
  }

  /** The diagnosis at `epoch` (default: the last epoch); null before any epoch. */
  diagnosis(epoch?: number): Diagnosis | null {
    const index = epoch === undefined ? this.epochs.length - 1 : this.epochs.findIndex((e) => e.epoch === epoch);
    const e = this.epochs[index];
    const point = this.points[index];
    if (!e || !point) return null;
    const valError = e.val ? e.val.error : null;
    // The confirmed label keeps a live view steady, but a diagnosis must never contradict its own
    // numbers: when the plain definitions disagree with the label (a restored earlier epoch, or a
    // change not yet confirmed), the numbers win.
    const plain = (i: number) => classifyRegime(this.epochs[i]!.train.error, this.epochs[i]!.val?.error, this.options.epsilon, this.thresholds.varianceGapFactor);
    const regime = plain(index) === point.regime ? point.regime : plain(index);
    let since = point.since;
    if (regime !== point.regime) {
      since = e.epoch;
      for (let i = index - 1; i >= 0 && plain(i) === regime; i--) since = this.epochs[i]!.epoch;
    }
    return {
      regime,
      epoch: e.epoch,
      since,
      metric: this.options.metric,
      epsilon: this.options.epsilon,
      trainError: e.train.error,
      valError,
      gap: valError === null ? null : valError - e.train.error,
      summary: summarizeRegime(regime, since, this.options.epsilon, e.train.error, valError),
      remedies: remediesFor(regime, this.options.classCounts, this.bestValEpoch(e.epoch)),
    };
  }

  private detect(epoch: EpochEvent): [InsightKind, Detection | null][] {
    const t = this.thresholds;
    const trainLoss = this.epochs.map((e) => e.train.loss);
    const withVal = this.epochs.filter((e) => e.val);
    const layers = epoch.layers ?? [];
    return [
      ['non-finite', detectNonFinite({ 'training loss': epoch.train.loss, 'validation loss': epoch.val?.loss }, layers)],
      ['exploding-gradients', detectExploding(this.layerHistory, epoch.train.loss, t)],
      ['divergence', detectDivergence(trainLoss, t)],
      ['vanishing-gradients', detectVanishing(this.layerHistory, t)],
      ['dying-relu', detectDyingRelu(this.layerHistory, t)],
      ['plateau', detectPlateau(trainLoss, epoch.train.error, this.options.epsilon, t)],
      ['oscillation', detectOscillation(trainLoss, epoch.train.error, this.options.epsilon, t)],
      ['overfitting-onset', withVal.length === this.epochs.length
        ? detectOverfittingOnset(withVal.map((e) => e.epoch), withVal.map((e) => e.train.loss), withVal.map((e) => e.val!.loss), t)
        : null],
    ];
  }
}

export interface RunAnalysis {
  regimes: RegimePoint[];
  insights: InsightEvent[];
  diagnosis: Diagnosis | null;
}

/**
 * Analyses a recorded stream (a finished run, or one still going). ε and the metric come from the
 * `start` event unless given; the diagnosis describes the restored best epoch when the run restored one.
 */
export function analyzeEvents(events: readonly RunEvent[], options: Partial<AnalyzerOptions> = {}): RunAnalysis {
  const start = events.find((e): e is StartEvent => e.type === 'start');
  const analyzer = new RunAnalyzer({
    epsilon: options.epsilon ?? start?.epsilon ?? 0.1,
    metric: options.metric ?? start?.metric ?? 'error',
    ...(options.thresholds ? { thresholds: options.thresholds } : {}),
    ...(options.classCounts ?? start?.data?.classCounts ? { classCounts: options.classCounts ?? start?.data?.classCounts } : {}),
  });
  const insights: InsightEvent[] = [];
  for (const event of events) {
    if (event.type === 'epoch') insights.push(...analyzer.addEpoch(event).insights);
  }
  const end = events.find((e): e is EndEvent => e.type === 'end');
  const at = end?.restoredBest && end.bestEpoch !== undefined ? end.bestEpoch : undefined;
  return { regimes: [...analyzer.regimes], insights, diagnosis: analyzer.diagnosis(at) };
}
