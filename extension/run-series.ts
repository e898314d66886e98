/**
 * The host's copy of one run as the panel draws it: epoch rows and the header, built from metric
 * events (live from the trainer or re-read from events.jsonl). Pure: no vscode, no node.
 */
import type { RunAnalyzer } from '../metrics/diagnosis/insights.js';
import type { Diagnosis, EpochEvent, RunEvent, StartEvent } from '../metrics/diagnosis/events.js';
import type { EpochRow, PanelHeader, PanelSnapshot } from '../webviews/panel/protocol.js';
import { runAnalysis } from './lazy/run-analysis.js';

/** Keeps the panel's list of insights bounded even for a run that raises many. */
const MAX_INSIGHTS = 50;

/** Turns an epoch event into the row the panel plots. */
export function toRow(event: EpochEvent): EpochRow {
  const row: EpochRow = { epoch: event.epoch, trainLoss: event.train.loss, trainError: event.train.error, gradNorms: {} };
  if (event.val) {
    row.valLoss = event.val.loss;
    row.valError = event.val.error;
  }
  if (event.regime) row.regime = event.regime;
  if (event.lr !== undefined) row.lr = event.lr;
  if (event.samplesPerSec !== undefined) row.samplesPerSec = event.samplesPerSec;
  for (const layer of event.layers ?? []) row.gradNorms[layer.name] = layer.gradNorm;
  if (event.step !== undefined) row.step = event.step;
  return row;
}

/** One run's series; `add` returns the new row for an epoch event so the caller can batch it. */
export class RunSeries {
  readonly rows: EpochRow[] = [];
  private readonly current: PanelHeader;
  private analyzer: RunAnalyzer | undefined;
  /** Epochs were added since the diagnosis was last computed (it is computed when the header is read). */
  private diagnosisStale = false;

  /** `analyze: false` for a run whose end event brings the final diagnosis: no live analysis to replay. */
  constructor(runId: string, name = runId, private readonly analyze = true) {
    this.current = { runId, name, status: 'unknown', backend: '', epoch: 0, epochs: 0, epsilon: 0.1, metric: 'error', layers: [], diagnosis: null, insights: [] };
  }

  /**
   * Everything above the charts, with the diagnosis as of the last epoch. The diagnosis is worked out
   * here, when the header is read (a batch sent, a panel opened), not on every epoch: replaying a long
   * stored run epoch by epoch made opening its panel take seconds.
   */
  get header(): PanelHeader {
    if (this.diagnosisStale && this.analyzer) {
      this.current.diagnosis = this.analyzer.diagnosis();
      this.diagnosisStale = false;
    }
    return this.current;
  }

  /**
   * Builds the series of a recorded run; `live` marks a run whose trainer is still going. A finished
   * run's end event carries its diagnosis, so its epochs are not analysed again (the slow part of
   * opening a long run); a run that ended without one, or has not ended, is analysed as it was live.
   * `analyzed`: the events' regimes and insights come from an analysis made elsewhere (a watched
   * run's assembler), whose diagnosis comes with them (`setDiagnosis`): each epoch is analysed once.
   */
  static fromEvents(runId: string, events: readonly RunEvent[], live = false, analyzed = false): RunSeries {
    const ended = events.some((e) => e.type === 'end' && e.diagnosis);
    const series = new RunSeries(runId, runId, !ended && !analyzed);
    for (const event of events) series.add(event);
    // A stored run without an end event was killed along with its writer, unless it is ours and running.
    if (series.current.status === 'running' && !live) series.current.status = 'unknown';
    return series;
  }

  /** Applies one event; returns the row it added, if any. */
  add(event: RunEvent): EpochRow | undefined {
    const h = this.current;
    switch (event.type) {
      case 'start':
        this.onStart(event);
        return undefined;
      case 'epoch': {
        const row = toRow(event);
        this.rows.push(row);
        h.epoch = event.epoch;
        for (const name of Object.keys(row.gradNorms)) if (!h.layers.includes(name)) h.layers.push(name);
        // The live diagnosis comes from the same pure analysis the trainer and the CLI use.
        if (this.analyzer) {
          this.analyzer.addEpoch(event);
          this.diagnosisStale = true;
        }
        return row;
      }
      case 'insight':
      {
        const insight = {
          kind: event.kind, epoch: event.epoch, severity: event.severity, message: event.message, evidence: event.evidence, remedies: event.remedies,
          ...(event.bestEpoch !== undefined ? { bestEpoch: event.bestEpoch } : {}),
        };
        // An update replaces the open insight of its kind: one entry per event, not one per epoch it was seen.
        const open = event.update ? h.insights.findIndex((i) => i.kind === event.kind) : -1;
        if (open >= 0) h.insights.splice(open, 1);
        h.insights.push(insight);
      }
        if (h.insights.length > MAX_INSIGHTS) h.insights.shift();
        return undefined;
      case 'end':
        h.status = event.status;
        if (event.diagnosis) {
          h.diagnosis = event.diagnosis;
          this.diagnosisStale = false;
        }
        if (event.reason ?? event.error) h.reason = event.error ?? event.reason!;
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * The diagnosis worked out where the epochs were analysed (a watched run's assembler, in its
   * worker): shown as it is, never recomputed here. Only for a series built with `analyzed`.
   */
  setDiagnosis(diagnosis: Diagnosis | null): void {
    this.current.diagnosis = diagnosis;
    this.diagnosisStale = false;
  }

  /** A copy-free view for the first message to a (re)opened panel. */
  snapshot(): PanelSnapshot {
    return { header: this.header, rows: this.rows };
  }

  private onStart(event: StartEvent): void {
    const h = this.current;
    h.runId = event.runId;
    h.name = event.name ?? event.runId;
    h.status = 'running';
    h.backend = event.backend;
    h.epochs = event.epochs;
    h.epsilon = event.epsilon;
    h.metric = event.metric;
    h.layers = [...(event.layers ?? [])];
    if (event.axis) h.axis = event.axis;
    else delete h.axis;
    if (this.analyze) {
      const { RunAnalyzer, optionsFromStart } = runAnalysis();
      this.analyzer = new RunAnalyzer(optionsFromStart(event));
    }
  }
}
