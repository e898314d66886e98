/** "Fitcheck: Lint Workspace": lints every Python file, notebook, TensorFlow.js script and run spec, with progress and cancellation. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { WorkDoneProgress } from 'vscode-languageserver-protocol';
import { LintFilesRequest } from '../analyzers/server/protocol.js';

const BATCH = 25;
/** Numbers each batch's progress token (unique within the session). */
let requests = 0;
const EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/.git/**,**/site-packages/**,**/__pycache__/**,**/.fitcheck/**}';

/** Registers the command; results for files that are not open go to their own diagnostic collection. */
export function registerLintWorkspace(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  const collection = vscode.languages.createDiagnosticCollection('fitcheck-workspace');
  context.subscriptions.push(
    collection,
    // Open documents get live diagnostics from the server; drop the workspace copy to avoid duplicates.
    vscode.workspace.onDidOpenTextDocument((document) => collection.delete(document.uri)),
    vscode.commands.registerCommand('fitcheck.lintWorkspace', () => lintWorkspace(collection, client())),
  );
}

async function lintWorkspace(collection: vscode.DiagnosticCollection, client: LanguageClient | undefined): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage('Fitcheck: the language server is not running yet; try again in a moment.');
    return;
  }
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Fitcheck: linting the workspace', cancellable: true },
    async (progress, token) => {
      const files = await vscode.workspace.findFiles('**/*.{py,ipynb,ts,tsx,js,jsx,mjs,cjs,fitrun.json}', EXCLUDE, undefined, token);
      collection.clear();
      let problems = 0;
      let done = 0;
      const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
      /** The count so far, with what the server is doing first when it says (the project's parse). */
      const counted = (doing?: string) => ({ message: `${done} of ${files.length} files${doing ? ` (${doing})` : ''}` });
      progress.report(counted());
      for (let i = 0; i < files.length && !token.isCancellationRequested; i += BATCH) {
        const batch = files.slice(i, i + BATCH);
        // The first batch can take many seconds (the workers parse the Python project once, up front): the
        // server reports that parse on this token.
        const workDoneToken = `fitcheck-lint-workspace-${++requests}`;
        const reading = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          // The parse ends before the batch's own files are linted: the count alone again.
          progress.report(counted(value.kind === 'end' ? undefined : value.message));
        });
        const results = await client.sendRequest(LintFilesRequest, { uris: batch.map((u) => u.toString()), workDoneToken }, token)
          .finally(() => reading.dispose());
        for (const [uri, diagnostics] of Object.entries(results)) {
          // A module's analysis may place findings in another file (the model's module): merge, never replace.
          // The client's own converter keeps what a hand-made copy dropped: related information, tags.
          const target = vscode.Uri.parse(uri);
          const merged = [...(collection.get(target) ?? [])];
          for (const diagnostic of await client.protocol2CodeConverter.asDiagnostics(diagnostics, token)) {
            if (merged.some((m) => sameDiagnostic(m, diagnostic))) continue;
            merged.push(diagnostic);
            problems++;
          }
          if (!open.has(uri)) collection.set(target, merged);
        }
        done += batch.length;
        progress.report({ ...counted(), increment: (100 * batch.length) / Math.max(1, files.length) });
      }
      const summary = `Fitcheck: ${problems} problem${problems === 1 ? '' : 's'} in ${done} file${done === 1 ? '' : 's'}` +
        (token.isCancellationRequested ? ' (cancelled)' : '');
      void vscode.window.showInformationMessage(summary, 'Show Problems').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
    },
  );
}

function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
  return code(a) === code(b) && a.range.isEqual(b.range);
}
