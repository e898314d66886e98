/**
 * The panel's three charts (loss, error with ε, per-layer gradient norms on a log axis), drawn with
 * chart.js with animations off, `parsing: false` and decimation so long runs stay cheap.
 */
import {
  Chart, Decimation, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Title, Tooltip,
  type ChartConfiguration, type ChartDataset,
} from 'chart.js';
import type { EpochRow, PanelHeader } from './protocol.js';
import { CURVES, curvePoints, gradPoints, plottable, type Point } from './points.js';
import { regimeShading } from './regime-shading.js';
import { readPalette, type Palette } from './theme.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip, Decimation);

type Line = ChartDataset<'line', Point[]>;

/** Owns the charts of one panel; `setRows`/`appendRows` keep them in step with the host's series. */
export class PanelCharts {
  private palette: Palette = readPalette();
  private rows: EpochRow[] = [];
  private epsilon = 0.1;
  private readonly loss: Chart<'line', Point[]>;
  private readonly error: Chart<'line', Point[]>;
  private readonly grads: Chart<'line', Point[]>;
  /**
   * The complete points of every dataset. The decimation plugin swaps `dataset.data` for its
   * decimated copy, so new points go here and are handed to chart.js again on each update.
   */
  private readonly full: { loss: Point[][]; error: Point[][]; grads: Point[][] } = { loss: [], error: [], grads: [] };

  constructor(container: HTMLElement) {
    const shading = regimeShading({ spans: () => this.rows, colors: () => this.palette.regimes });
    this.loss = this.make(container, 'Loss', 'linear', shading);
    this.error = this.make(container, 'Error', 'linear', shading);
    this.grads = this.make(container, 'Gradient norm per layer (log)', 'logarithmic');
  }

  /** Replaces everything (a snapshot from the host or the saved state). */
  setRows(rows: EpochRow[], header: PanelHeader): void {
    this.rows = [...rows];
    this.epsilon = header.epsilon;
    this.rebuild(header.layers);
  }

  /** Adds new epochs without rebuilding the datasets. */
  appendRows(rows: EpochRow[], header: PanelHeader): void {
    if (rows.length === 0) return;
    this.rows.push(...rows);
    this.epsilon = header.epsilon;
    if (header.layers.length !== this.grads.data.datasets.length) {
      this.rebuild(header.layers);
      return;
    }
    const [trainLoss, valLoss] = this.full.loss;
    const [trainError, valError] = this.full.error;
    for (const r of rows) {
      trainLoss!.push({ x: r.epoch, y: plottable(r.trainLoss) });
      if (r.valLoss !== undefined) valLoss!.push({ x: r.epoch, y: plottable(r.valLoss) });
      trainError!.push({ x: r.epoch, y: plottable(r.trainError) });
      if (r.valError !== undefined) valError!.push({ x: r.epoch, y: plottable(r.valError) });
      header.layers.forEach((layer, i) => {
        const v = r.gradNorms[layer];
        if (v !== undefined) this.full.grads[i]!.push({ x: r.epoch, y: plottable(v, true) });
      });
    }
    this.full.error[2] = this.epsilonLine();
    this.updateAll();
  }

  /** Re-reads the theme's colours (VS Code switched themes). */
  retheme(): void {
    this.palette = readPalette();
    const layers = this.grads.data.datasets.map((d) => d.label ?? '');
    this.rebuild(layers);
  }

  /** Scale bounds follow the epochs: no shading or ε line outside the data. */
  private epsilonLine(): Point[] {
    const first = this.rows[0]?.epoch ?? 1;
    const last = this.rows.at(-1)?.epoch ?? 1;
    return [{ x: first, y: this.epsilon }, { x: last, y: this.epsilon }];
  }

  private rebuild(layers: readonly string[]): void {
    const p = this.palette;
    const rows = this.rows;
    this.loss.data.datasets = [
      line('training', curvePoints(rows, CURVES.trainLoss), p.train),
      line('validation', curvePoints(rows, CURVES.valLoss), p.val),
    ];
    const eps = line(`ε = ${this.epsilon}`, this.epsilonLine(), p.epsilon);
    eps.borderDash = [6, 4];
    eps.borderWidth = 1;
    this.error.data.datasets = [
      line('training', curvePoints(rows, CURVES.trainError), p.train),
      line('validation', curvePoints(rows, CURVES.valError), p.val),
      eps,
    ];
    this.grads.data.datasets = layers.map((layer, i) => line(layer, gradPoints(rows, layer), p.series[i % p.series.length]!));
    this.full.loss = this.loss.data.datasets.map((d) => d.data);
    this.full.error = this.error.data.datasets.map((d) => d.data);
    this.full.grads = this.grads.data.datasets.map((d) => d.data);
    for (const chart of [this.loss, this.error, this.grads]) this.applyColors(chart);
    this.updateAll();
  }

  private applyColors(chart: Chart<'line', Point[]>): void {
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
    const pairs: [Chart<'line', Point[]>, Point[][]][] = [[this.loss, this.full.loss], [this.error, this.full.error], [this.grads, this.full.grads]];
    for (const [chart, full] of pairs) {
      // Assigning goes through the decimation plugin's setter, so it re-samples the whole curve.
      chart.data.datasets.forEach((d, i) => { d.data = full[i]!; });
      // 'none': no animation.
      chart.update('none');
    }
  }

  private make(container: HTMLElement, title: string, yType: 'linear' | 'logarithmic', ...plugins: ReturnType<typeof regimeShading>[]): Chart<'line', Point[]> {
    const box = document.createElement('div');
    box.className = 'chart';
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', title);
    box.append(canvas);
    container.append(box);
    const config: ChartConfiguration<'line', Point[]> = {
      type: 'line',
      data: { datasets: [] },
      plugins,
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 1.5 } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { precision: 0 }, grid: {} },
          // A log axis labels powers of ten as 1e-3 rather than 0.0010000.
          y: { type: yType, grid: {}, ticks: yType === 'logarithmic' ? { callback: (v) => logTick(Number(v)) } : {} },
        },
        plugins: {
          title: { display: true, text: title },
          legend: { labels: { boxHeight: 2 } },
          decimation: { enabled: true, algorithm: 'lttb', samples: 500, threshold: 1000 },
          tooltip: { enabled: true },
        },
      },
    };
    return new Chart(canvas, config);
  }
}

/** "1e-3" for a power of ten, nothing for the ticks between (they would crowd the axis). */
function logTick(value: number): string {
  const exponent = Math.log10(value);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? `1e${Math.round(exponent)}` : '';
}

function line(label: string, data: Point[], color: string): Line {
  return { label, data, borderColor: color, backgroundColor: color, pointRadius: 0, indexAxis: 'x' };
}
