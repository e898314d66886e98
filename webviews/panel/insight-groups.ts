/**
 * The panel's insights grouped by kind (one line per kind: the latest message and a count), and the
 * epoch range each insight is about, for highlighting on the charts. Pure.
 */
import type { InsightSummary } from './protocol.js';

/** Epochs from `from` to `to`, both included. */
export interface EpochRange {
  from: number;
  to: number;
}

export interface InsightGroup {
  kind: string;
  /** The most severe severity among the group's insights. */
  severity: InsightSummary['severity'];
  /** The group's insights, latest first. */
  items: InsightSummary[];
}

const SEVERITY_RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };
const rank = (s: string): number => SEVERITY_RANK[s] ?? 3;

/** Groups insights by kind: most severe kinds first, then the most recent. */
export function groupInsights(insights: readonly InsightSummary[]): InsightGroup[] {
  const byKind = new Map<string, InsightSummary[]>();
  for (const insight of insights) {
    const list = byKind.get(insight.kind);
    if (list) list.push(insight);
    else byKind.set(insight.kind, [insight]);
  }
  const groups: InsightGroup[] = [];
  for (const [kind, list] of byKind) {
    // Stable for equal epochs: the one reported last is the latest.
    const items = list.map((item, i) => ({ item, i })).sort((a, b) => b.item.epoch - a.item.epoch || b.i - a.i).map((x) => x.item);
    const severity = items.reduce((worst, it) => (rank(it.severity) < rank(worst) ? it.severity : worst), items[0]!.severity);
    groups.push({ kind, severity, items });
  }
  return groups.sort((a, b) => rank(a.severity) - rank(b.severity) || b.items[0]!.epoch - a.items[0]!.epoch);
}

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : undefined);
const epochOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The epochs an insight is about: from its best epoch (overfitting onset) or the start of its window
 * (a plateau over N epochs) to the epoch it was raised at; else that epoch alone.
 */
export function insightRange(insight: Pick<InsightSummary, 'epoch' | 'evidence' | 'bestEpoch'>): EpochRange {
  const to = insight.epoch;
  const best = epochOf(insight.bestEpoch) ?? epochOf(insight.evidence.bestEpoch);
  if (best !== undefined && best <= to) return { from: best, to };
  const window = count(insight.evidence.window);
  if (window !== undefined) return { from: Math.max(0, to - window + 1), to };
  return { from: to, to };
}
