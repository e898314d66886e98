/**
 * A fake of the few `vscode` APIs the run panels use (extension/panel.ts), loaded in place of
 * `vscode` by vscode-hooks.ts. It models editor groups as numbered columns, so tests can count them.
 */

const disposable = { dispose: () => undefined };
type Listener = (...args: unknown[]) => void;

export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 } as const;

export class Uri {
  private constructor(readonly fsPath: string) {}
  static file(fsPath: string): Uri { return new Uri(fsPath); }
  static parse(uri: string): Uri { return new Uri(uri.replace(/^file:\/\//, '')); }
  static joinPath(base: Uri, ...parts: string[]): Uri { return new Uri([base.fsPath, ...parts].join('/')); }
  toString(): string { return `file://${this.fsPath}`; }
}

export class TabInputWebview {
  constructor(readonly viewType: string) {}
}

/** What the fake editor shows: how many groups, which is active, and every panel made. */
export const editor = {
  groups: 1,
  activeGroup: 1,
  panels: [] as FakePanel[],
  created: [] as { title: string; viewColumn: number; preserveFocus: boolean }[],
  /** Back to one group with a text editor in it and no panels. */
  reset(textEditorActive: boolean): void {
    this.groups = 1;
    this.activeGroup = 1;
    this.panels = [];
    this.created = [];
    window.activeTextEditor = textEditorActive ? {} : undefined;
  },
  /** The group a `ViewColumn` lands in; `Beside` makes a group when there is none to the right. */
  place(column: number): number {
    const group = column === ViewColumn.Active ? this.activeGroup : column === ViewColumn.Beside ? this.activeGroup + 1 : column;
    this.groups = Math.max(this.groups, group);
    return group;
  },
};

export class FakePanel {
  active = true;
  visible = true;
  private readonly disposeListeners: Listener[] = [];
  private messageListener: Listener | undefined;
  /** What the host posted to the webview, in order. */
  readonly posted: unknown[] = [];
  readonly webview = {
    options: {} as unknown,
    html: '',
    cspSource: 'vscode-webview:',
    asWebviewUri: (uri: Uri) => uri,
    onDidReceiveMessage: (listener: Listener) => { this.messageListener = listener; return disposable; },
    postMessage: async (message: unknown) => { this.posted.push(message); return true; },
  };

  /** A message from the webview to the host (`{ type: 'ready' }` once its script has loaded). */
  receive(message: unknown): void {
    this.messageListener?.(message);
  }

  constructor(readonly viewType: string, public title: string, public viewColumn: number) {}

  reveal(column?: number, preserveFocus?: boolean): void {
    this.viewColumn = editor.place(column ?? this.viewColumn);
    if (!preserveFocus) editor.activeGroup = this.viewColumn;
  }

  onDidDispose(listener: Listener) { this.disposeListeners.push(listener); return disposable; }
  onDidChangeViewState() { return disposable; }
  dispose(): void { for (const l of this.disposeListeners.splice(0)) l(); }
}

export const window = {
  activeTextEditor: undefined as unknown,
  tabGroups: { all: [] as unknown[], onDidChangeTabs: () => disposable },
  createWebviewPanel(viewType: string, title: string, show: { viewColumn: number; preserveFocus?: boolean }): FakePanel {
    const panel = new FakePanel(viewType, title, editor.place(show.viewColumn));
    // Focus moves to a new panel unless asked not to; a webview is not a text editor.
    if (!show.preserveFocus) {
      editor.activeGroup = panel.viewColumn;
      window.activeTextEditor = undefined;
    }
    editor.panels.push(panel);
    editor.created.push({ title, viewColumn: show.viewColumn, preserveFocus: show.preserveFocus === true });
    return panel;
  },
  registerWebviewPanelSerializer: () => disposable,
  showErrorMessage: async () => undefined,
  showInformationMessage: async () => undefined,
  showWarningMessage: async () => undefined,
  /** Runs the task at once; what it reports goes to {@link progressMessages}. */
  async withProgress<T>(_options: unknown, task: (progress: { report(value: { message?: string }): void }, token: { isCancellationRequested: boolean }) => Promise<T>): Promise<T> {
    return task({ report: (value) => { if (value.message) progressMessages.push(value.message); } }, { isCancellationRequested: false });
  },
};

/** Every progress message reported through `window.withProgress`, in order. */
export const progressMessages: string[] = [];

export const ProgressLocation = { Notification: 15 } as const;

export const languages = {
  createDiagnosticCollection: () => {
    const items = new Map<string, unknown[]>();
    return {
      get: (uri: Uri) => items.get(uri.toString()),
      set: (uri: Uri, diagnostics: unknown[]) => { items.set(uri.toString(), diagnostics); },
      delete: (uri: Uri) => { items.delete(uri.toString()); },
      clear: () => items.clear(),
      dispose: () => items.clear(),
    };
  },
};

/** Commands registered by the code under test, by id. */
export const registered = new Map<string, (...args: unknown[]) => unknown>();

export const commands = {
  registerCommand(id: string, run: (...args: unknown[]) => unknown) { registered.set(id, run); return disposable; },
  executeCommand: async () => undefined,
};

export const workspace = {
  workspaceFolders: undefined as unknown,
  textDocuments: [] as unknown[],
  /** What `findFiles` answers (Lint Workspace's file list). */
  files: [] as Uri[],
  findFiles: async () => workspace.files,
  onDidOpenTextDocument: () => disposable,
};
