/**
 * Runtime evidence from a monitored run: which layers' gradients vanished or exploded, which ReLU
 * layers died and which sigmoid/tanh layers saturated, judged over the run's last sampled records
 * (the monitor writes `grad_norm/<module path>`, `dead_frac/<path>` and `saturated_frac/<path>`).
 */
import { decodeEvent } from '../../../metrics/diagnosis/codec.js';
import { DEFAULT_THRESHOLDS } from '../../../metrics/diagnosis/thresholds.js';

export type EvidenceKind = 'vanishing-gradients' | 'exploding-gradients' | 'dead-units' | 'saturated-units';

/** One finding about one layer, named by its module path (`features.0`). */
export interface LayerEvidence {
  kind: EvidenceKind;
  layer: string;
  step: number;
  value: number;
  message: string;
}

/** What a run's file holds, reduced to what the evidence needs. */
export interface MonitoredRun {
  runId: string;
  name: string;
  /** The absolute path of the script the monitor ran (empty when unknown). */
  script: string;
  status: 'running' | 'completed' | 'stopped' | 'failed';
  /** Sampled records, oldest first: step and the per-layer values written then. */
  records: { step: number; values: Map<string, number> }[];
}

/** How many of the last records must agree before a layer is reported (one bad batch is not a trend). */
export const RECORDS_JUDGED = 3;
/** A sigmoid/tanh layer with at least this fraction of outputs within 0.01 of its bounds is saturated. */
export const SATURATED_FRACTION = 0.5;

const LAYER_PREFIXES = ['grad_norm/', 'dead_frac/', 'saturated_frac/'];

/** Reads a monitor JSONL text; bad lines are skipped (the file may be cut off mid-write). */
export function parseMonitoredRun(text: string): MonitoredRun | undefined {
  let run: MonitoredRun | undefined;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let event: Record<string, unknown> | undefined;
    try {
      event = decodeEvent(line) as unknown as Record<string, unknown> | undefined;
    } catch {
      continue;
    }
    if (!event) continue;
    if (event.type === 'start') {
      run = { runId: String(event.runId), name: String(event.name ?? event.runId), script: typeof event.script === 'string' ? event.script : '', status: 'running', records: [] };
    } else if (run && event.type === 'scalars' && typeof event.values === 'object' && event.values !== null) {
      const values = new Map<string, number>();
      for (const [tag, value] of Object.entries(event.values as Record<string, unknown>)) {
        if (typeof value === 'number' && LAYER_PREFIXES.some((p) => tag.startsWith(p))) values.set(tag, value);
      }
      if (values.size > 0) run.records.push({ step: Number(event.step), values });
    } else if (run && event.type === 'end') {
      const status = event.status;
      run.status = status === 'stopped' || status === 'failed' ? status : 'completed';
    }
  }
  return run;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : String(x));
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The layers of `prefix` in a record, in the order the monitor wrote them (the model's order). */
function layersOf(values: Map<string, number>, prefix: string): [string, number][] {
  return [...values].filter(([tag]) => tag.startsWith(prefix)).map(([tag, v]) => [tag.slice(prefix.length), v]);
}

/** The evidence of the run's last `RECORDS_JUDGED` sampled records, one entry per layer and kind. */
export function runEvidence(run: MonitoredRun): LayerEvidence[] {
  const found: LayerEvidence[] = [];
  const t = DEFAULT_THRESHOLDS;
  const withGrads = run.records.filter((r) => layersOf(r.values, 'grad_norm/').length > 0).slice(-RECORDS_JUDGED);
  const latest = withGrads[withGrads.length - 1];
  if (latest && withGrads.length === RECORDS_JUDGED) {
    const layers = layersOf(latest.values, 'grad_norm/');
    if (layers.length >= t.minDepth) {
      const [lastName, lastNorm] = layers[layers.length - 1]!;
      const ratioIn = (record: { values: Map<string, number> }, layer: string) => {
        const norms = layersOf(record.values, 'grad_norm/');
        const last = norms[norms.length - 1]?.[1];
        const own = record.values.get(`grad_norm/${layer}`);
        return own === undefined || last === undefined ? Number.NaN : own / last;
      };
      for (const [layer, norm] of layers.slice(0, -1)) {
        const ratios = withGrads.map((r) => ratioIn(r, layer));
        const where = `in run ${run.name}, step ${latest.step}: layer ${layer}'s gradient norm was ${fmt(norm)}`;
        if (!Number.isFinite(norm)) {
          found.push({ kind: 'exploding-gradients', layer, step: latest.step, value: norm, message: `${where} (non-finite): exploding gradients.` });
        } else if (ratios.every((r) => r < t.vanishingRatio) && norm < t.vanishingFirstNorm) {
          found.push({ kind: 'vanishing-gradients', layer, step: latest.step, value: norm, message: `${where}, ${fmt(norm / lastNorm)} of the last layer's (layer ${lastName}: ${fmt(lastNorm)}): vanishing gradients, this layer barely learns.` });
        } else if (ratios.every((r) => r > t.explodingRatio)) {
          found.push({ kind: 'exploding-gradients', layer, step: latest.step, value: norm, message: `${where}, ${Math.round(norm / lastNorm)}× the last layer's (layer ${lastName}: ${fmt(lastNorm)}): exploding gradients.` });
        }
      }
    }
  }
  const judge = (prefix: string, kind: EvidenceKind, threshold: number, words: (v: number) => string) => {
    const records = run.records.filter((r) => layersOf(r.values, prefix).length > 0).slice(-RECORDS_JUDGED);
    const last = records[records.length - 1];
    // Dead fractions come once per window of four samples: two windows in a row are enough.
    const needed = prefix === 'dead_frac/' ? Math.min(RECORDS_JUDGED, t.deadReluEpochs) : RECORDS_JUDGED;
    if (!last || records.length < needed) return;
    for (const [layer, value] of layersOf(last.values, prefix)) {
      if (records.slice(-needed).every((r) => (r.values.get(prefix + layer) ?? 0) >= threshold)) {
        found.push({ kind, layer, step: last.step, value, message: `in run ${run.name}, step ${last.step}: ${words(value)}` });
      }
    }
  };
  judge('dead_frac/', 'dead-units', t.deadReluFraction, (v) => `${pct(v)} of this ReLU's units never activated on the sampled batches: dead units get no gradient.`);
  judge('saturated_frac/', 'saturated-units', SATURATED_FRACTION, (v) => `${pct(v)} of this activation's outputs sat within 0.01 of its bounds: saturated units pass almost no gradient.`);
  return found;
}
