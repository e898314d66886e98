/**
 * Where run panels open, through the `vscode` seam: extension/panel.ts runs against fake-vscode.ts,
 * which counts editor groups. Runs clicked in the Runs view share one panel in the active group.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { after, beforeEach, describe, it } from 'node:test';
import { RunSeries } from '../../../extension/run-series.js';

register('./vscode-hooks.js', import.meta.url);
const fake = await import('./fake-vscode.js');
const { RunPanels, PREVIEW_RUN_COMMAND } = await import('../../../extension/panel.js');

const RUNS = ['run-a', 'run-b', 'run-c'];
const series = new Map(RUNS.map((id) => [id, new RunSeries(id)]));
const noEvent = () => ({ dispose: () => undefined });
const controller = { get: (id: string) => (series.has(id) ? { series: series.get(id)! } : undefined), onDidUpdate: noEvent, stop: () => undefined };
const watches = { get: () => undefined, list: () => [], paths: () => [], restore: () => undefined, onDidUpdate: noEvent };
const context = { subscriptions: [] as unknown[], extensionUri: fake.Uri.file('/ext') };
// The seam is typed by vscode's declarations; the fakes cover what the panels use.
const panels = new RunPanels(context as never, controller as never, watches as never);
const clickInRunsView = (runId: string) => fake.registered.get(PREVIEW_RUN_COMMAND)!(runId);

describe('opening run panels through the vscode seam', () => {
  beforeEach(() => {
    panels.dispose();
    fake.editor.reset(true);
  });
  after(() => panels.dispose());

  it('shows three runs clicked in the Runs view in one panel, in the one editor group', () => {
    for (const id of RUNS) clickInRunsView(id);
    assert.equal(fake.editor.groups, 1);
    assert.equal(fake.editor.created.length, 1);
    assert.equal(fake.editor.created[0]!.viewColumn, fake.ViewColumn.Active);
    assert.equal(fake.editor.panels[0]!.title, 'Run: run-c');
  });

  it('opens runs with the Runs view\'s Open Run button in the active group, even with a text editor active', () => {
    panels.open('run-a', { fromRunsView: true });
    fake.window.activeTextEditor = {};
    panels.open('run-b', { fromRunsView: true });
    assert.equal(fake.editor.groups, 1);
    assert.deepEqual(fake.editor.created.map((c) => c.viewColumn), [fake.ViewColumn.Active, fake.ViewColumn.Active]);
  });

  it('reveals the panel a run already has instead of opening another', () => {
    panels.open('run-a', { fromRunsView: true });
    panels.open('run-a', { fromRunsView: true });
    clickInRunsView('run-a');
    assert.equal(fake.editor.created.length, 1);
    assert.equal(fake.editor.groups, 1);
  });

  it('opens a run beside the text editor it was started from, so the spec stays in view', () => {
    panels.open('run-a');
    assert.equal(fake.editor.created[0]!.viewColumn, fake.ViewColumn.Beside);
    assert.equal(fake.editor.groups, 2);
  });
});
