/**
 * The panel's charts: loss, error with ε, per-layer gradient norms (log), learning rate (log) and
 * throughput, drawn with chart.js (see chart-factory.ts). The view controls (smoothing, log loss,
 * follow latest) change how the loss and error curves are drawn, never the data.
 */
import { dashed, line, makeChart, setYType, type LineChart } from './chart-factory.js';
import { CURVES, curvePoints, gradPoints, plottable, type Point } from './points.js';
import type { ComparedRun, EpochRow, PanelHeader } from './protocol.js';
import { regimeShading } from './regime-shading.js';
import { smoothPoints } from './smoothing.js';
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

/** Owns the charts of one panel; `setRows`/`appendRows` keep them in step with the host's series. */
export class PanelCharts {
  private palette: Palette = readPalette();
  private rows: EpochRow[] = [];
  private layers: readonly string[] = [];
  private epsilon = 0.1;
  private view: ChartView = { ...DEFAULT_VIEW };
  private compared: ComparedRun[] = [];
  private readonly charts: Record<'loss' | 'error' | 'grads' | 'lr' | 'throughput', LineChart>;
  /**
   * The complete points of every dataset. The decimation plugin swaps `dataset.data` for its
   * decimated copy, so new points go here and are handed to chart.js again on each update.
   */
  private readonly full = new Map<LineChart, Point[][]>();

  constructor(container: HTMLElement) {
    const shading = regimeShading({ spans: () => this.rows, colors: () => this.palette.regimes });
    this.charts = {
      loss: makeChart(container, 'Loss', 'linear', [shading]),
      error: makeChart(container, 'Error', 'linear', [shading]),
      grads: makeChart(container, 'Gradient norm per layer (log)', 'logarithmic'),
      lr: makeChart(container, 'Learning rate (log)', 'logarithmic'),
      throughput: makeChart(container, 'Throughput (samples/s)', 'linear'),
    };
  }

  /** Replaces everything (a snapshot from the host or the saved state). */
  setRows(rows: EpochRow[], header: PanelHeader): void {
    this.rows = [...rows];
    this.epsilon = header.epsilon;
    this.rebuild(header.layers);
  }

  /** Adds new epochs without rebuilding the datasets (unless smoothing, which depends on the whole curve). */
  appendRows(rows: EpochRow[], header: PanelHeader): void {
    if (rows.length === 0) return;
    this.rows.push(...rows);
    this.epsilon = header.epsilon;
    if (this.view.smoothing > 0 || header.layers.length !== this.layers.length) {
      this.rebuild(header.layers);
      return;
    }
    const log = this.view.logLoss;
    const [trainLoss, valLoss] = this.full.get(this.charts.loss)!;
    const [trainError, valError, eps] = this.full.get(this.charts.error)!;
    const grads = this.full.get(this.charts.grads)!;
    const [lr] = this.full.get(this.charts.lr)!;
    const [throughput] = this.full.get(this.charts.throughput)!;
    for (const r of rows) {
      trainLoss!.push({ x: r.epoch, y: plottable(r.trainLoss, log) });
      if (r.valLoss !== undefined) valLoss!.push({ x: r.epoch, y: plottable(r.valLoss, log) });
      trainError!.push({ x: r.epoch, y: plottable(r.trainError) });
      if (r.valError !== undefined) valError!.push({ x: r.epoch, y: plottable(r.valError) });
      header.layers.forEach((layer, i) => {
        const v = r.gradNorms[layer];
        if (v !== undefined) grads[i]!.push({ x: r.epoch, y: plottable(v, true) });
      });
      if (r.lr !== undefined) lr!.push({ x: r.epoch, y: plottable(r.lr, true) });
      if (r.samplesPerSec !== undefined) throughput!.push({ x: r.epoch, y: plottable(r.samplesPerSec) });
    }
    eps!.splice(0, eps!.length, ...this.epsilonLine());
    this.updateAll();
  }

  /** Applies the header's controls. */
  setView(view: ChartView): void {
    if (view.follow !== this.view.follow) this.freezeX(!view.follow);
    this.view = { ...view };
    setYType(this.charts.loss, view.logLoss ? 'logarithmic' : 'linear');
    this.rebuild(this.layers);
  }

  /** Overlays other runs' validation loss on the loss chart (dashed), replacing the previous ones. */
  setCompared(runs: ComparedRun[]): void {
    this.compared = runs;
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
    const first = this.rows[0]?.epoch ?? 1;
    const last = this.rows.at(-1)?.epoch ?? 1;
    return [{ x: first, y: this.epsilon }, { x: last, y: this.epsilon }];
  }

  /** A loss or error curve as the view draws it (log gaps, smoothing). */
  private curve(pick: (r: EpochRow) => number | undefined, log: boolean): Point[] {
    const points = curvePoints(this.rows, pick, log);
    return this.view.smoothing > 0 ? smoothPoints(points, this.view.smoothing) : points;
  }

  private rebuild(layers: readonly string[]): void {
    const p = this.palette;
    const rows = this.rows;
    const log = this.view.logLoss;
    this.layers = [...layers];
    const { loss, error, grads, lr, throughput } = this.charts;
    loss.data.datasets = [line('training', this.curve(CURVES.trainLoss, log), p.train), line('validation', this.curve(CURVES.valLoss, log), p.val)];
    // Other runs after this run's own two curves (appendRows relies on that order); colours after blue and yellow.
    this.compared.forEach((run, i) => {
      const points = run.valLoss.map((v) => ({ x: v.epoch, y: plottable(v.loss, log) }));
      const smoothed = this.view.smoothing > 0 ? smoothPoints(points, this.view.smoothing) : points;
      loss.data.datasets.push(dashed(line(`${run.name} (validation)`, smoothed, p.series[(i + 2) % p.series.length]!)));
    });
    error.data.datasets = [
      line('training', this.curve(CURVES.trainError, false), p.train),
      line('validation', this.curve(CURVES.valError, false), p.val),
      dashed(line(`ε = ${this.epsilon}`, this.epsilonLine(), p.epsilon)),
    ];
    grads.data.datasets = layers.map((layer, i) => line(layer, gradPoints(rows, layer), p.series[i % p.series.length]!));
    lr.data.datasets = [line('learning rate', curvePoints(rows, CURVES.lr, true), p.train)];
    throughput.data.datasets = [line('samples/s', curvePoints(rows, CURVES.samplesPerSec), p.train)];
    for (const chart of Object.values(this.charts)) {
      this.full.set(chart, chart.data.datasets.map((d) => d.data));
      this.applyColors(chart);
    }
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
    for (const [chart, full] of this.full) {
      // Assigning goes through the decimation plugin's setter, so it re-samples the whole curve.
      chart.data.datasets.forEach((d, i) => { d.data = full[i]!; });
      // 'none': no animation.
      chart.update('none');
    }
  }
}
