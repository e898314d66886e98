/** Module hooks (node:module `register`) that load fake-vscode.js wherever code imports `vscode`. */
const fake = new URL('./fake-vscode.js', import.meta.url).href;

type Next = (specifier: string, context: unknown) => Promise<{ url: string }>;

/** Resolves `vscode` to the fake, everything else as usual. */
export async function resolve(specifier: string, context: unknown, next: Next): Promise<{ url: string; shortCircuit?: boolean }> {
  if (specifier === 'vscode') return { url: fake, shortCircuit: true };
  return next(specifier, context);
}
