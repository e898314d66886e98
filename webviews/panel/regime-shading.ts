/** A chart.js plugin that shades each epoch's regime behind the curves. */
import type { Chart, Plugin } from 'chart.js';
import type { Regime } from '../../metrics/events.js';

export interface ShadingSource {
  /** Epoch and regime of every row, in epoch order. */
  spans(): readonly { epoch: number; regime?: Regime | undefined }[];
  colors(): Record<Regime, string>;
}

/** Shades contiguous epochs of one regime as one rectangle (drawn before the datasets). */
export function regimeShading(source: ShadingSource): Plugin<'line'> {
  return {
    id: 'regimeShading',
    beforeDatasetsDraw(chart: Chart<'line'>) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!x || !area) return;
      const spans = source.spans();
      const colors = source.colors();
      const ctx = chart.ctx;
      ctx.save();
      // Faint, so the curves stay the thing one reads.
      ctx.globalAlpha = 0.14;
      let i = 0;
      while (i < spans.length) {
        const regime = spans[i]!.regime;
        let j = i;
        while (j + 1 < spans.length && spans[j + 1]!.regime === regime) j++;
        if (regime) {
          const left = Math.max(area.left, x.getPixelForValue(spans[i]!.epoch - 0.5));
          const right = Math.min(area.right, x.getPixelForValue(spans[j]!.epoch + 0.5));
          if (right > left) {
            ctx.fillStyle = colors[regime];
            ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
          }
        }
        i = j + 1;
      }
      ctx.restore();
    },
  };
}
