/**
 * The run panel's script (bundled to dist/webview/webview.js). Draws what the host sends: a
 * snapshot on (re)load, then batched epochs. The webview state holds only the run id and the view
 * settings, so a reloaded window can find the run again; the series itself comes back from the
 * host, which sends a snapshot whenever the webview (re)loads (shown again after being hidden, or
 * restored after a reload) and says `ready`.
 */
import { DEFAULT_VIEW, PanelCharts, type ChartView } from './charts.js';
import { renderControls } from './controls.js';
import { clearHighlight, regimeLegend, renderHeader } from './header.js';
import type { EpochRange } from './insight-groups.js';
import { parseViewState, type HostMessage, type PanelHeader, type PanelState, type WebviewMessage } from './protocol.js';
import { watchTheme } from './theme.js';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
// First thing: the host reads and sends the run while this script builds the page (the message
// cannot arrive before the listener below is in place: it is queued until this script has run).
vscode.postMessage({ type: 'ready' });
const headerRoot = document.getElementById('header')!;
// The controls sit between the header and the charts (built once; the header is redrawn on every batch).
const controlsRoot = document.createElement('div');
controlsRoot.className = 'controls';
controlsRoot.setAttribute('role', 'toolbar');
controlsRoot.setAttribute('aria-label', 'Chart controls');
headerRoot.after(controlsRoot);
let zoomControl: ((zoomed: boolean) => void) | undefined;
const charts = new PanelCharts(document.getElementById('charts')!, (zoomed) => zoomControl?.(zoomed));
/** The run shown now; the rows live in the charts' columns only. */
let header: PanelHeader | undefined;
const saved = vscode.getState();
const view: ChartView = { ...DEFAULT_VIEW, ...parseViewState(saved?.view) };
charts.setView(view);

/** Saves the run id and view settings (small: setState serializes the state whole). */
function save(): void {
  const runId = header?.runId ?? saved?.runId;
  if (runId) vscode.setState({ runId, view: { smoothing: view.smoothing, logLoss: view.logLoss } });
}

zoomControl = renderControls(controlsRoot, {
  view: (next) => {
    Object.assign(view, next);
    charts.setView(next);
    save();
  },
  exportPng: () => { if (header) vscode.postMessage({ type: 'exportPng', runId: header.runId, dataUrl: charts.toPng() }); },
  exportCsv: () => { if (header) vscode.postMessage({ type: 'exportCsv', runId: header.runId }); },
  resetZoom: () => charts.resetZoom(),
}, view);
document.getElementById('charts')!.after(regimeLegend());

const actions = {
  stop: () => { if (header) vscode.postMessage({ type: 'stop', runId: header.runId }); },
  rerun: () => { if (header) vscode.postMessage({ type: 'rerun', runId: header.runId }); },
  highlight: (range: EpochRange | undefined) => charts.highlight(range),
  axis: charts.xAxis,
};

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message.type === 'reset') {
    const runChanged = header?.runId !== message.snapshot.header.runId;
    if (header && runChanged) {
      // The preview panel now shows another run: the last one's overlays, zoom and highlight go.
      clearHighlight();
      charts.highlight(undefined);
      charts.setCompared([]);
      charts.resetZoom();
    }
    header = message.snapshot.header;
    // The charts first: the header names points by the steps they record.
    charts.setRows(message.snapshot.rows, header);
    renderHeader(headerRoot, header, actions);
    // At once, so a window reloaded right after still restores this panel.
    if (runChanged || vscode.getState()?.runId !== header.runId) save();
  } else if (message.type === 'append' && header) {
    header = message.header;
    charts.appendRows(message.rows, header);
    renderHeader(headerRoot, header, actions);
  } else if (message.type === 'compare') {
    charts.setCompared(message.runs);
  } else if (message.type === 'highlight') {
    // Not an insight's range: no insight button stays pressed.
    clearHighlight();
    charts.highlight(message.range);
  }
});

watchTheme(() => charts.retheme());
