/**
 * Creates the panel's chart.js line charts (animations off, `parsing: false`) and their datasets.
 * No chart.js decimation: charts.ts hands over curves already downsampled to the chart's width.
 * Zoom and pan on the x axis come from chartjs-plugin-zoom: drag to zoom into a range, Shift+drag to
 * pan, Ctrl+wheel to zoom; on a focused chart, + and - zoom, the arrow keys pan and 0 resets.
 */
import {
  Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Title, Tooltip,
  type ChartConfiguration, type ChartDataset, type Plugin, type TooltipItem,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { exactValue, type Point } from './points.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip,
  // Typed as a CommonJS module (NodeNext sees its namespace); esbuild bundles the ES build, whose default is the plugin.
  zoomPlugin as unknown as Plugin);

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

/** A chart and the box that holds it (hidden while the chart has nothing to draw). */
export interface ChartBox {
  chart: LineChart;
  box: HTMLElement;
}

export interface ChartHooks {
  /** The chart changed size. */
  onResize?: () => void;
  /** The user zoomed or panned it (drag, wheel, keys). */
  onZoom?: (chart: LineChart) => void;
  /** Asked for a zoom reset from the keyboard. */
  onResetKey?: () => void;
  /** A point's x as the tooltip names it ("epoch 12", "step 12800"); default: the epoch. */
  xLabel?: (x: number) => string;
}

/** Keyboard zoom and pan for a focused chart. */
function keyboard(canvas: HTMLCanvasElement, chart: LineChart, hooks: ChartHooks): void {
  canvas.addEventListener('keydown', (e) => {
    if (e.key === '+' || e.key === '=') chart.zoom({ x: 1.25 }, 'none');
    else if (e.key === '-') chart.zoom({ x: 0.8 }, 'none');
    else if (e.key === 'ArrowLeft') chart.pan({ x: chart.chartArea.width * 0.1 }, undefined, 'none');
    else if (e.key === 'ArrowRight') chart.pan({ x: -chart.chartArea.width * 0.1 }, undefined, 'none');
    else if (e.key === '0') { hooks.onResetKey?.(); e.preventDefault(); return; } else return;
    e.preventDefault();
    hooks.onZoom?.(chart);
  });
}

/** A chart drawn in `box` (a `.chart` element in the grid). */
export function makeChart(box: HTMLElement, title: string, yType: AxisType, plugins: Plugin<'line'>[] = [], hooks: ChartHooks = {}): ChartBox {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', title);
  // Focusable, for keyboard zoom and pan.
  canvas.tabIndex = 0;
  canvas.title = `${title}: drag to zoom into epochs, Shift+drag to pan, Ctrl+wheel to zoom; with focus, + and - zoom, arrows pan, 0 resets`;
  box.append(canvas);
  const zoomed = ({ chart }: { chart: Chart }) => hooks.onZoom?.(chart as unknown as LineChart);
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
      ...(hooks.onResize ? { onResize: hooks.onResize } : {}),
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
        // Only the series that have points (a run without validation shows no "validation").
        legend: { labels: { boxHeight: 2, filter: (item, data) => (data.datasets[item.datasetIndex ?? 0]?.data.length ?? 0) > 0 } },
        tooltip: {
          enabled: true,
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => {
              const x = items[0]?.parsed.x;
              if (x === undefined || x === null) return '';
              return hooks.xLabel ? hooks.xLabel(x) : `epoch ${exactValue(x)}`;
            },
            label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${exactValue(item.parsed.y ?? Number.NaN)}`,
          },
        },
        zoom: {
          limits: { x: { min: 'original', max: 'original', minRange: 2 } },
          zoom: { mode: 'x', drag: { enabled: true, threshold: 8 }, wheel: { enabled: true, modifierKey: 'ctrl' }, pinch: { enabled: true }, onZoomComplete: zoomed },
          pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: zoomed },
        },
      },
    },
  };
  const chart = new Chart(canvas, config);
  setYType(chart, yType);
  keyboard(canvas, chart, hooks);
  return { chart, box };
}
