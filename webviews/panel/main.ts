/**
 * The run panel's script (bundled to dist/webview/webview.js). Draws what the host sends: a
 * snapshot on (re)load, then batched epochs. Keeps the last snapshot in the webview state so a
 * hidden-then-shown panel draws at once and a reloaded window can find its run again.
 */
import { PanelCharts } from './charts.js';
import { renderControls } from './controls.js';
import { renderHeader } from './header.js';
import type { HostMessage, PanelSnapshot, PanelState, WebviewMessage } from './protocol.js';
import { watchTheme } from './theme.js';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const headerRoot = document.getElementById('header')!;
const charts = new PanelCharts(document.getElementById('charts')!);
let snapshot: PanelSnapshot | undefined = vscode.getState()?.snapshot;

// The controls live outside the header, which is redrawn on every batch.
const controlsRoot = document.createElement('div');
controlsRoot.className = 'controls';
controlsRoot.setAttribute('role', 'toolbar');
controlsRoot.setAttribute('aria-label', 'Chart controls');
headerRoot.after(controlsRoot);
renderControls(controlsRoot, {
  view: (view) => charts.setView(view),
  exportPng: () => { if (snapshot) vscode.postMessage({ type: 'exportPng', runId: snapshot.header.runId, dataUrl: charts.toPng() }); },
  exportCsv: () => { if (snapshot) vscode.postMessage({ type: 'exportCsv', runId: snapshot.header.runId }); },
});

const actions = {
  stop: () => { if (snapshot) vscode.postMessage({ type: 'stop', runId: snapshot.header.runId }); },
  rerun: () => { if (snapshot) vscode.postMessage({ type: 'rerun', runId: snapshot.header.runId }); },
};

function draw(full: boolean): void {
  if (!snapshot) return;
  renderHeader(headerRoot, snapshot.header, actions);
  if (full) charts.setRows(snapshot.rows, snapshot.header);
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;

/** Saves the snapshot at most once a second: setState serializes it whole, and long runs have many rows. */
function save(): void {
  saveTimer ??= setTimeout(() => {
    saveTimer = undefined;
    if (snapshot) vscode.setState({ runId: snapshot.header.runId, snapshot });
  }, 1000);
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message.type === 'reset') {
    snapshot = message.snapshot;
    draw(true);
    // The run id at once, so a window reloaded within the second still restores this panel.
    if (vscode.getState()?.runId !== snapshot.header.runId) vscode.setState({ runId: snapshot.header.runId });
  } else if (message.type === 'append' && snapshot) {
    snapshot.rows.push(...message.rows);
    snapshot.header = message.header;
    charts.appendRows(message.rows, message.header);
    draw(false);
  } else if (message.type === 'compare') {
    charts.setCompared(message.runs);
    return;
  }
  save();
});

watchTheme(() => charts.retheme());
draw(true);
vscode.postMessage({ type: 'ready' });
