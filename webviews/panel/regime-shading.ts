/** A chart.js plugin that shades each epoch's regime behind the curves. */
import type { Chart, Plugin } from 'chart.js';
import type { Regime } from '../../metrics/diagnosis/events.js';

/** Consecutive epochs of one regime (undefined: epochs without a regime, not shaded). */
export interface RegimeSpan {
  start: number;
  end: number;
  regime: Regime | undefined;
}

/**
 * The regime spans of a run, kept as rows arrive (O(1) per row), so a draw walks the spans rather
 * than every epoch. Pure, so the host-side tests check it.
 */
export class RegimeSpans {
  readonly spans: RegimeSpan[] = [];

  add(epoch: number, regime: Regime | undefined): void {
    const last = this.spans[this.spans.length - 1];
    if (last && last.regime === regime) last.end = epoch;
    else this.spans.push({ start: epoch, end: epoch, regime });
  }

  clear(): void {
    this.spans.length = 0;
  }
}

export interface ShadingSource {
  spans(): readonly RegimeSpan[];
  colors(): Record<Regime, string>;
}

/** Shades each span of one regime as one rectangle (drawn before the datasets). */
export function regimeShading(source: ShadingSource): Plugin<'line'> {
  return {
    id: 'regimeShading',
    beforeDatasetsDraw(chart: Chart<'line'>) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!x || !area) return;
      const colors = source.colors();
      const ctx = chart.ctx;
      ctx.save();
      // Faint, so the curves stay the thing one reads.
      ctx.globalAlpha = 0.14;
      for (const span of source.spans()) {
        if (!span.regime) continue;
        const left = Math.max(area.left, x.getPixelForValue(span.start - 0.5));
        const right = Math.min(area.right, x.getPixelForValue(span.end + 0.5));
        if (right > left) {
          ctx.fillStyle = colors[span.regime];
          ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        }
      }
      ctx.restore();
    },
  };
}
