/**
 * The diagnosis of a run, epoch by epoch: the regime against ε (judged against the noise of the
 * errors, confirmed over epochs) and the insights (gradient flow, loss-curve shape, overfitting
 * onset, class imbalance, an unreachable ε), each with its evidence and remedies chosen from the
 * root cause. Pure: it reads events and returns events, so the trainer, the CLI, the extension
 * and the panel share it.
 */
import { CurveHistory, divergenceAt, oscillationAt, overfittingAt, plateauAt } from './curves.js';
import { describeVerdict, type VerdictFacts } from './describe.js';
import type { Axis, Diagnosis, EndEvent, EpochEvent, ErrorMetric, InsightEvent, InsightKind, LayerStats, Objective, Regime, RunEvent, SplitMetrics, StartEvent } from './events.js';
import { detectDyingRelu, detectExploding, detectNonFinite, detectVanishing, type Detection } from './gradients.js';
import { judge, RegimeTracker, type Judgement, type Label, type RegimePoint } from './regime.js';
import { CAUSE_PRIORITY, chooseRemedies, imbalanceRatio, MAX_REMEDIES, remediesBeside, type Cause } from './remedies.js';
import { resolveThresholds, type Thresholds } from './thresholds.js';
import { estimateError, margin } from './uncertainty.js';

export interface AnalyzerOptions {
  /** The target error ε. */
  epsilon: number;
  metric: ErrorMetric;
  thresholds?: Partial<Thresholds>;
  /** Training examples per class: imbalance is warned about and judged by the balanced error. */
  classCounts?: number[];
  /** `reinforcement`: no bias/variance verdict, and no loss-curve insights that assume a minimised loss. */
  objective?: Objective;
  /** True when the user chose ε; a bare loss (`metric: 'loss'`) is compared with ε only then. */
  epsilonSet?: boolean;
  /** `step` when the run's points are logged steps, not epochs. */
  axis?: Axis;
  /** Split sizes, for the binomial interval when epochs do not carry `n`. */
  sizes?: { train?: number; validation?: number };
  /** The lowest error the data's noise allows, when known. */
  noiseFloor?: number;
}

/** What `addEpoch` returns: the epoch's label and the insights that start (or reopen) at it. */
export interface EpochAnalysis {
  point: RegimePoint;
  /** The confirmed regime, or undefined while undecided or without a verdict. */
  regime: Regime | undefined;
  insights: InsightEvent[];
}

/** Insight kinds reported once per run; the others again after they clear. */
const ONCE: ReadonlySet<InsightKind> = new Set(['non-finite', 'class-imbalance', 'unreachable-epsilon']);

/** Kinds that mean training itself is broken: while one is open, a plateau or oscillation is a symptom, not news. */
const BREAKING: readonly InsightKind[] = ['non-finite', 'divergence', 'exploding-gradients'];

/** Follows one run: feed it epochs in order, read back labels, insights and the diagnosis. */
export class RunAnalyzer {
  readonly thresholds: Thresholds;
  private readonly tracker: RegimeTracker;
  private readonly curves = new CurveHistory();
  private readonly epochs: EpochEvent[] = [];
  /** Index of each epoch number in `epochs`. */
  private readonly indexOf = new Map<number, number>();
  private readonly points: RegimePoint[] = [];
  private readonly judgements: (Judgement | null)[] = [];
  private readonly trainErrors: number[] = [];
  private readonly valErrors: number[] = [];
  private readonly layerHistory: LayerStats[][] = [];
  /** The latest event of each open insight kind. */
  private readonly open = new Map<InsightKind, InsightEvent>();
  /** First epoch each kind was ever raised (one date per event, kept when it reopens). */
  private readonly firstRaised = new Map<InsightKind, number>();
  private readonly raised: InsightKind[] = [];
  private readonly reported = new Set<string>();
  private readonly clearFor = new Map<InsightKind, number>();
  private readonly imbalance: number;
  /** True when the run can get a bias/variance verdict at all. */
  readonly judgeable: boolean;

  constructor(private readonly options: AnalyzerOptions) {
    this.thresholds = resolveThresholds(options.thresholds);
    this.tracker = new RegimeTracker(this.thresholds.confirmEpochs);
    this.imbalance = options.classCounts ? imbalanceRatio(options.classCounts) : 1;
    this.judgeable = options.objective !== 'reinforcement' && (options.metric !== 'loss' || options.epsilonSet === true);
  }

  /** The error the verdict uses: the balanced error for imbalanced classes measured by plain error. */
  get judgedMetric(): ErrorMetric {
    return this.options.metric === 'error' && this.imbalance >= 3 ? 'balanced-error' : this.options.metric;
  }

  /** Adds an epoch; returns its regime label and the insights that start at it. */
  addEpoch(epoch: EpochEvent): EpochAnalysis {
    this.indexOf.set(epoch.epoch, this.epochs.length);
    this.epochs.push(epoch);
    this.layerHistory.push(epoch.layers ?? []);
    this.curves.push(epoch.epoch, epoch.train.loss, epoch.val?.loss ?? Number.NaN, epoch.val?.error ?? Number.NaN);
    const train = this.judged(epoch.train);
    const val = epoch.val ? this.judged(epoch.val) : null;
    this.trainErrors.push(train.error);
    if (val) this.valErrors.push(val.error);
    let judgement: Judgement | null = null;
    let point: RegimePoint;
    if (this.judgeable) {
      const t = estimateError(train, this.judgedMetric, this.trainErrors, this.options.sizes?.train);
      const v = val ? estimateError(val, this.judgedMetric, this.valErrors, this.options.sizes?.validation) : null;
      judgement = judge(t, v, this.options.epsilon, this.thresholds);
      point = this.tracker.next(epoch.epoch, judgement);
    } else {
      point = { epoch: epoch.epoch, raw: 'undecided', label: 'undecided', since: this.epochs[0]!.epoch };
    }
    this.judgements.push(judgement);
    this.points.push(point);
    return { point, regime: point.label === 'undecided' ? undefined : point.label, insights: this.insightsAt(epoch) };
  }

  /** One split's numbers with `error` (and its noise) replaced by the judged error. */
  private judged(split: SplitMetrics): SplitMetrics {
    if (this.judgedMetric === this.options.metric || split.balancedError === undefined) return split;
    const out: SplitMetrics = { ...split, error: split.balancedError };
    if (split.balancedErrorStdErr !== undefined) out.errorStdErr = split.balancedErrorStdErr;
    else delete out.errorStdErr;
    delete out.n;
    return out;
  }

  private insightsAt(epoch: EpochEvent): InsightEvent[] {
    const out: InsightEvent[] = [];
    for (const [kind, detection] of this.detect(epoch)) {
      if (!detection) {
        // A kind re-arms only after staying clear for `rearmEpochs`, so a flickering signal is one event.
        const clear = (this.clearFor.get(kind) ?? 0) + 1;
        this.clearFor.set(kind, clear);
        if (!ONCE.has(kind) && clear >= this.thresholds.rearmEpochs) this.open.delete(kind);
        continue;
      }
      this.clearFor.set(kind, 0);
      if (detection.bestEpoch !== undefined) {
        // An overfitting onset is news once per best epoch, however often the signal flickers.
        const key = `${kind}@${detection.bestEpoch}`;
        if (this.reported.has(key)) continue;
        this.reported.add(key);
      } else if (this.open.has(kind) || (ONCE.has(kind) && this.firstRaised.has(kind))) {
        continue;
      }
      out.push(this.toEvent(epoch.epoch, detection));
    }
    return out;
  }

  /** Records an insight found elsewhere (the trainer's per-batch NaN check), so it is not repeated. */
  noteInsight(insight: InsightEvent): void {
    this.open.set(insight.kind, insight);
    if (!this.firstRaised.has(insight.kind)) this.firstRaised.set(insight.kind, insight.epoch);
    if (!this.raised.includes(insight.kind)) this.raised.push(insight.kind);
    // A broken run's stalls are symptoms: close them so their remedies (raise the rate) do not stand beside the cure.
    if (BREAKING.includes(insight.kind)) for (const k of ['plateau', 'oscillation'] as const) if (k !== insight.kind) this.open.delete(k);
  }

  /**
   * Builds an insight event from a detection and records it. Its remedies leave out any that
   * would contradict the remedies of an insight already open; a kind raised before is an update
   * of that insight, dated from its first epoch.
   */
  toEvent(epoch: number, detection: Detection): InsightEvent {
    const remedies = remediesBeside(detection.kind, [...this.open.values()].flatMap((e) => e.remedies));
    const event: InsightEvent = {
      type: 'insight',
      kind: detection.kind,
      epoch,
      severity: detection.severity,
      message: detection.message,
      evidence: detection.evidence,
      remedies,
    };
    const first = this.firstRaised.get(detection.kind);
    if (first !== undefined) {
      event.update = true;
      event.since = first;
    }
    if (detection.bestEpoch !== undefined) {
      event.bestEpoch = detection.bestEpoch;
      if (remedies[0]?.startsWith('Stop early')) event.remedies[0] = `Stop early at epoch ${detection.bestEpoch} (training.earlyStopping with restoreBest).`;
    }
    this.noteInsight(event);
    return event;
  }

  /** The kinds of insight raised so far, in order. */
  get insightKinds(): InsightKind[] {
    return [...this.raised];
  }

  /** The latest event of each insight kind still open. */
  get openInsights(): InsightEvent[] {
    return [...this.open.values()];
  }

  /** The regime labels so far. */
  get regimes(): readonly RegimePoint[] {
    return this.points;
  }

  /** The epoch with the lowest validation loss up to `upTo` (undefined without validation). */
  bestValEpoch(upTo = Number.POSITIVE_INFINITY): number | undefined {
    // Up to the latest epoch, the running best answers at once (a live diagnosis asks every epoch).
    const last = this.epochs[this.epochs.length - 1];
    if (last && upTo >= last.epoch) return this.curves.bestVal >= 0 ? this.curves.epochs[this.curves.bestVal] : undefined;
    let best: EpochEvent | undefined;
    for (const e of this.epochs) {
      if (e.epoch > upTo || !e.val || !Number.isFinite(e.val.loss)) continue;
      if (!best || e.val.loss < best.val!.loss) best = e;
    }
    return best?.epoch;
  }

  /**
   * The diagnosis at `epoch` (default: the last epoch); null before any epoch. `failure` is why
   * the run failed, when it did: a failed run is diagnosed as failed, not as a regime.
   */
  diagnosis(epoch?: number, failure?: string): Diagnosis | null {
    const index = epoch === undefined ? this.epochs.length - 1 : this.indexOf.get(epoch) ?? -1;
    const e = this.epochs[index];
    const point = this.points[index];
    if ((!e || !point) && failure !== undefined && epoch === undefined) return this.failedBeforeAnyEpoch(failure);
    if (!e || !point) return null;
    // A restored epoch's weights are the model: judge them by that epoch's own call. Otherwise the
    // evidence comes from the latest epoch that supports the confirmed label, so the words never
    // state numbers that contradict the headline while a change waits for confirmation.
    const restored = epoch !== undefined && this.judgements[index] !== null && this.judgements[index]!.label !== 'undecided';
    const label: Label = restored ? this.judgements[index]!.label : point.label;
    let support = index;
    if (!restored && label !== 'undecided') while (support > 0 && this.judgements[support]?.label !== label) support--;
    const judgement = this.judgements[support] ?? null;
    const pending = !restored && support !== index ? this.judgements[index]?.label : undefined;
    const metric = this.judgedMetric;
    const train = this.judged(e.train);
    const val = e.val ? this.judged(e.val) : undefined;
    const broke = failure ?? this.breakage(index);
    const facts: VerdictFacts = {
      state: broke ? 'failed' : !this.judgeable ? 'no-verdict' : label === 'undecided' ? 'undecided' : 'decided',
      label,
      since: restored ? e.epoch : point.since,
      epsilon: this.options.epsilon,
      metric,
      judgement,
      trainError: judgement?.train.value ?? train.error,
      valError: judgement?.val?.value ?? (val ? val.error : null),
      unit: this.options.axis ?? 'epoch',
      ...(pending !== undefined ? { pending, supportAt: this.pointNumber(support) } : {}),
      at: this.pointNumber(index),
      sinceAt: restored ? this.pointNumber(index) : this.pointNumber(this.indexOf.get(point.since) ?? 0),
      ...(broke ? { failure: broke } : {}),
      ...(this.options.objective ? { objective: this.options.objective } : {}),
      ...(this.judgedMetric !== this.options.metric ? { imbalance: this.imbalance, plainError: (e.val ?? e.train).error } : {}),
    };
    const words = describeVerdict(facts);
    const regime = facts.state === 'decided' ? (label as Regime) : null;
    const causes = new Set<Cause>(this.open.keys());
    if (regime) causes.add(regime);
    // Imbalanced classes explain a high bias whatever error measured it.
    if (this.imbalance >= 3 && (regime === 'high-bias' || regime === 'high-bias-and-variance')) causes.add('class-imbalance');
    if (facts.state === 'no-verdict') for (const k of ['plateau'] as const) causes.delete(k);
    const best = this.bestValEpoch(e.epoch);
    const remedies = chooseRemedies(causes, MAX_REMEDIES).map((c) => (c.cause === 'high-variance' && best !== undefined && c.text.startsWith('Stop early') ? `Stop early, at epoch ${best} (lowest validation loss).` : c.text));
    const gap = judgement?.gap ?? null;
    const out: Diagnosis = {
      state: facts.state,
      regime,
      headline: words.headline,
      evidence: words.evidence,
      epoch: e.epoch,
      since: facts.since,
      metric,
      epsilon: this.options.epsilon,
      trainError: train.error,
      valError: val ? val.error : null,
      gap: val ? val.error - train.error : null,
      summary: words.summary,
      remedies,
    };
    if (gap && Number.isFinite(gap.stdErr)) out.gapMargin = margin(gap, this.thresholds.z);
    if (this.options.axis) out.axis = this.options.axis;
    if (this.options.axis === 'step' && e.step !== undefined) out.step = e.step;
    if (this.judgedMetric !== this.options.metric) out.balancedError = (val ?? train).error;
    return out;
  }

  /** A run that failed before its first epoch ended (a NaN in the first batches): failed, with the cause. */
  private failedBeforeAnyEpoch(failure: string): Diagnosis {
    const words = describeVerdict({ state: 'failed', label: 'undecided', since: 0, epsilon: this.options.epsilon, metric: this.options.metric, judgement: null, trainError: Number.NaN, valError: null, unit: this.options.axis ?? 'epoch', at: 0, sinceAt: 0, failure });
    return {
      state: 'failed', regime: null, headline: words.headline, evidence: words.evidence, epoch: 0, since: 0,
      metric: this.options.metric, epsilon: this.options.epsilon, trainError: Number.NaN, valError: null, gap: null,
      summary: words.summary, remedies: chooseRemedies(this.open.keys()).map((c) => c.text),
    };
  }

  /** Why training broke by epoch `index`, if it did: a non-finite value, or a divergence still open at the end. */
  private breakage(index: number): string | undefined {
    const nonFinite = this.open.get('non-finite');
    if (nonFinite && nonFinite.epoch <= this.epochs[index]!.epoch) return nonFinite.message;
    if (index !== this.epochs.length - 1) return undefined;
    const e = this.epochs[index]!;
    if (!Number.isFinite(e.train.loss)) return `the training loss is ${e.train.loss}`;
    const divergence = this.open.get('divergence');
    if (divergence && this.clearFor.get('divergence') === 0) return divergence.message;
    return undefined;
  }

  /** The number users see for the point at `index`: its epoch, or its step on a step axis. */
  private pointNumber(index: number): number {
    const e = this.epochs[index]!;
    return this.options.axis === 'step' ? e.step ?? e.epoch : e.epoch;
  }

  private detect(epoch: EpochEvent): [InsightKind, Detection | null][] {
    const t = this.thresholds;
    const layers = epoch.layers ?? [];
    const h = this.curves;
    const rl = this.options.objective === 'reinforcement';
    // ε applies to the curve checks only when it can be compared with the error at all.
    const epsilon = this.judgeable ? this.options.epsilon : null;
    const trainError = this.judgeable ? this.trainErrors[this.trainErrors.length - 1]! : null;
    const broken = () => BREAKING.some((k) => this.open.has(k));
    const checks: [InsightKind, () => Detection | null][] = [
      ['non-finite', () => detectNonFinite({ 'training loss': epoch.train.loss, 'validation loss': epoch.val?.loss }, layers)],
      ['exploding-gradients', () => detectExploding(this.layerHistory, rl ? Number.NaN : epoch.train.loss, t)],
      ['divergence', () => (rl ? null : divergenceAt(h, t))],
      ['vanishing-gradients', () => detectVanishing(this.layerHistory, t)],
      ['dying-relu', () => detectDyingRelu(this.layerHistory, t)],
      ['class-imbalance', () => this.imbalanceAt(epoch)],
      ['unreachable-epsilon', () => this.unreachableAt()],
      ['oscillation', () => (rl || broken() ? null : oscillationAt(h, trainError, epsilon, t))],
      ['plateau', () => (rl || broken() || this.open.has('oscillation') ? null : plateauAt(h, trainError, epsilon, t))],
      ['overfitting-onset', () => (rl ? null : overfittingAt(h, t, this.trainNearEpsilon(), epsilon))],
    ];
    return checks.map(([kind, check]) => [kind, check()]);
  }

  /** False while the training error is clearly above ε: overfitting needs a model that fits its training data. */
  private trainNearEpsilon(): boolean {
    if (!this.judgeable) return true;
    const j = this.judgements[this.judgements.length - 1];
    return !j || j.label === 'high-variance' || j.label === 'good-fit' || j.train.value <= this.options.epsilon * 1.5;
  }

  private imbalanceAt(epoch: EpochEvent): Detection | null {
    if (this.options.metric !== 'error' || this.imbalance < 3) return null;
    const split = epoch.val ?? epoch.train;
    if (split.balancedError === undefined) return null;
    const ratio = this.imbalance >= 10 ? this.imbalance.toFixed(0) : this.imbalance.toFixed(1);
    return {
      kind: 'class-imbalance',
      severity: 'warning',
      message: `The classes are ${ratio}:1, so plain error flatters the model (${round3(split.error)}); the balanced error, which weighs each class alike, is ${round3(split.balancedError)} and is what the verdict uses.`,
      evidence: { imbalanceRatio: this.imbalance, error: split.error, balancedError: split.balancedError },
    };
  }

  private unreachableAt(): Detection | null {
    const floor = this.options.noiseFloor;
    if (!this.judgeable || floor === undefined || !(this.options.epsilon < floor)) return null;
    return {
      kind: 'unreachable-epsilon',
      severity: 'warning',
      message: `ε = ${this.options.epsilon} is below the noise floor of this data (about ${round3(floor)}): no model can reach it, so a high bias here is the data's noise, not the model's.`,
      evidence: { epsilon: this.options.epsilon, noiseFloor: floor },
    };
  }
}

const round3 = (x: number) => Number(x.toPrecision(3));

/** Insights in the order to show them: errors first, then by how close their cause is to the root, then newest first. */
export function rankInsights<T extends Pick<InsightEvent, 'kind' | 'severity' | 'epoch'>>(insights: readonly T[]): T[] {
  const severity = { error: 0, warning: 1, info: 2 } as const;
  return [...insights].sort((a, b) => severity[a.severity] - severity[b.severity]
    || CAUSE_PRIORITY.indexOf(a.kind) - CAUSE_PRIORITY.indexOf(b.kind)
    || b.epoch - a.epoch);
}

/** The latest event of each insight kind (an update replaces the event it updates). */
export function latestPerKind(insights: readonly InsightEvent[]): InsightEvent[] {
  const byKind = new Map<InsightKind, InsightEvent>();
  for (const i of insights) byKind.set(i.kind, i);
  return [...byKind.values()];
}

export interface RunAnalysis {
  regimes: RegimePoint[];
  insights: InsightEvent[];
  diagnosis: Diagnosis | null;
  /** The insights still open at the end, latest event of each. */
  open: InsightEvent[];
}

/** The analyzer options a `start` event implies. */
export function optionsFromStart(start: StartEvent | undefined, options: Partial<AnalyzerOptions> = {}): AnalyzerOptions {
  const classCounts = options.classCounts ?? start?.data?.classCounts;
  const sizes = options.sizes ?? (start?.data ? { train: start.data.train, validation: start.data.validation } : undefined);
  const noiseFloor = options.noiseFloor ?? start?.data?.noiseFloor;
  const objective = options.objective ?? start?.objective;
  const axis = options.axis ?? start?.axis;
  const epsilonSet = options.epsilonSet ?? start?.epsilonSet;
  return {
    epsilon: options.epsilon ?? start?.epsilon ?? 0.1,
    metric: options.metric ?? start?.metric ?? 'error',
    ...(options.thresholds ? { thresholds: options.thresholds } : {}),
    ...(classCounts ? { classCounts } : {}),
    ...(sizes ? { sizes } : {}),
    ...(noiseFloor !== undefined ? { noiseFloor } : {}),
    ...(objective ? { objective } : {}),
    ...(axis ? { axis } : {}),
    ...(epsilonSet !== undefined ? { epsilonSet } : {}),
  };
}

/**
 * Analyses a recorded stream (a finished run, or one still going). ε and the metric come from the
 * `start` event unless given; the diagnosis describes the restored best epoch when the run restored
 * one, and a failed run as failed.
 */
export function analyzeEvents(events: readonly RunEvent[], options: Partial<AnalyzerOptions> = {}): RunAnalysis {
  const start = events.find((e): e is StartEvent => e.type === 'start');
  const analyzer = new RunAnalyzer(optionsFromStart(start, options));
  const insights: InsightEvent[] = [];
  for (const event of events) {
    if (event.type === 'epoch') insights.push(...analyzer.addEpoch(event).insights);
  }
  const end = events.find((e): e is EndEvent => e.type === 'end');
  const at = end?.restoredBest && end.bestEpoch !== undefined ? end.bestEpoch : undefined;
  const failure = end?.status === 'failed' ? end.error ?? end.reason ?? 'the run failed' : undefined;
  return { regimes: [...analyzer.regimes], insights, diagnosis: analyzer.diagnosis(at, failure), open: analyzer.openInsights };
}

