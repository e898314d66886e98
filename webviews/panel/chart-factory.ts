/**
 * Creates the panel's chart.js line charts (animations off, `parsing: false`) and their datasets.
 * No chart.js decimation: charts.ts hands over curves already downsampled to the chart's width.
 */
import {
  Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Title, Tooltip,
  type ChartConfiguration, type ChartDataset, type Plugin,
} from 'chart.js';
import type { Point } from './points.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip);

export type Line = ChartDataset<'line', Point[]>;
export type LineChart = Chart<'line', Point[]>;
export type AxisType = 'linear' | 'logarithmic';

/** "1e-3" for a power of ten, nothing for the ticks between (they would crowd the axis). */
export function logTick(value: number): string {
  const exponent = Math.log10(value);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? `1e${Math.round(exponent)}` : '';
}

/** Switches a chart's y axis between linear and log (a log axis labels powers of ten as 1e-3). */
export function setYType(chart: LineChart, type: AxisType): void {
  const y = chart.options.scales!.y!;
  y.type = type;
  if (type === 'logarithmic') y.ticks!.callback = (v) => logTick(Number(v));
  else delete y.ticks!.callback;
}

export function line(label: string, data: Point[], color: string): Line {
  return { label, data, borderColor: color, backgroundColor: color, pointRadius: 0, indexAxis: 'x' };
}

/** A dashed thin line (ε, and other runs when comparing). */
export function dashed(dataset: Line): Line {
  dataset.borderDash = [6, 4];
  dataset.borderWidth = 1;
  return dataset;
}

/**
 * Writes `text` across a chart that has nothing to draw, so an empty chart says why (a watched run
 * that logs no learning rate) instead of showing bare axes.
 */
export function emptyNotice(text: string, color: () => string): Plugin<'line'> {
  return {
    id: 'fitcheckEmptyNotice',
    afterDraw(chart) {
      if (chart.data.datasets.some((d) => d.data.length > 0)) return;
      const { ctx, chartArea } = chart;
      if (!chartArea) return;
      ctx.save();
      ctx.fillStyle = color();
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(text, (chartArea.left + chartArea.right) / 2, (chartArea.top + chartArea.bottom) / 2, chartArea.right - chartArea.left - 16);
      ctx.restore();
    },
  };
}

/** A chart in a new box appended to `container`; `onResize` runs when it changes size. */
export function makeChart(container: HTMLElement, title: string, yType: AxisType, plugins: Plugin<'line'>[] = [], onResize?: () => void): LineChart {
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
      ...(onResize ? { onResize } : {}),
      spanGaps: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 1.5 } },
      scales: {
        // Unrotated ticks: chart.js then skips measuring every label at every rotation on each update.
        x: { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { precision: 0, maxRotation: 0, minRotation: 0 }, grid: {} },
        y: { type: 'linear', grid: {}, ticks: { maxRotation: 0, minRotation: 0 } },
      },
      plugins: {
        title: { display: true, text: title },
        legend: { labels: { boxHeight: 2 } },
        tooltip: { enabled: true },
      },
    },
  };
  const chart = new Chart(canvas, config);
  setYType(chart, yType);
  return chart;
}
