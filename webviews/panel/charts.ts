/**
 * The panel's charts: loss, error with ε, per-layer gradient norms (log), learning rate (log) and
 * throughput, drawn with chart.js (see chart-factory.ts). Only charts with data are shown (the loss
 * chart always), and each lists only the series it has. The view controls (smoothing, log loss,
 * follow latest, zoom) change how the curves are drawn, never the data.
 */
import { CHART_KEYS, chartEntries, type ChartKey, type SeriesPresence } from './chart-series.js';
import { dashed, line, makeChart, setYType, type AxisType, type ChartBox, type Line, type LineChart } from './chart-factory.js';
import type { EpochRange } from './insight-groups.js';
import { MinMaxDownsampler, NumberColumn } from './downsample.js';
import { plottable, type Point } from './points.js';
import type { ComparedRun, EpochRow, PanelHeader } from './protocol.js';
import { RegimeSpans, regimeShading } from './regime-shading.js';
import { DebiasedEma } from './smoothing.js';
import { readPalette, type Palette } from './theme.js';
import { XAxis } from './x-axis.js';
import type { Plugin } from 'chart.js';

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
  /** How many finite values it holds: a curve without any draws nothing and gets no legend entry. */
  private finite = 0;
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
    if (Number.isFinite(v)) this.finite++;
    this.feed(x, v);
  }

  /** Whether it has anything to draw. */
  get hasData(): boolean {
    return this.finite > 0;
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

const KEYS = CHART_KEYS;

/** One dataset a chart should show now. */
interface Series {
  label: string;
  curve: Curve | (() => Point[]);
  color: string;
  dashed?: boolean;
}

/** Outlines the highlighted epochs (an insight clicked in the header) on every chart. */
function highlightBand(range: () => EpochRange | undefined, color: () => string): Plugin<'line'> {
  return {
    id: 'fitcheckHighlight',
    beforeDatasetsDraw(chart) {
      const r = range();
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!r || !x || !area) return;
      const left = Math.max(area.left, x.getPixelForValue(r.from - 0.5));
      const right = Math.min(area.right, x.getPixelForValue(r.to + 0.5));
      if (right <= left) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = color();
      ctx.globalAlpha = 0.12;
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      ctx.globalAlpha = 0.9;
      ctx.strokeStyle = color();
      ctx.setLineDash([4, 3]);
      ctx.lineWidth = 1;
      ctx.strokeRect(left + 0.5, area.top + 0.5, Math.max(1, right - left - 1), area.bottom - area.top - 1);
      ctx.restore();
    },
  };
}

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
  private highlighted: EpochRange | undefined;
  private readonly regimes = new RegimeSpans();
  /** The x axis's words: epochs, or the steps a watched log logged. */
  readonly xAxis = new XAxis();
  /** The charts made so far: a chart is made when it first has data (the loss chart at once). */
  private readonly boxes: Partial<Record<ChartKey, ChartBox>> = {};
  /** Each chart's box, in the grid's order (empty until its chart is made). */
  private readonly slots = {} as Record<ChartKey, HTMLElement>;
  private readonly make: (key: ChartKey) => ChartBox;
  private readonly curves = {} as Record<'trainLoss' | 'valLoss' | 'trainError' | 'valError' | 'lr' | 'samplesPerSec', Curve>;
  private grads = new Map<string, Curve>();
  /** Per chart, the labels and colours of the datasets it has: the same ones only get new points. */
  private readonly shapes = new Map<ChartKey, string>();
  private comparedCurves: Curve[] = [];

  constructor(private readonly container: HTMLElement, private readonly onZoomChange: (zoomed: boolean) => void = () => {}) {
    const shading = regimeShading({ spans: () => this.regimes.spans, colors: () => this.palette.regimes });
    const highlight = highlightBand(() => this.highlighted, () => this.palette.foreground);
    const hooks = (key: ChartKey) => ({
      // A wider or narrower chart: its curves are re-bucketed for the new width (once chart.js has laid it out).
      onResize: () => queueMicrotask(() => this.resized(key)),
      onZoom: (chart: LineChart) => this.zoomed(chart),
      onResetKey: () => this.resetZoom(),
      xLabel: (x: number) => this.xAxis.label(x),
    });
    const specs: Record<ChartKey, [string, AxisType, Plugin<'line'>[]]> = {
      loss: ['Loss', 'linear', [shading, highlight]],
      error: ['Error', 'linear', [shading, highlight]],
      grads: ['Gradient norm per layer (log)', 'logarithmic', [highlight]],
      lr: ['Learning rate (log)', 'logarithmic', [highlight]],
      throughput: ['Throughput (samples/s)', 'linear', [highlight]],
    };
    for (const key of KEYS) {
      const slot = document.createElement('div');
      slot.className = 'chart';
      // Nothing to draw yet: only the loss chart's box shows, so the layout does not jump when rows arrive.
      slot.hidden = key !== 'loss';
      container.append(slot);
      this.slots[key] = slot;
    }
    // Making a chart costs (chart.js lays it out): charts a run has no data for are never made.
    this.make = (key) => {
      const [title, yType, plugins] = specs[key];
      const made = makeChart(this.slots[key], title, yType, plugins, hooks(key));
      const x = made.chart.options.scales!.x!;
      x.ticks!.callback = (v) => this.xAxis.tick(Number(v));
      x.title!.text = this.xAxis.word;
      const loss = this.boxes.loss?.chart.options.scales!.x;
      // Follow latest is off: the new chart shows the range the others are pinned to.
      if (!this.view.follow && loss) { x.min = loss.min; x.max = loss.max; }
      return made;
    };
    this.boxes.loss = this.make('loss');
    this.clearCurves();
  }

  /** The charts made so far. */
  private made(): ChartBox[] {
    return KEYS.flatMap((k) => (this.boxes[k] ? [this.boxes[k]!] : []));
  }

  /** Replaces everything (a snapshot from the host). */
  setRows(rows: readonly EpochRow[], header: PanelHeader): void {
    this.clearCurves();
    this.regimes.clear();
    this.firstEpoch = this.lastEpoch = undefined;
    this.xAxis.reset(header.axis);
    this.ingest(rows);
    this.epsilon = header.epsilon;
    this.rebuild(header.layers);
  }

  /** Adds new epochs: each curve takes its new values, chart.js gets the (small) downsampled curves. */
  appendRows(rows: readonly EpochRow[], header: PanelHeader): void {
    if (rows.length === 0) return;
    this.ingest(rows);
    this.epsilon = header.epsilon;
    this.layers = [...header.layers];
    for (const key of KEYS) this.fill(key);
  }

  /** Applies the header's controls. */
  setView(view: ChartView): void {
    if (view.follow !== this.view.follow) this.freezeX(!view.follow);
    const redraw = view.smoothing !== this.view.smoothing || view.logLoss !== this.view.logLoss;
    this.view = { ...view };
    setYType(this.boxes.loss!.chart, view.logLoss ? 'logarithmic' : 'linear');
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

  /** Outlines `range` on every chart (undefined clears it). */
  highlight(range: EpochRange | undefined): void {
    this.highlighted = range;
    for (const { chart, box } of this.made()) if (!box.hidden) chart.update('none');
  }

  /** Back to the whole run on every chart. */
  resetZoom(): void {
    for (const { chart } of this.made()) chart.resetZoom('none');
    this.onZoomChange(false);
  }

  /** Re-reads the theme's colours (VS Code switched themes). */
  retheme(): void {
    this.palette = readPalette();
    this.rebuild(this.layers);
  }

  /** The charts shown, as one PNG data URL, stacked, on the editor's background colour. */
  toPng(): string {
    const canvases = this.made().filter((b) => !b.box.hidden).map((b) => b.chart.canvas);
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

  /** One chart was zoomed or panned: the others show the same epochs. */
  private zoomed(source: LineChart): void {
    const x = source.scales.x;
    if (!x) return;
    for (const { chart, box } of this.made()) {
      if (chart !== source && !box.hidden) chart.zoomScale('x', { min: x.min, max: x.max }, 'none');
    }
    this.onZoomChange(true);
  }

  /** Off: pins every x axis to the range shown now; on: lets them follow the data again. */
  private freezeX(freeze: boolean): void {
    for (const { chart } of this.made()) {
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
    const chart = this.boxes[key]?.chart;
    // One bucket (its lowest and highest point) per 2 pixels: the envelope a line of 1.5 px shows
    // anyway, with half the points for chart.js to update (and allocate for) on every update. A
    // hidden chart has no width yet: the panel's is a fair guess until it shows.
    return Math.max(16, Math.floor((chart?.chartArea?.width || chart?.width || this.container.clientWidth || 600) / 2));
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
      this.xAxis.record(x, r.step);
      c.trainLoss.push(x, r.trainLoss);
      if (r.valLoss !== undefined) c.valLoss.push(x, r.valLoss);
      c.trainError.push(x, r.trainError);
      if (r.valError !== undefined) c.valError.push(x, r.valError);
      for (const layer in r.gradNorms) this.grad(layer).push(x, r.gradNorms[layer]!);
      if (r.lr !== undefined) c.lr.push(x, r.lr);
      if (r.samplesPerSec !== undefined) c.samplesPerSec.push(x, r.samplesPerSec);
    }
  }

  /** The curves each chart draws. */
  private curvesOf(key: ChartKey): Curve[] {
    const c = this.curves;
    switch (key) {
      case 'loss': return [c.trainLoss, c.valLoss, ...this.comparedCurves];
      case 'error': return [c.trainError, c.valError];
      case 'grads': return [...this.grads.values()];
      case 'lr': return [c.lr];
      case 'throughput': return [c.samplesPerSec];
    }
  }

  /** The chart changed width: its curves are re-bucketed for the new one. */
  private resized(key: ChartKey): void {
    const buckets = this.bucketsOf(key);
    const curves = this.curvesOf(key);
    if (curves.every((curve) => curve.buckets === buckets)) return;
    const { smoothing, logLoss } = this.view;
    for (const curve of curves) {
      if (key === 'loss') curve.refeed(logLoss, smoothing, buckets);
      else if (key === 'error') curve.refeed(false, smoothing, buckets);
      else curve.refeed(key !== 'throughput', 0, buckets);
    }
    this.fill(key);
  }

  /** Which of the run's series have data now. */
  private presence(): SeriesPresence {
    const c = this.curves;
    return {
      trainLoss: c.trainLoss.hasData, valLoss: c.valLoss.hasData, trainError: c.trainError.hasData, valError: c.valError.hasData,
      lr: c.lr.hasData, samplesPerSec: c.samplesPerSec.hasData,
      layers: this.layers.map((name) => ({ name, hasData: this.grads.get(name)?.hasData ?? false })),
      compared: this.compared.map((run, i) => ({ name: run.name, hasData: this.comparedCurves[i]?.hasData ?? false })),
    };
  }

  /** What a chart shows now: only the series that have data (see chart-series.ts), with their curves and colours. */
  private seriesOf(key: ChartKey): Series[] {
    const p = this.palette;
    const c = this.curves;
    const layerColors = key === 'grads' ? p.layers(this.layers.length) : [];
    return chartEntries(key, this.presence(), this.epsilon).map((entry): Series => {
      const { label, source } = entry;
      const series = (curve: Series['curve'], color: string): Series => (entry.dashed ? { label, curve, color, dashed: true } : { label, curve, color });
      switch (source.kind) {
        case 'trainLoss': return series(c.trainLoss, p.train);
        case 'valLoss': return series(c.valLoss, p.val);
        case 'trainError': return series(c.trainError, p.train);
        case 'valError': return series(c.valError, p.val);
        case 'lr': return series(c.lr, p.train);
        case 'samplesPerSec': return series(c.samplesPerSec, p.train);
        case 'epsilon': return series(() => this.epsilonLine(), p.epsilon);
        case 'layer': return series(this.grad(this.layers[source.index]!), layerColors[source.index]!);
        // Colours after this run's blue and yellow.
        case 'compared': return series(this.comparedCurves[source.index]!, p.series[(source.index + 2) % p.series.length]!);
      }
    });
  }

  private rebuild(layers: readonly string[]): void {
    this.layers = [...layers];
    for (const { chart } of this.made()) chart.options.scales!.x!.title!.text = this.xAxis.word;
    this.shapes.clear();
    for (const key of KEYS) this.fill(key);
  }

  /**
   * Brings one chart up to date: shown with its present series, or hidden when it has none (the loss
   * chart always shows). The same series as last time only get new points; chart.js re-resolves a
   * chart's options whenever its datasets are new objects, which costs megabytes per update.
   */
  private fill(key: ChartKey): void {
    const series = this.seriesOf(key);
    if (!this.boxes[key] && series.length === 0) return;
    const { chart, box } = this.boxes[key] ??= this.make(key);
    const points = (s: Series) => (typeof s.curve === 'function' ? s.curve() : s.curve.points());
    const shape = series.map((s) => `${s.label}\u0000${s.color}\u0000${s.dashed ? 1 : 0}`).join('\u0001');
    if (this.shapes.get(key) !== shape) {
      chart.data.datasets = series.map((s): Line => {
        const l = line(s.label, points(s), s.color);
        return s.dashed ? dashed(l) : l;
      });
      this.shapes.set(key, shape);
      this.applyColors(chart);
    } else {
      series.forEach((s, i) => { chart.data.datasets[i]!.data = points(s); });
    }
    const show = key === 'loss' || series.length > 0;
    if (box.hidden === show) box.hidden = !show;
    // 'none': no animation. A hidden chart is not drawn at all.
    if (show) chart.update('none');
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
    const drag = chart.options.plugins!.zoom!.zoom!.drag!;
    drag.backgroundColor = 'rgba(128,128,128,0.2)';
    drag.borderColor = foreground;
    drag.borderWidth = 1;
  }
}
