/**
 * Loads ts-morph on first use, never at startup: the Python linter, the CLI and the language server
 * only pay for it (TypeScript is ~9 MB of JavaScript) once a file that imports TensorFlow.js is linted.
 *
 * The extension ships ts-morph as `dist/ts-morph.cjs` (built by `analyzers/tfjs/bundle-ts-morph.mjs`),
 * next to the server bundle; everywhere else (the CLI installed from npm, the compiled tests, a checkout)
 * the `ts-morph` package is resolved from node_modules. The specifier is computed at run time so that no
 * bundler inlines it into the startup bundles.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TsMorph from 'ts-morph';

export type TsMorphModule = typeof TsMorph;

/** The bundled copy, beside the running bundle. */
export const BUNDLED_TS_MORPH = 'ts-morph.cjs';
const PACKAGE = ['ts', 'morph'].join('-');

let loaded: TsMorphModule | undefined;

/** ts-morph, loaded synchronously on the first call (a few hundred milliseconds once per process). */
export function loadTsMorph(): TsMorphModule {
  if (loaded) return loaded;
  const load = createRequire(import.meta.url);
  const bundled = path.join(path.dirname(fileURLToPath(import.meta.url)), BUNDLED_TS_MORPH);
  loaded = (fs.existsSync(bundled) ? load(bundled) : load(PACKAGE)) as TsMorphModule;
  return loaded;
}

/** Whether ts-morph has been loaded in this process (for tests and the benchmark). */
export function tsMorphLoaded(): boolean {
  return loaded !== undefined;
}
