/**
 * *Open Run at Step* (the runtime evidence's code action), through the `vscode` seam: the panel
 * highlights the point that shows the step, only once the webview has the run's rows.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { describe, it } from 'node:test';
import { RunSeries } from '../../../extension/run-series.js';

register('./vscode-hooks.js', import.meta.url);
const fake = await import('./fake-vscode.js');
const { RunPanels } = await import('../../../extension/panel.js');

const series = new RunSeries('run-s');
const row = (epoch: number, step: number) => ({ epoch, step, trainLoss: 1 / epoch, trainError: 0.5, gradNorms: {} });
series.rows.push(row(1, 100), row(2, 200), row(3, 300));
type Update = { run: { runId: string; series: RunSeries }; event: unknown; row: unknown };
let watchListener: ((u: Update) => void) | undefined;
const noEvent = () => ({ dispose: () => undefined });
const controller = { get: () => undefined, onDidUpdate: noEvent, stop: () => undefined };
const watches = {
  get: (id: string) => (id === 'run-s' ? { series } : undefined), list: () => [], paths: () => [], restore: () => undefined,
  onDidUpdate: (l: (u: Update) => void) => { watchListener = l; return { dispose: () => undefined }; },
};
const context = { subscriptions: [] as unknown[], extensionUri: fake.Uri.file('/ext') };
const highlights = (panel: InstanceType<typeof fake.FakePanel>) => panel.posted.filter((m) => (m as { type: string }).type === 'highlight');

describe('opening a run at a step', () => {
  it('highlights the point that shows the step after the snapshot the ready webview asked for', () => {
    fake.editor.reset(true);
    const panels = new RunPanels(context as never, controller as never, watches as never);
    assert.ok(panels.openAtStep('run-s', 150));
    const panel = fake.editor.panels.at(-1)!;
    assert.deepEqual(highlights(panel), [], 'nothing is posted before the webview is ready');
    panel.receive({ type: 'ready' });
    const types = panel.posted.map((m) => (m as { type: string }).type);
    assert.deepEqual(types, ['reset', 'highlight']);
    assert.deepEqual(highlights(panel), [{ type: 'highlight', range: { from: 2, to: 2 } }], 'step 150 is shown by the point logged at step 200');
    panels.dispose();
  });

  it('waits for a step the run has not reached yet, and highlights it when its row arrives', () => {
    fake.editor.reset(true);
    const panels = new RunPanels(context as never, controller as never, watches as never);
    panels.openAtStep('run-s', 400);
    const panel = fake.editor.panels.at(-1)!;
    panel.receive({ type: 'ready' });
    assert.deepEqual(highlights(panel), []);
    const next = row(4, 400);
    series.rows.push(next);
    watchListener!({ run: { runId: 'run-s', series }, event: { type: 'scalars' }, row: next });
    assert.deepEqual(highlights(panel), [{ type: 'highlight', range: { from: 4, to: 4 } }]);
    panels.dispose();
  });
});
