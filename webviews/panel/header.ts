/** The panel header: run, status, backend, progress, the diagnosis with evidence and remedies, the insights. */
import { diagnosisTitle, METRIC_DESCRIPTIONS, formatError } from '../../metrics/describe.js';
import type { Regime } from '../../metrics/events.js';
import type { PanelHeader } from './protocol.js';

export interface HeaderActions {
  stop(): void;
  rerun(): void;
}

/** Creates an element with a class and text (never HTML: run names and messages are data). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function remediesList(remedies: readonly string[]): HTMLUListElement {
  const list = el('ul', 'remedies');
  for (const r of remedies) list.append(el('li', undefined, r));
  return list;
}

/** The regime legend shown above the charts (colours come from panel.css). */
function regimeLegend(): HTMLElement {
  const legend = el('div', 'legend');
  const items: [Regime, string][] = [['high-bias', 'high bias'], ['high-variance', 'high variance'], ['high-bias-and-variance', 'both'], ['good-fit', 'good fit']];
  for (const [regime, label] of items) {
    const item = el('span', 'legend-item');
    item.append(el('span', `swatch regime-${regime}`), el('span', undefined, label));
    legend.append(item);
  }
  return legend;
}

/** Redraws the header from scratch (cheap: it changes at most 10 times a second). */
export function renderHeader(root: HTMLElement, h: PanelHeader, actions: HeaderActions): void {
  const top = el('div', 'top');
  const title = el('h1', undefined, h.name);
  // A watched run is written by another program: Fitcheck can neither stop nor re-run it.
  const status = el('span', `status status-${h.status}`, h.watched && h.status === 'running' ? 'watching' : h.status);
  top.append(title, status);
  if (h.watched) {
    // No buttons.
  } else if (h.status === 'running') {
    const stop = el('button', undefined, 'Stop');
    stop.addEventListener('click', () => actions.stop());
    top.append(stop);
  } else {
    const rerun = el('button', 'secondary', 'Re-run');
    rerun.addEventListener('click', () => actions.rerun());
    top.append(rerun);
  }

  const meta = el('div', 'meta');
  if (h.watched) meta.append(el('span', undefined, `read from ${h.watched}`));
  // A watched run has no planned epoch count: no total and no progress bar, only how far it got.
  const known = h.epochs > 0;
  meta.append(el('span', undefined, `backend: ${h.backend || '…'}`), el('span', undefined, known ? `epoch ${h.epoch}/${h.epochs}` : `epoch ${h.epoch}`), el('span', undefined, `ε = ${formatError(h.epsilon)} (${METRIC_DESCRIPTIONS[h.metric]})`));
  if (known) {
    const progress = el('progress');
    progress.max = h.epochs;
    progress.value = Math.min(h.epoch, progress.max);
    meta.append(progress);
  }

  const parts: HTMLElement[] = [top, meta];
  if (h.reason) parts.push(el('p', h.status === 'failed' ? 'error' : 'note', h.reason));
  const d = h.diagnosis;
  if (d) {
    const box = el('section', `diagnosis regime-border-${d.regime ?? d.state}`);
    box.append(el('h2', undefined, diagnosisTitle(d)), el('p', undefined, d.summary));
    const evidence = el('p', 'evidence', `training error ${formatError(d.trainError)} · validation error ${formatError(d.valError)} · gap ${formatError(d.gap)} · ε ${formatError(d.epsilon)} · epoch ${d.epoch} (since ${d.since})`);
    box.append(evidence, remediesList(d.remedies));
    parts.push(box);
  }
  if (h.insights.length > 0) {
    const list = el('section', 'insights');
    list.append(el('h2', undefined, `Insights (${h.insights.length})`));
    for (const insight of h.insights) {
      const item = el('details', `insight severity-${insight.severity}`);
      item.append(el('summary', undefined, `epoch ${insight.epoch} · ${insight.kind}: ${insight.message}`));
      const numbers = Object.entries(insight.evidence).map(([k, v]) => `${k} = ${typeof v === 'number' ? formatError(v) : String(v)}`).join(', ');
      item.append(el('p', 'evidence', numbers), remediesList(insight.remedies));
      list.append(item);
    }
    parts.push(list);
  }
  parts.push(regimeLegend());
  root.replaceChildren(...parts);
}
