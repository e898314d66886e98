/**
 * The panel's charts: loss, error with ε, per-layer gradient norms (log), learning rate (log) and
 * throughput, drawn with chart.js (see chart-factory.ts). The view controls (smoothing, log loss,
 * follow latest) change how the loss and error curves are drawn, never the data.
 */
import { dashed, emptyNotice, line, makeChart, setYType, type LineChart } from './chart-factory.js';
import { MinMaxDownsampler, NumberColumn } from './downsample.js';
import { plottable, type Point } from './points.js';
import type { ComparedRun, EpochRow, PanelHeader } from './protocol.js';
import { RegimeSpans, regimeShading } from './regime-shading.js';
import { DebiasedEma } from './smoothing.js';
import { readPalette, type Palette } from './theme.js';

/** How the charts are drawn, as the header's controls set it. */
export interface ChartView {
  /** TensorBoard smoothing weight of the loss and error curves, 0 = raw. */
  smoothing: number;
  logLoss: boolean;
  /** Extend the x axis with new epochs; off keeps the range it had when turned off. */
  follow: boolean;
}

export const DEFAULT_VIEW: ChartView = { smoothing: 0, logLoss: false, follow: true };

/** One curve: its raw values (typed columns) and its downsampled form, kept as epochs arrive. */
class Curve {
  private readonly xs = new NumberColumn();
  private readonly ys = new NumberColumn();
  private sampler: MinMaxDownsampler;
  private ema: DebiasedEma | undefined;
  private log = false;

  constructor(buckets: number) {
    this.sampler = new MinMaxDownsampler(buckets);
  }

  get buckets(): number {
    return this.sampler.maxBuckets;
  }

  /** Adds a raw value (gaps for a log axis and smoothing are applied as it is drawn). */
  push(x: number, v: number): void {
    this.xs.push(x);
    this.ys.push(v);
    this.feed(x, v);
  }

  /** Redraws every value for a new view (log axis, smoothing weight, chart width): O(length), on user action only. */
  refeed(log: boolean, smoothing: number, buckets = this.sampler.maxBuckets): void {
    this.log = log;
    this.ema = smoothing > 0 ? new DebiasedEma(smoothing) : undefined;
    if (buckets !== this.sampler.maxBuckets) this.sampler = new MinMaxDownsampler(buckets);
    else this.sampler.clear();
    for (let i = 0; i < this.xs.length; i++) this.feed(this.xs.at(i), this.ys.at(i));
  }

  points(): Point[] {
    return this.sampler.points();
  }

  private feed(x: number, v: number): void {
    const y = plottable(v, this.log);
    this.sampler.push(x, this.ema ? this.ema.next(y) : y);
  }
}

type ChartKey = 'loss' | 'error' | 'grads' | 'lr' | 'throughput';


/**
 * Owns the charts of one panel; `setRows`/`appendRows` keep them in step with the host's series.
 * The webview keeps no rows: each curve keeps its values in typed columns and hands chart.js only
 * a min/max downsampled copy about two points per pixel wide, updated incrementally.
 */
export class PanelCharts {
  private palette: Palette = readPalette();
  private layers: readonly string[] = [];
  private epsilon = 0.1;
  private firstEpoch: number | undefined;
  private lastEpoch: number | undefined;
  private view: ChartView = { ...DEFAULT_VIEW };
  private compared: ComparedRun[] = [];
  private readonly regimes = new RegimeSpans();
  private readonly charts: Record<ChartKey, LineChart>;
  private readonly curves = {} as Record<'trainLoss' | 'valLoss' | 'trainError' | 'valError' | 'lr' | 'samplesPerSec', Curve>;
  private grads = new Map<string, Curve>();
  /** Charts last drawn with no data (not redrawn until they get some, or are rebuilt). */
  private readonly drawnEmpty = new Set<ChartKey>();
  private comparedCurves: Curve[] = [];

  constructor(container: HTMLElement) {
    const shading = regimeShading({ spans: () => this.regimes.spans, colors: () => this.palette.regimes });
    // A wider or narrower chart: its curves are re-bucketed for the new width (once chart.js has laid it out).
    const resized = (key: ChartKey) => () => queueMicrotask(() => this.resized(key));
    const muted = () => this.palette.foreground;
    this.charts = {
      loss: makeChart(container, 'Loss', 'linear', [shading], resized('loss')),
      error: makeChart(container, 'Error', 'linear', [shading], resized('error')),
      grads: makeChart(container, 'Gradient norm per layer (log)', 'logarithmic', [emptyNotice('No per-layer gradient norms in this run (the Python helper records them: log.watch(model))', muted)], resized('grads')),
      lr: makeChart(container, 'Learning rate (log)', 'logarithmic', [emptyNotice('No learning rate in this run', muted)], resized('lr')),
      throughput: makeChart(container, 'Throughput (samples/s)', 'linear', [emptyNotice('No throughput in this run', muted)], resized('throughput')),
    };
    this.clearCurves();
  }

  /** Replaces everything (a snapshot from the host). */
  setRows(rows: readonly EpochRow[], header: PanelHeader): void {
    this.clearCurves();
    this.regimes.clear();
    this.firstEpoch = this.lastEpoch = undefined;
    this.ingest(rows);
    this.epsilon = header.epsilon;
    this.rebuild(header.layers);
  }

  /** Adds new epochs: each curve takes its new values, chart.js gets the (small) downsampled curves. */
  appendRows(rows: readonly EpochRow[], header: PanelHeader): void {
    if (rows.length === 0) return;
    this.ingest(rows);
    const epsilonChanged = header.epsilon !== this.epsilon;
    this.epsilon = header.epsilon;
    if (epsilonChanged || header.layers.length !== this.layers.length || header.layers.some((l, i) => l !== this.layers[i])) {
      this.rebuild(header.layers);
      return;
    }
    const c = this.curves;
    const { loss, error, grads, lr, throughput } = this.charts;
    loss.data.datasets[0]!.data = c.trainLoss.points();
    loss.data.datasets[1]!.data = c.valLoss.points();
    error.data.datasets[0]!.data = c.trainError.points();
    error.data.datasets[1]!.data = c.valError.points();
    error.data.datasets[2]!.data = this.epsilonLine();
    this.layers.forEach((layer, i) => { grads.data.datasets[i]!.data = this.grad(layer).points(); });
    lr.data.datasets[0]!.data = c.lr.points();
    throughput.data.datasets[0]!.data = c.samplesPerSec.points();
    this.updateAll();
  }

  /** Applies the header's controls. */
  setView(view: ChartView): void {
    if (view.follow !== this.view.follow) this.freezeX(!view.follow);
    const redraw = view.smoothing !== this.view.smoothing || view.logLoss !== this.view.logLoss;
    this.view = { ...view };
    setYType(this.charts.loss, view.logLoss ? 'logarithmic' : 'linear');
    if (redraw) this.refeedViewCurves();
    this.rebuild(this.layers);
  }

  /** Overlays other runs' validation loss on the loss chart (dashed), replacing the previous ones. */
  setCompared(runs: ComparedRun[]): void {
    this.compared = runs;
    this.comparedCurves = runs.map((run) => {
      const curve = new Curve(this.bucketsOf('loss'));
      for (const v of run.valLoss) curve.push(v.epoch, v.loss);
      return curve;
    });
    this.refeedViewCurves();
    this.rebuild(this.layers);
  }

  /** Re-reads the theme's colours (VS Code switched themes). */
  retheme(): void {
    this.palette = readPalette();
    this.rebuild(this.layers);
  }
  /** All charts as one PNG data URL, stacked, on the editor's background colour. */
  toPng(): string {
    const canvases = Object.values(this.charts).map((c) => c.canvas);
    const out = document.createElement('canvas');
    out.width = Math.max(...canvases.map((c) => c.width));
    out.height = canvases.reduce((sum, c) => sum + c.height, 0);
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, out.width, out.height);
    let y = 0;
    for (const c of canvases) {
      ctx.drawImage(c, 0, y);
      y += c.height;
    }
    return out.toDataURL('image/png');
  }

  /** Off: pins every x axis to the range shown now; on: lets them follow the data again. */
  private freezeX(freeze: boolean): void {
    for (const chart of Object.values(this.charts)) {
      const x = chart.options.scales!.x!;
      if (freeze) {
        x.min = chart.scales.x?.min;
        x.max = chart.scales.x?.max;
      } else {
        delete x.min;
        delete x.max;
      }
    }
  }

  /** Scale bounds follow the epochs: no shading or ε line outside the data. */
  private epsilonLine(): Point[] {
    const first = this.firstEpoch ?? 1;
    const last = this.lastEpoch ?? 1;
    return [{ x: first, y: this.epsilon }, { x: last, y: this.epsilon }];
  }

  /** The curve's width in buckets: half the chart's plot width in pixels (at most 1 point per pixel). */
  private bucketsOf(key: ChartKey): number {
    const chart = this.charts[key];
    // One bucket (its lowest and highest point) per 2 pixels: the envelope a line of 1.5 px shows
    // anyway, with half the points for chart.js to update (and allocate for) on every update.
    return Math.max(16, Math.floor((chart.chartArea?.width || chart.width || 600) / 2));
  }

  private clearCurves(): void {
    const loss = this.bucketsOf('loss');
    const error = this.bucketsOf('error');
    this.curves.trainLoss = new Curve(loss);
    this.curves.valLoss = new Curve(loss);
    this.curves.trainError = new Curve(error);
    this.curves.valError = new Curve(error);
    this.curves.lr = new Curve(this.bucketsOf('lr'));
    this.curves.samplesPerSec = new Curve(this.bucketsOf('throughput'));
    this.grads = new Map();
    this.refeedViewCurves();
    // Log axes: non-positive values are gaps.
    this.curves.lr.refeed(true, 0);
  }

  private grad(layer: string): Curve {
    let curve = this.grads.get(layer);
    if (!curve) {
      curve = new Curve(this.bucketsOf('grads'));
      curve.refeed(true, 0);
      this.grads.set(layer, curve);
    }
    return curve;
  }

  /** Loss and error curves (and the compared runs) drawn for the view's log axis and smoothing. */
  private refeedViewCurves(): void {
    const { smoothing, logLoss } = this.view;
    const c = this.curves;
    for (const curve of [c.trainLoss, c.valLoss, ...this.comparedCurves]) curve.refeed(logLoss, smoothing);
    for (const curve of [c.trainError, c.valError]) curve.refeed(false, smoothing);
  }

  /** Takes the values of new epochs (rows the webview does not keep). */
  private ingest(rows: readonly EpochRow[]): void {
    const c = this.curves;
    for (const r of rows) {
      const x = r.epoch;
      this.firstEpoch ??= x;
      this.lastEpoch = x;
      this.regimes.add(x, r.regime);
      c.trainLoss.push(x, r.trainLoss);
      if (r.valLoss !== undefined) c.valLoss.push(x, r.valLoss);
      c.trainError.push(x, r.trainError);
      if (r.valError !== undefined) c.valError.push(x, r.valError);
      for (const layer in r.gradNorms) this.grad(layer).push(x, r.gradNorms[layer]!);
      if (r.lr !== undefined) c.lr.push(x, r.lr);
      if (r.samplesPerSec !== undefined) c.samplesPerSec.push(x, r.samplesPerSec);
    }
  }

  /** The chart changed width: its curves are re-bucketed for the new one. */
  private resized(key: ChartKey): void {
    const buckets = this.bucketsOf(key);
    const c = this.curves;
    const byChart: Record<ChartKey, Curve[]> = {
      loss: [c.trainLoss, c.valLoss, ...this.comparedCurves], error: [c.trainError, c.valError],
      grads: [...this.grads.values()], lr: [c.lr], throughput: [c.samplesPerSec],
    };
    const curves = byChart[key];
    if (curves.every((curve) => curve.buckets === buckets)) return;
    const { smoothing, logLoss } = this.view;
    for (const curve of curves) {
      if (key === 'loss') curve.refeed(logLoss, smoothing, buckets);
      else if (key === 'error') curve.refeed(false, smoothing, buckets);
      else curve.refeed(key !== 'throughput', 0, buckets);
    }
    this.rebuild(this.layers);
  }

  private rebuild(layers: readonly string[]): void {
    const p = this.palette;
    const c = this.curves;
    this.layers = [...layers];
    const { loss, error, grads, lr, throughput } = this.charts;
    loss.data.datasets = [line('training', c.trainLoss.points(), p.train), line('validation', c.valLoss.points(), p.val)];
    // Other runs after this run's own two curves (appendRows relies on that order); colours after blue and yellow.
    this.compared.forEach((run, i) => {
      loss.data.datasets.push(dashed(line(`${run.name} (validation)`, this.comparedCurves[i]!.points(), p.series[(i + 2) % p.series.length]!)));
    });
    error.data.datasets = [
      line('training', c.trainError.points(), p.train),
      line('validation', c.valError.points(), p.val),
      dashed(line(`ε = ${this.epsilon}`, this.epsilonLine(), p.epsilon)),
    ];
    grads.data.datasets = layers.map((layer, i) => line(layer, this.grad(layer).points(), p.series[i % p.series.length]!));
    lr.data.datasets = [line('learning rate', c.lr.points(), p.train)];
    throughput.data.datasets = [line('samples/s', c.samplesPerSec.points(), p.train)];
    for (const chart of Object.values(this.charts)) this.applyColors(chart);
    this.drawnEmpty.clear();
    this.updateAll();
  }

  private applyColors(chart: LineChart): void {
    const { foreground, grid } = this.palette;
    const scales = chart.options.scales!;
    for (const axis of [scales.x!, scales.y!]) {
      axis.ticks!.color = foreground;
      axis.grid!.color = grid;
      if (axis.title) axis.title.color = foreground;
    }
    chart.options.plugins!.legend!.labels!.color = foreground;
    chart.options.plugins!.title!.color = foreground;
  }

  private updateAll(): void {
    for (const [key, chart] of Object.entries(this.charts) as [ChartKey, LineChart][]) {
      // A chart with nothing to draw, drawn so before, stays as it is: chart.js' option resolution
      // allocates megabytes per update, and a watched run without a learning rate has nothing to add.
      const empty = chart.data.datasets.every((d) => d.data.length === 0);
      if (empty && this.drawnEmpty.has(key)) continue;
      if (empty) this.drawnEmpty.add(key);
      else this.drawnEmpty.delete(key);
      // 'none': no animation.
      chart.update('none');
    }
  }
}
