/**
 * The run panel's webview side (its page, batching, exports), needed once a run panel opens. Tests and
 * tsc load it here as usual; the extension's build replaces this module with one that requires
 * `dist/run-panel.cjs` on first use (esbuild.mjs, `LAZY_SYNC_MODULES`).
 */
import * as panel from '../run-panel.js';

/** The run-panel module, loaded on the first call. */
export function runPanel(): typeof panel {
  return panel;
}
