/** Messages from the webview are untrusted: only the exact shapes we expect get through. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PNG_DATA_URL, isPngDataUrl, isRunId, parsePanelState, parseViewState, parseWebviewMessage } from '../../../webviews/panel/protocol.js';

describe('webview message validation', () => {
  it('accepts ready, stop and rerun with a run id', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'stop', runId: '20260125-152233-demo-1f0c' }), { type: 'stop', runId: '20260125-152233-demo-1f0c' });
    assert.deepEqual(parseWebviewMessage({ type: 'rerun', runId: 'a.b_c-d' }), { type: 'rerun', runId: 'a.b_c-d' });
  });

  it('rejects unknown types, extra fields, missing or bad run ids and non-objects', () => {
    for (const bad of [
      null, undefined, 'ready', 42, [], ['ready'], {}, { type: 'exec', command: 'rm -rf /' }, { type: 'ready', extra: 1 },
      { type: 'stop' }, { type: 'stop', runId: 7 }, { type: 'stop', runId: '../../etc' }, { type: 'stop', runId: 'a/b' },
      { type: 'stop', runId: 'a\\b' }, { type: 'stop', runId: '' }, { type: 'stop', runId: 'x'.repeat(121) }, { type: 'stop', runId: '.hidden' },
      { type: 'stop', runId: 'ok', more: true }, { type: '__proto__' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('accepts the export messages with a run id and, for PNG, a base64 PNG data URL', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'exportCsv', runId: 'r1' }), { type: 'exportCsv', runId: 'r1' });
    const dataUrl = 'data:image/png;base64,iVBORw0KGgo=';
    assert.deepEqual(parseWebviewMessage({ type: 'exportPng', runId: 'r1', dataUrl }), { type: 'exportPng', runId: 'r1', dataUrl });
  });

  it('rejects export messages with bad run ids, extra fields or anything but PNG data', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    for (const bad of [
      { type: 'exportCsv' }, { type: 'exportCsv', runId: '../x' }, { type: 'exportCsv', runId: 'r1', path: '/etc/passwd' },
      { type: 'exportPng', runId: 'r1' }, { type: 'exportPng', dataUrl: png }, { type: 'exportPng', runId: '../x', dataUrl: png },
      { type: 'exportPng', runId: 'r1', dataUrl: png, path: '/tmp/x.png' }, { type: 'exportPng', runId: 'r1', dataUrl: 42 },
      { type: 'exportPng', runId: 'r1', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' },
      { type: 'exportPng', runId: 'r1', dataUrl: 'data:image/png;base64,<svg onload=x>' },
      { type: 'exportPng', runId: 'r1', dataUrl: 'https://example.com/x.png' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('bounds the size of a PNG data URL', () => {
    const prefix = 'data:image/png;base64,';
    assert.equal(isPngDataUrl(prefix + 'A'.repeat(MAX_PNG_DATA_URL - prefix.length)), true);
    assert.equal(isPngDataUrl(prefix + 'A'.repeat(MAX_PNG_DATA_URL - prefix.length + 4)), false);
  });

  it('keeps run ids to single path segments', () => {
    assert.equal(isRunId('20260125-152233-hours-straight-line-1f0c'), true);
    assert.equal(isRunId('a..b'), false);
    assert.equal(isRunId('C:evil'), false);
  });

  it('restores only a state with a valid run id', () => {
    assert.deepEqual(parsePanelState({ runId: 'r1', snapshot: { big: true } }), { runId: 'r1' });
    assert.equal(parsePanelState({ runId: '../x' }), undefined);
    assert.equal(parsePanelState(undefined), undefined);
    assert.equal(parsePanelState('r1'), undefined);
  });

  it('restores view settings only when well-formed (an old or damaged state gives the defaults)', () => {
    assert.deepEqual(parseViewState({ smoothing: 0.6, logLoss: true }), { smoothing: 0.6, logLoss: true });
    assert.deepEqual(parseViewState({ smoothing: 0, logLoss: false, extra: 1 }), { smoothing: 0, logLoss: false });
    for (const bad of [undefined, null, 'x', {}, { smoothing: '0.5', logLoss: true }, { smoothing: Number.NaN, logLoss: true },
      { smoothing: -0.1, logLoss: true }, { smoothing: 2, logLoss: false }, { smoothing: 0.5, logLoss: 'yes' }]) {
      assert.equal(parseViewState(bad), undefined, JSON.stringify(bad));
    }
  });
});
