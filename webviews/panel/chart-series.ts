/**
 * Which charts the panel draws and which series (legend entries) each lists, from which series of
 * the run have data: a chart with nothing to draw is not shown (the loss chart always is), and a
 * legend never names a series the run lacks (no "validation" without validation). Pure.
 */

export type ChartKey = 'loss' | 'error' | 'grads' | 'lr' | 'throughput';
export const CHART_KEYS: readonly ChartKey[] = ['loss', 'error', 'grads', 'lr', 'throughput'];

/** Which of a run's series have at least one finite value. */
export interface SeriesPresence {
  trainLoss: boolean;
  valLoss: boolean;
  trainError: boolean;
  valError: boolean;
  lr: boolean;
  samplesPerSec: boolean;
  /** Per-layer gradient norms, in the header's layer order. */
  layers: readonly { name: string; hasData: boolean }[];
  /** Other runs overlaid by *Compare Runs*. */
  compared: readonly { name: string; hasData: boolean }[];
}

/** What a legend entry draws: the chart maps it to a curve and a colour. */
export type EntrySource =
  | { kind: 'trainLoss' | 'valLoss' | 'trainError' | 'valError' | 'lr' | 'samplesPerSec' | 'epsilon' }
  | { kind: 'layer'; index: number }
  | { kind: 'compared'; index: number };

export interface LegendEntry {
  label: string;
  source: EntrySource;
  dashed?: boolean;
}

/** The entries `key` lists for `presence`; empty when the chart has nothing to draw. */
export function chartEntries(key: ChartKey, presence: SeriesPresence, epsilon: number): LegendEntry[] {
  const has = (entry: LegendEntry, present: boolean) => (present ? [entry] : []);
  switch (key) {
    case 'loss':
      return [
        ...has({ label: 'training', source: { kind: 'trainLoss' } }, presence.trainLoss),
        ...has({ label: 'validation', source: { kind: 'valLoss' } }, presence.valLoss),
        ...presence.compared.flatMap((run, index) => has({ label: `${run.name} (validation)`, source: { kind: 'compared', index }, dashed: true }, run.hasData)),
      ];
    case 'error': {
      const curves = [
        ...has({ label: 'training', source: { kind: 'trainError' } }, presence.trainError),
        ...has({ label: 'validation', source: { kind: 'valError' } }, presence.valError),
      ];
      // ε alone is no chart: it is drawn only against an error curve.
      return curves.length > 0 ? [...curves, { label: `ε = ${epsilon}`, source: { kind: 'epsilon' }, dashed: true }] : [];
    }
    case 'grads':
      return presence.layers.flatMap((layer, index) => has({ label: layer.name, source: { kind: 'layer', index } }, layer.hasData));
    case 'lr':
      return has({ label: 'learning rate', source: { kind: 'lr' } }, presence.lr);
    case 'throughput':
      return has({ label: 'samples/s', source: { kind: 'samplesPerSec' } }, presence.samplesPerSec);
  }
}

/** The charts drawn for `presence`, in the grid's order: the loss chart always, the others when they have a series. */
export function shownCharts(presence: SeriesPresence, epsilon: number): ChartKey[] {
  return CHART_KEYS.filter((key) => key === 'loss' || chartEntries(key, presence, epsilon).length > 0);
}
