/**
 * Where a run's panel opens, like VS Code's preview editors: one panel per run; a run opened from
 * the Runs view (a single click) takes over the preview panel unless the user kept it; an explicit
 * *Open Run*, a training start or a watch opens a kept panel. Nothing opens a new editor group: a new
 * panel goes into the active group. Pure (no vscode), so the rules are tested without an editor.
 */

export interface PlacementState {
  /** Runs with a panel now. */
  open: ReadonlySet<string>;
  /** The run shown in the preview panel, if there is one. */
  preview: string | undefined;
  /** Whether the user pinned the preview panel's tab (then it is kept, like a pinned editor). */
  previewPinned: boolean;
}

export interface OpenRequest {
  runId: string;
  /** Opened from the Runs view with a single click: may replace the preview panel. */
  preview: boolean;
  /** Opened from the Runs view (a click or its *Open Run* button), where no text editor is in view to keep. */
  fromRunsView?: boolean;
}

/** The editor group a new panel goes to: the active one, or the one beside it. */
export type NewPanelColumn = 'active' | 'beside';

/**
 * Where a new panel opens: in the active group, except a kept panel opened while a text editor is
 * active and not from the Runs view (training started from its spec, *Open Run* from the palette),
 * which goes beside it so the spec stays in view. The Runs view never spawns a column: VS Code keeps
 * the last text editor "active" while the side bar has focus, so that alone must not decide.
 */
export function newPanelColumn(request: OpenRequest, textEditorActive: boolean): NewPanelColumn {
  return !request.preview && !request.fromRunsView && textEditorActive ? 'beside' : 'active';
}

export type Placement =
  /** The run has a panel: show it. */
  | { action: 'reveal'; runId: string }
  /** Show the run in the preview panel, which showed `replaces` until now. */
  | { action: 'reuse'; replaces: string }
  /** A new panel in the active editor group. */
  | { action: 'create' };

/** What to do for `request`, and which run is in the preview panel afterwards. */
export function placeRun(request: OpenRequest, state: PlacementState): { placement: Placement; preview: string | undefined } {
  const previewKept = state.preview !== undefined && state.previewPinned;
  const current = previewKept ? undefined : state.preview;
  if (state.open.has(request.runId)) {
    // Opened on purpose (not a passing click): the preview panel becomes a kept one.
    const preview = current === request.runId && !request.preview ? undefined : current;
    return { placement: { action: 'reveal', runId: request.runId }, preview };
  }
  if (request.preview && current !== undefined) return { placement: { action: 'reuse', replaces: current }, preview: request.runId };
  return { placement: { action: 'create' }, preview: request.preview ? request.runId : current };
}
