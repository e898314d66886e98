/**
 * Lint Workspace through the `vscode` seam: while the server parses the Python project for the first
 * batch, the progress notification shows how far that parse has got, from the batch's own progress token.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { describe, it } from 'node:test';
import type { WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageserver-protocol';

register('./vscode-hooks.js', import.meta.url);
const fake = await import('./fake-vscode.js');
const { registerLintWorkspace } = await import('../../../extension/lint-workspace.js');

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** A language client whose server reports `parse` on the first request's token and answers every request with no diagnostics (or fails them all). */
function clientReporting(parse: Progress[], fails = false) {
  const handlers = new Map<string, (value: Progress) => void>();
  const tokens: string[] = [];
  let requests = 0;
  const client = {
    isRunning: () => true,
    onProgress: (_type: unknown, token: string, handler: (value: Progress) => void) => {
      handlers.set(token, handler);
      return { dispose: () => handlers.delete(token) };
    },
    sendRequest: async (_type: unknown, params: { uris: string[]; workDoneToken: string }) => {
      tokens.push(params.workDoneToken);
      if (requests++ === 0) for (const value of parse) handlers.get(params.workDoneToken)?.(value);
      if (fails) throw new Error('the language server stopped');
      return {};
    },
    protocol2CodeConverter: { asDiagnostics: async () => [] },
  };
  return { client, tokens, listening: () => handlers.size };
}

describe('Lint Workspace\u2019s progress', () => {
  it('shows the server\u2019s parse of the project during the first batch, on a token of that batch only', async () => {
    fake.workspace.files = Array.from({ length: 30 }, (_, i) => fake.Uri.file(`/ws/m${i}.py`));
    fake.progressMessages.length = 0;
    const { client, tokens, listening } = clientReporting([
      { kind: 'begin', title: 'Reading the Python project', percentage: 0, message: 'reading Python modules: 0 of 30' },
      { kind: 'report', percentage: 50, message: 'reading Python modules: 15 of 30' },
      { kind: 'end' },
    ]);
    const context = { subscriptions: [] as unknown[] };
    registerLintWorkspace(context as never, () => client as never);
    await fake.registered.get('fitcheck.lintWorkspace')!();
    assert.deepEqual(fake.progressMessages, [
      '0 of 30 files',
      '0 of 30 files (reading Python modules: 0 of 30)',
      '0 of 30 files (reading Python modules: 15 of 30)',
      '0 of 30 files',
      '25 of 30 files',
      '30 of 30 files',
    ]);
    assert.equal(tokens.length, 2);
    assert.notEqual(tokens[0], tokens[1], 'each batch has its own token');
    assert.equal(listening(), 0, 'no handler is left listening after its batch');
  });

  it('leaves no handler listening when a batch\u2019s request fails', async () => {
    fake.workspace.files = [fake.Uri.file('/ws/a.py'), fake.Uri.file('/ws/b.py')];
    const { client, tokens, listening } = clientReporting([{ kind: 'begin', title: 'Reading the Python project', message: 'reading Python modules: 0 of 2' }], true);
    registerLintWorkspace({ subscriptions: [] } as never, () => client as never);
    await assert.rejects(async () => fake.registered.get('fitcheck.lintWorkspace')!(), /the language server stopped/);
    assert.equal(tokens.length, 1);
    assert.equal(listening(), 0);
  });
});
