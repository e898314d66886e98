/**
 * The live run analysis (the bias/variance, gradient and overfitting checks), which only a run that is
 * training or a stored run without its final diagnosis needs. Tests and tsc load it here as usual; the
 * extension's build replaces this module with one that requires `dist/run-analysis.cjs` on first use
 * (esbuild.mjs, `LAZY_SYNC_MODULES`), so activation neither loads nor parses it.
 */
import * as analysis from '../../metrics/diagnosis/insights.js';

/** The run-analysis module, loaded on the first call. */
export function runAnalysis(): typeof analysis {
  return analysis;
}
