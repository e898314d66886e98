/**
 * The language server's runtime evidence follows the runs the panel shows: when a watched run in
 * Fitcheck JSONL (a monitored run, a helper run) gains records, the server hears of it at most every
 * RUN_NOTICE_MS. The client's file watcher reports the same files, but under load its events came
 * late or not at all, and the evidence of a live monitored run never reached the code.
 */
import type * as vscode from 'vscode';
import type { WatchUpdateEvent } from './watching.js';

/** How often at most the server hears that a watched Fitcheck JSONL run grew. */
export const RUN_NOTICE_MS = 1000;

/** Calls `notify` after Fitcheck JSONL runs gain records: at once for the first, then at most every `intervalMs`. */
export function noticeRunRecords(onDidUpdate: vscode.Event<WatchUpdateEvent>, notify: () => void, intervalMs = RUN_NOTICE_MS): { dispose(): void } {
  let lastSent = -Infinity;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    pending = undefined;
    lastSent = Date.now();
    notify();
  };
  const subscription = onDidUpdate((u) => {
    if (pending || !u.run.target.files.some((f) => f.file.endsWith('.fitcheck.jsonl'))) return;
    pending = setTimeout(send, Math.max(0, lastSent + intervalMs - Date.now()));
  });
  return {
    dispose: () => {
      subscription.dispose();
      if (pending) clearTimeout(pending);
    },
  };
}
