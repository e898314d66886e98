/**
 * Turns the scalar series of a run logged by another tool into Fitcheck's metric events, so the
 * panel, the CLI and the insights treat it like a run of the bundled trainer. Epochs are the steps
 * at which validation was logged (else the steps of the training loss); training values logged more
 * often (per batch) are averaged over each epoch's steps.
 */
import { optionsFromStart, RunAnalyzer } from '../diagnosis/insights.js';
import { axisOf, objectiveOfTags } from '../diagnosis/objective.js';
import type { Diagnosis, EndEvent, EpochEvent, ErrorMetric, LayerStats, RunEvent, RunStatus, SplitMetrics, StartEvent, Task } from '../diagnosis/events.js';
import { METRICS_FORMAT, METRICS_FORMAT_VERSION } from '../diagnosis/events.js';
import type { ScalarSeries } from '../diagnosis/scalars.js';
import { assignRoles, layerTag, type Role, type TagMapping } from './tag-roles.js';

export interface AssembleOptions {
  runId: string;
  name: string;
  /** What wrote the run (`tensorboard`, `csv`, `pytorch`…), shown as the backend. */
  source: string;
  /** The source in words for the start note ("TensorBoard event files"); `source` when absent. */
  sourceWords?: string;
  /** The target error ε (default 0.1). */
  epsilon?: number;
  task?: Task;
  mapping?: TagMapping;
  /** Fitcheck events read from the files (the helper's `start` and `end`). */
  events?: readonly RunEvent[];
  /** Planned epochs, when known. */
  plannedEpochs?: number;
  /**
   * The writer is still going: an epoch whose validation arrived before its training values (two
   * writers flushing separately) waits for them instead of showing the previous epoch's.
   */
  live?: boolean;
  /**
   * Kept by the caller between live assemblies of one run: a run that only grew (its files
   * appended to, in step order) is extended from where the last assembly stopped instead of being
   * rebuilt, so an update costs what was added, not the whole run. `key` changes when the caller
   * knows earlier points changed (a file rewritten, truncated or added).
   */
  cache?: { key: string; state?: AssemblyState | undefined };
}

/** Where the last live assembly stopped (see `AssembleOptions.cache`). */
export interface AssemblyState {
  signature: string;
  /** The start, epochs and insights so far (no end). */
  events: RunEvent[];
  analyzer: RunAnalyzer;
  cursors: Map<Role, WindowCursor>;
  layerCursors: LayerCursor[];
  from: number;
  count: number;
  /** Anchor points made into epochs (or skipped) so far. */
  done: number;
}

interface LayerCursor {
  name: string;
  grad: WindowCursor;
  weight: WindowCursor | undefined;
}

export interface AssembledRun {
  /** The first `kept` events are those of the previous assembly with the same cache, unchanged. */
  kept?: number;
  events: RunEvent[];
  /** Which tag filled each role (shown to the user, so a wrong guess can be corrected). */
  roles: Partial<Record<Role, string>>;
  metric: ErrorMetric;
  /** The diagnosis at the last epoch, from the analysis that gave the epochs their regimes (so no reader analyses them again). */
  diagnosis?: Diagnosis | null;
}

const ROLE_WORDS: Record<Role, string> = {
  trainLoss: 'training loss',
  valLoss: 'validation loss',
  trainAccuracy: 'training accuracy',
  valAccuracy: 'validation accuracy',
  trainError: 'training error',
  valError: 'validation error',
  learningRate: 'learning rate',
};

/** A series sorted by step, one value per step (the last one logged, as TensorBoard shows it). */
interface Sorted {
  steps: Float64Array;
  values: Float64Array;
  wallTimes: Float64Array;
  /** The columns as read (in step order, one value per step): a live run that grew only appended to them. */
  asRead?: boolean;
}

/** `dedupe` false keeps repeated steps (gradient records of several passes logged at one step, averaged later). */
function sortSeries(series: ScalarSeries, dedupe = true): Sorted {
  const n = series.length;
  const steps = series.steps.subarray(0, n);
  const values = series.values.subarray(0, n);
  const wallTimes = series.wallTimes.subarray(0, n);
  let ordered = true;
  let repeats = false;
  for (let i = 1; i < n && ordered; i++) {
    ordered = steps[i - 1]! <= steps[i]!;
    if (steps[i - 1] === steps[i]) repeats = true;
  }
  // Logs are nearly always in step order with one value per step: views of the columns, no copy
  // (for a million points a copy and sort took most of a second).
  if (ordered && (!dedupe || !repeats)) return { steps, values, wallTimes, asRead: !repeats };
  const order = ordered ? undefined : Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => steps[a]! - steps[b]! || a - b);
  const out: Sorted = { steps: new Float64Array(n), values: new Float64Array(n), wallTimes: new Float64Array(n) };
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    const step = steps[i]!;
    if (dedupe && m > 0 && out.steps[m - 1] === step) {
      out.values[m - 1] = values[i]!;
      out.wallTimes[m - 1] = wallTimes[i]!;
    } else {
      out.steps[m] = step;
      out.values[m] = values[i]!;
      out.wallTimes[m] = wallTimes[i]!;
      m += 1;
    }
  }
  return { steps: out.steps.subarray(0, m), values: out.values.subarray(0, m), wallTimes: out.wallTimes.subarray(0, m) };
}

/** Walks a sorted series window by window: the mean of the points in (from, to], else the last value before. */
class WindowCursor {
  /** The first point not taken yet. */
  i = 0;
  private last: number | undefined;
  constructor(private s: Sorted) {}

  /** Goes on over the same series grown (a live run: the points taken are unchanged). */
  rebase(s: Sorted): void {
    this.s = s;
  }

  /** Whether every point not taken yet lies after `step` (else a point arrived for a window already closed). */
  allAfter(step: number): boolean {
    return this.i >= this.s.steps.length || this.s.steps[this.i]! > step;
  }

  take(from: number, to: number): number | undefined {
    let sum = 0;
    let n = 0;
    while (this.i < this.s.steps.length && this.s.steps[this.i]! <= to) {
      const value = this.s.values[this.i]!;
      if (this.s.steps[this.i]! > from) {
        sum += value;
        n += 1;
      }
      this.last = value;
      this.i += 1;
    }
    return n > 0 ? sum / n : this.last;
  }
}

/** At most this many epochs from an anchor without validation (a per-batch loss); more are grouped. */
export const MAX_THINNED_EPOCHS = 1000;

/**
 * A per-batch anchor of a run with no validation turns every logged step into an "epoch"; past
 * MAX_THINNED_EPOCHS, consecutive steps are grouped (a power of two of them, so the grouping changes
 * only when the run doubles) and each group's values averaged, keeping the insights' cost bounded.
 */
function thin(s: Sorted, completeOnly: boolean): Sorted & { thinnedBy: number; source: number } {
  const n = s.steps.length;
  if (n <= MAX_THINNED_EPOCHS) return { ...s, thinnedBy: 1, source: n };
  const k = 2 ** Math.ceil(Math.log2(n / MAX_THINNED_EPOCHS));
  // Live, a group still filling waits: shown now, its epoch would change with every new step, and
  // every update would replace the run instead of appending to it.
  const count = completeOnly ? Math.floor(n / k) : Math.ceil(n / k);
  const out = { steps: new Float64Array(count), values: new Float64Array(count), wallTimes: new Float64Array(count), thinnedBy: k, source: n };
  for (let g = 0; g < count; g++) {
    const j = Math.min(g * k + k - 1, n - 1);
    out.steps[g] = s.steps[j]!;
    out.values[g] = s.values[j]!;
    out.wallTimes[g] = s.wallTimes[j]!;
  }
  return out;
}

/** Accuracy logged in percent (values above 1) is read as a fraction. */
function asFraction(values: Float64Array): Float64Array {
  let max = 0;
  for (const v of values) if (Number.isFinite(v) && v > max) max = v;
  return max > 1 && max <= 100 ? values.map((v) => v / 100) : values;
}

/** The run's events: a start, an epoch per validation step, insights after their epoch, and an end when the writer wrote one. */
export function assembleRun(series: ReadonlyMap<string, ScalarSeries>, options: AssembleOptions): AssembledRun {
  const roles = assignRoles(series.keys(), options.mapping);
  const sorted = new Map<Role, Sorted>();
  for (const [role, tag] of Object.entries(roles) as [Role, string][]) {
    const s = sortSeries(series.get(tag)!);
    if (role !== 'trainLoss' && role !== 'valLoss' && role !== 'learningRate') s.values = asFraction(s.values);
    sorted.set(role, s);
  }
  const layers: { name: string; grad: Sorted; weight?: Sorted }[] = [];
  for (const [tag, s] of series) {
    const layer = layerTag(tag);
    if (layer?.kind === 'grad') {
      const weightKey = [...series.keys()].find((k) => layerTag(k)?.kind === 'weight' && layerTag(k)!.layer === layer.layer);
      layers.push({ name: layer.layer, grad: sortSeries(s, false), ...(weightKey ? { weight: sortSeries(series.get(weightKey)!, false) } : {}) });
    }
  }
  // One definition of the error for both splits: 1 − accuracy only when each split has an accuracy
  // (or an error); otherwise both compare their loss (a training loss against a validation error
  // would call a good run biased).
  const trainAcc = sorted.has('trainAccuracy') || sorted.has('trainError');
  const valAcc = sorted.has('valAccuracy') || sorted.has('valError');
  const hasVal = valAcc || sorted.has('valLoss');
  const metric: ErrorMetric = trainAcc && (!hasVal || valAcc || !sorted.has('trainLoss')) ? 'error' : 'loss';
  const hasAccuracy = metric === 'error';
  const anchorRole = (['valLoss', 'valAccuracy', 'valError', 'trainLoss', 'trainAccuracy', 'trainError'] as const).find((r) => sorted.has(r));
  const helperStart = options.events?.find((e): e is StartEvent => e.type === 'start');
  const helperEnd = options.events?.find((e): e is EndEvent => e.type === 'end');
  const anchor = anchorRole ? thin(sorted.get(anchorRole)!, options.live === true && !helperEnd) : undefined;
  let t0 = Number.POSITIVE_INFINITY;
  for (const s of sorted.values()) for (const t of s.wallTimes) if (t < t0) t0 = t;
  // A log with no recognised tag (a TF1 DQN's rewards) still started when its first scalar was written.
  if (t0 === Number.POSITIVE_INFINITY) for (const s of series.values()) for (const t of s.wallTimes.subarray(0, s.length)) if (t > 0 && t < t0) t0 = t;
  if (t0 === Number.POSITIVE_INFINITY) t0 = Number.NaN;
  const epsilonSet = options.epsilon !== undefined || typeof helperStart?.epsilon === 'number';
  const epsilon = options.epsilon ?? (typeof helperStart?.epsilon === 'number' ? helperStart.epsilon : 0.1);
  const objective = helperStart?.objective ?? objectiveOfTags(series.keys());
  const axis = helperStart?.axis ?? axisOf(anchorRole ? roles[anchorRole] : undefined, anchor?.steps ?? []);
  const task: Task = options.task ?? helperStart?.task ?? (hasAccuracy ? 'multiclass' : 'regression');
  const notes = [
    `Read from ${options.sourceWords ?? options.source}. ${Object.entries(roles).map(([role, tag]) => `${ROLE_WORDS[role as Role]}: "${tag}"`).join(', ') || 'No tag was recognised as a loss or an accuracy'}.`,
  ];
  if (objective === 'reinforcement') {
    notes.push('Reinforcement-learning tags (rewards, episodes, policy or value losses): no bias/variance verdict; gradient and non-finite checks still apply.');
  } else if (metric === 'loss' && Object.keys(roles).length > 0) {
    const why = trainAcc || valAcc ? 'An accuracy was logged for one split only' : 'No accuracy was logged';
    notes.push(epsilonSet
      ? `${why}: the regimes compare the loss of each split with the ε you set.`
      : `${why}: no bias/variance verdict until you log an accuracy or set ε for this loss; trend checks still apply.`);
  }
  // The note names the grouping, not the count of steps: it must not change with every step logged.
  if (anchor && anchor.thinnedBy > 1) notes.push(`More than ${MAX_THINNED_EPOCHS.toLocaleString('en-US')} logged steps: drawn as epochs of ${anchor.thinnedBy} steps each (values averaged).`);
  const start: StartEvent = {
    type: 'start',
    format: METRICS_FORMAT,
    version: METRICS_FORMAT_VERSION,
    runId: options.runId,
    time: helperStart?.time ?? (Number.isFinite(t0) ? new Date(t0 * 1000).toISOString() : new Date(0).toISOString()),
    // The helper's own name for the run says more than its file name.
    name: helperStart?.name ?? options.name,
    backend: helperStart?.backend ?? options.source,
    versions: helperStart?.versions ?? {},
    task,
    metric,
    epsilon,
    // Unknown for a run logged elsewhere (0); a count that grew each epoch would make every update a reset.
    epochs: options.plannedEpochs ?? 0,
    layers: layers.map((l) => l.name),
    notes,
    objective,
    epsilonSet,
    axis,
  };
  // What must not change for the last assembly to be extended: the start (tags, roles, grouping,
  // t0, notes), the split of roles, the scaling of accuracies, the layers, and the caller's key.
  const scaled = [...sorted].map(([role, x]) => `${role}:${x.values.buffer === series.get(roles[role]!)?.values.buffer ? 1 : 0}`).join(',');
  const signature = `${options.cache?.key ?? ''}\n${JSON.stringify(start)}\n${JSON.stringify(roles)}\n${scaled}\n${hasVal}`;
  const previous = options.cache?.state;
  const asRead = [...sorted.values()].every((x) => x.asRead) && layers.every((l) => l.grad.asRead && (!l.weight || l.weight.asRead));
  let state: AssemblyState;
  let kept = 0;
  // Grouped epochs are extended only while whole groups alone are shown (live): a last group still
  // filling would change.
  const extendable = asRead && (!anchor || anchor.thinnedBy === 1 || (options.live === true && !helperEnd));
  if (previous && previous.signature === signature && extendable
    && [...sorted].every(([role, x]) => { const c = previous.cursors.get(role); c?.rebase(x); return c !== undefined && c.allAfter(previous.from); })
    && layers.length === previous.layerCursors.length
    && layers.every((l, k) => {
      const c = previous.layerCursors[k]!;
      c.grad.rebase(l.grad);
      if (l.weight && c.weight) c.weight.rebase(l.weight);
      return c.name === l.name && !l.weight === !c.weight && c.grad.allAfter(previous.from) && (!c.weight || c.weight.allAfter(previous.from));
    })) {
    state = previous;
    kept = state.events.length;
  } else {
    state = {
      signature,
      events: [start],
      analyzer: new RunAnalyzer(optionsFromStart(start)),
      cursors: new Map([...sorted].map(([role, x]) => [role, new WindowCursor(x)])),
      layerCursors: layers.map((l) => ({ name: l.name, grad: new WindowCursor(l.grad), weight: l.weight ? new WindowCursor(l.weight) : undefined })),
      from: Number.NEGATIVE_INFINITY,
      count: 0,
      done: 0,
    };
  }
  const analyzer = state.analyzer;
  if (anchor) {
    const { cursors, layerCursors } = state;
    // The last epoch waits while a split's series has not reached its step yet (live only).
    const splitRoles: Role[] = ['trainLoss', 'trainAccuracy', 'trainError', 'valLoss', 'valAccuracy', 'valError'];
    const lastStep = anchor.steps[anchor.steps.length - 1]!;
    const behind = options.live === true && !helperEnd && splitRoles.some((r) => {
      const x = sorted.get(r);
      return x !== undefined && x.steps.length > 0 && x.steps[x.steps.length - 1]! < lastStep;
    });
    const end = behind ? anchor.steps.length - 1 : anchor.steps.length;
    for (let i = state.done; i < end; i++) {
      const step = anchor.steps[i]!;
      const from = state.from;
      const value = (role: Role) => cursors.get(role)?.take(from, step);
      const split = (loss: number | undefined, accuracy: number | undefined, error: number | undefined): SplitMetrics | undefined => {
        const err = metric === 'loss' ? loss : error ?? (accuracy !== undefined ? 1 - accuracy : undefined);
        if (err === undefined && loss === undefined) return undefined;
        // A split with only an accuracy draws its error as its loss rather than leaving a hole.
        const metrics: SplitMetrics = { loss: loss ?? err!, error: err ?? Number.NaN };
        if (accuracy !== undefined) metrics.accuracy = accuracy;
        return metrics;
      };
      const train = split(value('trainLoss'), value('trainAccuracy'), value('trainError'));
      const val = hasVal ? split(value('valLoss'), value('valAccuracy'), value('valError')) : undefined;
      const lr = value('learningRate');
      const layerStats: LayerStats[] = [];
      for (const l of layerCursors) {
        const grad = l.grad.take(from, step);
        if (grad !== undefined) layerStats.push({ name: l.name, kind: 'dense', gradNorm: grad, weightNorm: l.weight?.take(from, step) ?? Number.NaN, updateRatio: Number.NaN });
      }
      state.from = step;
      state.done = i + 1;
      if (!train) continue;
      const epoch: EpochEvent = {
        type: 'epoch',
        epoch: ++state.count,
        step,
        train,
        wallTime: Number.isFinite(t0) && Number.isFinite(anchor.wallTimes[i]!) ? anchor.wallTimes[i]! - t0 : 0,
      };
      if (val) epoch.val = val;
      if (lr !== undefined) epoch.lr = lr;
      if (layerStats.length > 0) epoch.layers = layerStats;
      const { regime, insights } = analyzer.addEpoch(epoch);
      if (regime) epoch.regime = regime;
      state.events.push(epoch);
      for (const insight of insights) state.events.push(insight);
    }
  }
  if (options.cache) options.cache.state = extendable ? state : undefined;
  // A copy: the state goes on growing, the caller's list must not.
  const events = state.events.slice();
  const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
  if (helperEnd) {
    const last = epochs[epochs.length - 1];
    const status: RunStatus = helperEnd.status === 'failed' || helperEnd.status === 'stopped' ? helperEnd.status : 'completed';
    const end: EndEvent = {
      type: 'end',
      status,
      epochs: epochs.length,
      wallTime: typeof helperEnd.wallTime === 'number' ? helperEnd.wallTime : last?.wallTime ?? 0,
      diagnosis: analyzer.diagnosis(),
      insights: analyzer.insightKinds,
    };
    if (helperEnd.error) end.error = helperEnd.error;
    const best = analyzer.bestValEpoch();
    if (best !== undefined) end.bestEpoch = best;
    events.push(end);
  }
  return { events, roles, metric, kept, diagnosis: analyzer.diagnosis() };
}
