/** Code actions on runtime evidence: open the run it was measured in, at the step it was measured. */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { OPEN_RUN_AT_STEP_COMMAND } from '../protocol.js';
import { RUNTIME_SOURCE } from './runtime-diagnostics.js';

/** "Open run r at step 1200" for each `fitcheck-run` diagnostic among `diagnostics`. */
export function openRunActions(diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== RUNTIME_SOURCE) continue;
    const data = diagnostic.data as { runFile?: unknown; runId?: unknown; step?: unknown } | undefined;
    if (typeof data?.runFile !== 'string' || typeof data.step !== 'number') continue;
    const run = typeof data.runId === 'string' ? `run ${data.runId}` : 'the run';
    actions.push({
      title: `Open ${run} at step ${data.step}`,
      // A quick fix in kind only, so the hover's "Quick Fix..." and Ctrl+. list it: it edits nothing.
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: `Open ${run} at step ${data.step}`, command: OPEN_RUN_AT_STEP_COMMAND, arguments: [data.runFile, data.step] },
    });
  }
  return actions;
}
