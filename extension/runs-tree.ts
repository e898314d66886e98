/** The "Runs" tree view: every run under `.fitcheck/runs` of the workspace folders, newest first. */
import * as vscode from 'vscode';
import { listAllRuns, readRun } from './run-locate.js';
import { describeRun, STATUS_ICONS, summarizeRun, type RunSummary } from './run-list.js';
import { PREVIEW_RUN_COMMAND, workspaceRoots } from './panel.js';
import type { TrainingController } from './training.js';
import type { WatchController } from './watching.js';

/** One run in the tree; commands receive it as their argument. */
export class RunItem extends vscode.TreeItem {
  /** `watchPath` is set for a run read from another program's files (*Watch Run…*). */
  constructor(readonly runId: string, readonly dir: string, readonly summary: RunSummary, readonly watchPath?: string) {
    const words = describeRun(summary);
    super(words.label, vscode.TreeItemCollapsibleState.None);
    this.id = runId;
    this.description = watchPath ? ['watching', words.description].filter(Boolean).join(' · ') : words.description;
    this.tooltip = watchPath ? `${words.tooltip}\nRead from: ${dir}` : words.tooltip;
    this.iconPath = new vscode.ThemeIcon(watchPath ? 'eye' : STATUS_ICONS[summary.status]);
    // `run.running` hides delete, `watched` has its own actions; menus match /^run/ for the rest.
    this.contextValue = watchPath ? 'watched' : summary.status === 'running' ? 'run.running' : 'run';
    // A click previews the run in the one preview panel; the inline and context *Open Run* keep a panel.
    this.command = { title: 'Open Run', command: PREVIEW_RUN_COMMAND, arguments: [runId] };
  }
}

class RunsProvider implements vscode.TreeDataProvider<RunItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly controller: TrainingController, private readonly watches: WatchController) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: RunItem): RunItem {
    return item;
  }

  getChildren(parent?: RunItem): RunItem[] {
    if (parent) return [];
    const watched = this.watches.list().map((r) => new RunItem(r.runId, r.target.root, summarizeRun(r.runId, r.events, !r.events.some((e) => e.type === 'end')), r.watchPath));
    return [...watched, ...listAllRuns(workspaceRoots()).map(({ runId, dir }) => {
      const live = this.controller.get(runId);
      const running = live?.series.header.status === 'running';
      return new RunItem(runId, dir, summarizeRun(runId, readRun(dir).events.events, running));
    })];
  }
}

/** Registers the view and keeps it fresh as runs are written; returns a refresh function. */
export function registerRunsTree(context: vscode.ExtensionContext, controller: TrainingController, watches: WatchController): () => void {
  const provider = new RunsProvider(controller, watches);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // events.jsonl grows every epoch; re-reading every run on each write would be wasteful.
  const refreshSoon = () => { timer ??= setTimeout(() => { timer = undefined; provider.refresh(); }, 500); };
  const watcher = vscode.workspace.createFileSystemWatcher('**/.fitcheck/runs/*/events.jsonl');
  context.subscriptions.push(
    vscode.window.createTreeView('fitcheck.runs', { treeDataProvider: provider }),
    watcher,
    watcher.onDidCreate(refreshSoon),
    watcher.onDidDelete(refreshSoon),
    controller.onDidUpdate((u) => { if (u.event.type !== 'epoch') refreshSoon(); }),
    // A watched run's regime and best value change with its epochs; the half-second debounce bounds the redraws.
    watches.onDidUpdate(refreshSoon),
    watches.onDidChangeRuns(refreshSoon),
    vscode.workspace.onDidChangeWorkspaceFolders(refreshSoon),
    { dispose: () => clearTimeout(timer) },
  );
  return () => provider.refresh();
}
