/** The TypeScript compiler API of the loaded ts-morph, bound before any analysis runs (see loader.ts). */
import type { ts } from 'ts-morph';

export type TsApi = typeof ts;

/** Set by {@link useTypeScript}; the front-end's modules read syntax kinds and node guards from it. */
export let TS: TsApi;

export function useTypeScript(api: TsApi): void {
  TS = api;
}
