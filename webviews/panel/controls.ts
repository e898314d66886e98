/**
 * The chart controls under the header: smoothing slider, log-scale loss, follow latest, Export PNG
 * and Export CSV. Built once (the header is redrawn on every batch; these keep focus and state).
 * Buttons and checkboxes are `@vscode-elements/elements` (VS Code's look, focusable, with a role and
 * an accessible name); the slider is a native labelled range input (the library has no slider).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import { DEFAULT_VIEW, type ChartView } from './charts.js';
import { MAX_SMOOTHING } from './smoothing.js';

export interface ControlActions {
  view(view: ChartView): void;
  exportPng(): void;
  exportCsv(): void;
  /** Shows every epoch again after a zoom or pan. */
  resetZoom(): void;
}

let ids = 0;

/** A checkbox with its label (the element names itself from `label`). */
function toggle(text: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const box = document.createElement('vscode-checkbox');
  box.label = text;
  box.checked = checked;
  box.addEventListener('change', () => onChange(box.checked));
  return box;
}

/** A secondary button; the accessible name starts with the visible text. */
function button(text: string, ariaLabel: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.secondary = true;
  b.textContent = text;
  b.setAttribute('aria-label', ariaLabel);
  b.addEventListener('click', onClick);
  return b;
}

/** Fills `root` with the controls, starting from `initial`; returns a function that says whether the charts are zoomed. */
export function renderControls(root: HTMLElement, actions: ControlActions, initial: ChartView = DEFAULT_VIEW): (zoomed: boolean) => void {
  const view = { ...initial };
  const changed = (): void => actions.view({ ...view });

  const id = `smoothing-${++ids}`;
  const smoothing = document.createElement('span');
  smoothing.className = 'control';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = 'Smoothing';
  const slider = document.createElement('input');
  slider.id = id;
  slider.type = 'range';
  slider.min = '0';
  slider.max = String(MAX_SMOOTHING);
  slider.step = '0.01';
  slider.value = String(view.smoothing);
  slider.setAttribute('aria-label', 'Smoothing of the loss and error curves');
  const value = document.createElement('output');
  value.htmlFor.add(id);
  value.textContent = view.smoothing.toFixed(2);
  slider.addEventListener('input', () => {
    view.smoothing = Number(slider.value);
    value.textContent = view.smoothing.toFixed(2);
    changed();
  });
  smoothing.append(label, slider, value);

  const reset = button('Reset zoom', 'Reset zoom: show every epoch (drag on a chart to zoom, Shift+drag to pan)', actions.resetZoom);
  reset.title = 'Drag on a chart to zoom into epochs, Shift+drag to pan, Ctrl+wheel to zoom';
  reset.toggleAttribute('disabled', true);
  root.replaceChildren(
    smoothing,
    toggle('Log-scale loss', view.logLoss, (on) => { view.logLoss = on; changed(); }),
    toggle('Follow latest', view.follow, (on) => { view.follow = on; changed(); }),
    reset,
    button('Export PNG', 'Export PNG: save the charts as an image', actions.exportPng),
    button('Export CSV', 'Export CSV: save the series as a table', actions.exportCsv),
  );
  return (zoomed) => reset.toggleAttribute('disabled', !zoomed);
}
