/**
 * The samples of the "Get started with Fitcheck" walkthrough. Pure (no vscode): where they come
 * from and what a sample run spec looks like once copied into the user's workspace.
 */

/** The lint sample, relative to the installed extension: a plain script, without test annotations. */
export const LINT_SAMPLE = 'samples/mnist_mistakes.py';
/** Where the lint sample is copied in a workspace, so it opens as a real file there. */
export const LINT_SAMPLE_COPY = 'fitcheck-samples/mnist_mistakes.py';
/** The bias/variance demo spec, relative to a workspace folder or to the installed extension. */
export const TRAINING_SAMPLE = 'examples/runs/hours-polynomial-overfit.fitrun.json';
/** Where the demo spec is copied in a workspace that has none. */
export const TRAINING_SAMPLE_COPY = 'fitcheck-samples/hours-polynomial-overfit.fitrun.json';

/**
 * The demo spec as it is written into a workspace: without the `$schema` path that points into this
 * repository (the extension validates every `*.fitrun.json` against its own schema anyway).
 */
export function sampleSpecForWorkspace(text: string): string {
  const spec = JSON.parse(text) as Record<string, unknown>;
  delete spec.$schema;
  return `${JSON.stringify(spec, null, 2)}\n`;
}
