/** Messages from the webview are untrusted: only the exact shapes we expect get through. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRunId, parsePanelState, parseWebviewMessage } from '../../../webviews/panel/protocol.js';

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
});
