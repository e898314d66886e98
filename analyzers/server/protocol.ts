/** Fitcheck's own LSP messages, typed once and shared by the language server and the extension's client. */
import { NotificationType0, RequestType, type Diagnostic, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';

/**
 * The files of a *Lint Workspace* batch, by URI. With a `workDoneToken`, the server reports on it how far the
 * batch's parse of the Python project has got: on two or more lint threads, the first batch has the workers
 * parse the whole project before it lints its files (one thread parses as it goes, and reports nothing).
 */
export interface LintFilesParams extends WorkDoneProgressParams {
  uris: string[];
}

/** Diagnostics per URI; a file that is disabled or was not reached is absent. */
export type LintFilesResult = Record<string, Diagnostic[]>;

/** `fitcheck/lintFiles`: lints files from disk for *Lint Workspace* (the client batches and shows progress). */
export const LintFilesRequest = new RequestType<LintFilesParams, LintFilesResult, void>('fitcheck/lintFiles');

/** `fitcheck/workspaceTrusted`: the user trusted the workspace, so restricted settings now apply. */
export const WorkspaceTrustedNotification = new NotificationType0('fitcheck/workspaceTrusted');

/**
 * `fitcheck/runRecordsChanged`: a watched or monitored run in Fitcheck JSONL gained records. The
 * client's file watcher reports the same, but its events can arrive late or not at all under load,
 * and the runtime evidence on the code must follow the run the panel shows.
 */
export const RunRecordsChangedNotification = new NotificationType0('fitcheck/runRecordsChanged');

/** The runtime evidence's code action runs this client command with (run file, step): the run opens at that step. */
export const OPEN_RUN_AT_STEP_COMMAND = 'fitcheck.openRunAtStep';
