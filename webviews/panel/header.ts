/**
 * The panel header, kept short so the charts start high: one line for the run (name, status,
 * epoch, backend, ε), a compact diagnosis banner (headline, one line of evidence, the top remedy;
 * numbers and other remedies on expand) and the insights folded into one line per kind.
 *
 * It is redrawn from scratch on every batch (at most 10 times a second); which folds are open, and
 * which of its controls has focus, carry over from one drawing to the next by their `data-key`.
 */
import { METRIC_DESCRIPTIONS, formatError } from '../../metrics/diagnosis/describe.js';
import type { Regime } from '../../metrics/diagnosis/events.js';
import { groupInsights, insightRange, type EpochRange } from './insight-groups.js';
import type { InsightSummary, PanelHeader } from './protocol.js';
import { readVerdict } from './verdict.js';
import type { XAxis } from './x-axis.js';

export interface HeaderActions {
  stop(): void;
  rerun(): void;
  /** Highlights an insight's epochs on the charts (undefined: clears the highlight). */
  highlight(range: EpochRange | undefined): void;
  /** The charts' x axis: names points as epochs, or as the steps a watched log logged. */
  axis: XAxis;
}

/** Creates an element with a class and text (never HTML: run names and messages are data). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The regime legend under the charts (colours come from panel.css). */
export function regimeLegend(): HTMLElement {
  const legend = el('div', 'legend');
  legend.setAttribute('aria-label', 'Shading of the regimes');
  const items: [Regime, string][] = [['high-bias', 'high bias'], ['high-variance', 'high variance'], ['high-bias-and-variance', 'both'], ['good-fit', 'good fit']];
  for (const [regime, label] of items) {
    const item = el('span', 'legend-item');
    item.append(el('span', `swatch regime-${regime}`), el('span', undefined, label));
    legend.append(item);
  }
  return legend;
}

/** Keys of the folds open now (survive redraws). */
const open = new Set<string>();
/** The highlighted insight's key, if any. */
let highlighted: string | undefined;

/** Forgets the highlighted insight (the panel shows another run). */
export function clearHighlight(): void {
  highlighted = undefined;
}

/** A fold that remembers whether it is open across redraws. */
function fold(key: string, className: string): HTMLDetailsElement {
  const details = el('details', className);
  details.dataset.key = key;
  details.open = open.has(key);
  details.addEventListener('toggle', () => { if (details.open) open.add(key); else open.delete(key); });
  return details;
}

function remediesList(remedies: readonly string[]): HTMLUListElement {
  const list = el('ul', 'remedies');
  for (const r of remedies) list.append(el('li', undefined, r));
  return list;
}

/** The diagnosis banner: headline, evidence, top remedy; the numbers and other remedies on expand. */
function banner(h: PanelHeader): HTMLElement | undefined {
  const v = readVerdict(h.diagnosis);
  if (!v) return undefined;
  const box = el('section', `diagnosis state-${v.state}${v.state === 'decided' && v.regime ? ` regime-border-${v.regime}` : ''}`);
  box.setAttribute('aria-label', 'Diagnosis');
  box.append(el('h2', 'headline', v.headline));
  if (v.evidence) {
    const evidence = el('p', 'evidence-line', v.evidence);
    evidence.title = v.evidence;
    box.append(evidence);
  }
  const [top, ...rest] = v.remedies;
  if (top) {
    const remedy = el('p', 'top-remedy');
    remedy.append(el('strong', undefined, 'Try: '), document.createTextNode(top));
    box.append(remedy);
  }
  if (v.numbers || rest.length > 0) {
    const more = fold('diagnosis-more', 'more');
    more.append(el('summary', undefined, rest.length > 0 ? `Details and ${rest.length} more remed${rest.length === 1 ? 'y' : 'ies'}` : 'Details'));
    if (v.numbers) more.append(el('p', 'evidence', v.numbers));
    if (rest.length > 0) more.append(remediesList(rest));
    box.append(more);
  }
  return box;
}

/** A button that highlights an insight's epochs on the charts (pressed again: clears it). */
function highlightButton(key: string, range: EpochRange, label: string, text: string, actions: HeaderActions): HTMLButtonElement {
  const b = el('button', 'link', text);
  b.type = 'button';
  b.dataset.key = key;
  b.title = `Highlight ${actions.axis.rangeLabel(range.from, range.to)} on the charts`;
  b.setAttribute('aria-label', `${label}: ${b.title}`);
  b.setAttribute('aria-pressed', String(highlighted === key));
  b.addEventListener('click', () => {
    highlighted = highlighted === key ? undefined : key;
    actions.highlight(highlighted ? range : undefined);
    for (const other of document.querySelectorAll<HTMLElement>('button.link[aria-pressed]')) other.setAttribute('aria-pressed', String(other.dataset.key === highlighted));
  });
  return b;
}

function evidenceText(insight: InsightSummary): string {
  return Object.entries(insight.evidence).map(([k, v]) => `${k} = ${typeof v === 'number' ? formatError(v) : String(v)}`).join(', ');
}

/** The insights in one fold: a line per kind (latest message, count), each opening to all of its kind. */
function insightsSection(insights: readonly InsightSummary[], actions: HeaderActions): HTMLElement {
  const groups = groupInsights(insights);
  const section = fold('insights', 'insights');
  const summary = el('summary');
  summary.append(el('strong', undefined, `Insights (${insights.length})`), document.createTextNode(`: ${groups.map((g) => `${g.kind} ×${g.items.length}`).join(', ')}`));
  section.append(summary);
  const list = el('ul', 'insight-kinds');
  for (const g of groups) {
    const latest = g.items[0]!;
    const item = el('li', `insight-kind severity-${g.severity}`);
    const details = fold(`kind:${g.kind}`, 'kind');
    const summary = el('summary');
    summary.append(el('span', 'severity-mark', g.severity), el('span', 'kind-name', g.kind), el('span', 'count', `×${g.items.length}`), el('span', 'message', latest.message));
    details.append(summary);
    const all = el('ol', 'insight-list');
    g.items.forEach((insight, i) => {
      const row = el('li');
      row.append(highlightButton(`insight:${g.kind}:${i}`, insightRange(insight), g.kind, actions.axis.label(insight.epoch), actions), document.createTextNode(` ${insight.message}`));
      const evidence = evidenceText(insight);
      if (evidence) row.append(el('div', 'evidence', evidence));
      if (i === 0 && insight.remedies.length > 0) row.append(remediesList(insight.remedies));
      all.append(row);
    });
    details.append(all);
    // The kind's line itself: a highlight of its latest insight, next to the fold.
    item.append(highlightButton(`insight:${g.kind}:0`, insightRange(latest), g.kind, actions.axis.label(latest.epoch), actions), details);
    list.append(item);
  }
  section.append(list);
  return section;
}

/** Redraws the header from scratch (cheap: it changes at most 10 times a second). */
export function renderHeader(root: HTMLElement, h: PanelHeader, actions: HeaderActions): void {
  const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-key]')?.dataset.key;
  const focusedTag = document.activeElement?.tagName;

  const top = el('div', 'top');
  top.append(el('h1', undefined, h.name));
  // A watched run is written by another program: Fitcheck can neither stop nor re-run it.
  top.append(el('span', `status status-${h.status}`, h.watched && h.status === 'running' ? 'watching' : h.status));
  // A watched run has no planned epoch count: no total, only how far it got.
  const known = h.epochs > 0;
  const meta = el('span', 'meta');
  meta.append(el('span', undefined, known ? `${actions.axis.label(h.epoch)}/${h.epochs}` : actions.axis.label(h.epoch)));
  if (known && h.status === 'running') {
    const progress = el('progress');
    progress.max = h.epochs;
    progress.value = Math.min(h.epoch, progress.max);
    progress.setAttribute('aria-label', 'Training progress');
    meta.append(progress);
  }
  const eps = el('span', undefined, `ε = ${formatError(h.epsilon)}`);
  eps.title = METRIC_DESCRIPTIONS[h.metric];
  meta.append(eps, el('span', undefined, h.backend || '…'));
  if (h.watched) {
    const from = el('span', 'source', `read from ${h.watched}`);
    from.title = h.watched;
    meta.append(from);
  }
  top.append(meta);
  if (h.watched) {
    // No buttons.
  } else if (h.status === 'running') {
    const stop = el('button', undefined, 'Stop');
    stop.dataset.key = 'stop';
    stop.addEventListener('click', () => actions.stop());
    top.append(stop);
  } else {
    const rerun = el('button', 'secondary', 'Re-run');
    rerun.dataset.key = 'rerun';
    rerun.addEventListener('click', () => actions.rerun());
    top.append(rerun);
  }

  const parts: HTMLElement[] = [top];
  if (h.reason) parts.push(el('p', h.status === 'failed' ? 'error' : 'note', h.reason));
  const box = banner(h);
  if (box) parts.push(box);
  if (h.insights.length > 0) parts.push(insightsSection(h.insights, actions));
  root.replaceChildren(...parts);
  if (focused) {
    const again = [...root.querySelectorAll<HTMLElement>('[data-key]')].find((e) => e.dataset.key === focused);
    // A fold keeps focus on its summary, a button on itself.
    const target = again?.tagName === 'DETAILS' && focusedTag === 'SUMMARY' ? again.querySelector('summary') : again;
    (target as HTMLElement | null | undefined)?.focus();
  }
}
