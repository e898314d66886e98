/** One panel per run, opened where the user is: the preview rules of the run panels. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeRun, type PlacementState } from '../../../extension/panel-placement.js';

const state = (open: string[], preview?: string, previewPinned = false): PlacementState => ({ open: new Set(open), preview, previewPinned });

/** Plays a sequence of opens like the panels do; returns the panels' runs and how many were created. */
function play(requests: { runId: string; preview: boolean }[], pinnedAfter?: number) {
  const open = new Set<string>();
  let preview: string | undefined;
  let pinned = false;
  let created = 0;
  requests.forEach((request, i) => {
    const next = placeRun(request, { open, preview, previewPinned: pinned });
    if (next.placement.action === 'create') { created++; open.add(request.runId); }
    if (next.placement.action === 'reuse') { open.delete(next.placement.replaces); open.add(request.runId); }
    if (next.preview !== preview) pinned = false;
    preview = next.preview;
    if (pinnedAfter === i) pinned = true;
  });
  return { open: [...open].sort(), preview, created };
}

describe('run panel placement', () => {
  it('shows three runs clicked in the Runs view in one panel, the last one', () => {
    const r = play([{ runId: 'a', preview: true }, { runId: 'b', preview: true }, { runId: 'c', preview: true }]);
    assert.equal(r.created, 1);
    assert.deepEqual(r.open, ['c']);
    assert.equal(r.preview, 'c');
  });

  it('reveals a run that already has a panel instead of opening another', () => {
    assert.deepEqual(placeRun({ runId: 'a', preview: true }, state(['a', 'b'], 'b')), { placement: { action: 'reveal', runId: 'a' }, preview: 'b' });
    const r = play([{ runId: 'a', preview: false }, { runId: 'a', preview: true }, { runId: 'a', preview: false }]);
    assert.equal(r.created, 1);
  });

  it('keeps a panel opened on purpose (Open Run, training, watching) when the next run is clicked', () => {
    const r = play([{ runId: 'trained', preview: false }, { runId: 'b', preview: true }, { runId: 'c', preview: true }]);
    assert.deepEqual(r.open, ['c', 'trained']);
    assert.equal(r.created, 2);
  });

  it('keeps the preview panel once the user pins its tab, and opens the next click in a new preview', () => {
    const r = play([{ runId: 'a', preview: true }, { runId: 'b', preview: true }], 0);
    assert.deepEqual(r.open, ['a', 'b']);
    assert.equal(r.preview, 'b');
    assert.deepEqual(placeRun({ runId: 'c', preview: true }, state(['a'], 'a', true)), { placement: { action: 'create' }, preview: 'c' });
  });

  it('turns the preview into a kept panel when its run is opened on purpose', () => {
    const next = placeRun({ runId: 'a', preview: false }, state(['a'], 'a'));
    assert.deepEqual(next, { placement: { action: 'reveal', runId: 'a' }, preview: undefined });
    // So the next click opens a new preview rather than replacing it.
    assert.deepEqual(placeRun({ runId: 'b', preview: true }, state(['a'], undefined)), { placement: { action: 'create' }, preview: 'b' });
  });

  it('leaves the preview alone when a kept panel opens', () => {
    assert.deepEqual(placeRun({ runId: 'x', preview: false }, state(['a'], 'a')), { placement: { action: 'create' }, preview: 'a' });
  });
});
