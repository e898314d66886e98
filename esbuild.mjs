// Bundles the extension (CommonJS, `vscode` external), the language server and the CLI (ES modules),
// and copies the tree-sitter wasm files next to them.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const outdir = 'dist';
const esmRequireShim = "import { createRequire as __fitcheckCreateRequire } from 'node:module'; const require = __fitcheckCreateRequire(import.meta.url);";
// tfjs-backend-wasm reads __dirname unguarded; ES modules have none.
const esmDirShim = "import { fileURLToPath as __fcUrl } from 'node:url'; import { dirname as __fcDir } from 'node:path'; const __filename = __fcUrl(import.meta.url); const __dirname = __fcDir(__filename);";

const common = {
  bundle: true, platform: 'node', target: 'node20', sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none',
  // jsonc-parser's UMD main defeats bundling; its ESM build bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

/**
 * Modules the extension imports on first use only, each built as a bundle of its own next to
 * extension.cjs: activation then neither loads nor parses them (esbuild cannot split CommonJS output).
 */
const LAZY_EXTENSION_MODULES = { 'training-deps': 'extension/training-deps.ts', watcher: 'metrics/watch/watcher.ts' };
const lazyExtensionModules = {
  name: 'lazy-extension-modules',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) => {
      const name = args.path.slice(2, -3);
      if (args.kind !== 'dynamic-import' || !(name in LAZY_EXTENSION_MODULES)) return undefined;
      return { path: `./${name}.cjs`, external: true };
    });
  },
};
/**
 * Modules needed synchronously but rarely: the extension calls a loader in extension/lazy/, which the
 * build replaces with a require of the module's own bundle (tsc and the tests keep the plain import).
 */
const LAZY_SYNC_MODULES = { 'run-analysis': 'metrics/diagnosis/insights.ts', 'run-panel': 'extension/run-panel.ts' };
const lazySyncModules = {
  name: 'lazy-sync-modules',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w-]+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /[\\/]extension[\\/]lazy[\\/][\w-]+\.ts$/ }, (args) => {
      const name = path.basename(args.path, '.ts');
      if (!(name in LAZY_SYNC_MODULES)) throw new Error(`extension/lazy/${name}.ts has no entry in LAZY_SYNC_MODULES`);
      // extension/lazy/run-analysis.ts exports runAnalysis(): the file's name in camel case.
      const loader = name.replace(/-(\w)/g, (_, c) => c.toUpperCase());
      return { contents: `let loaded; export function ${loader}() { return loaded ??= require('./${name}.cjs'); }`, loader: 'js' };
    });
  },
};
/**
 * Every extension module's `import * as vscode from 'vscode'` reads one namespace object built once:
 * left to itself esbuild copies the API's few hundred names into a fresh object in each importing
 * module (its __toESM helper), 17 copies at activation. The language client's own require()s stay as they are.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(b) {
    b.onResolve({ filter: /^vscode$/ }, (args) => (args.kind === 'import-statement' && args.namespace !== 'vscode-once' ? { path: 'vscode', namespace: 'vscode-once' } : { path: 'vscode', external: true }));
    b.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};
// trainer/run.ts finds its child through import.meta.url, which CommonJS lacks: give it this file's URL.
const extensionCjs = {
  ...common, outdir, format: 'cjs', outExtension: { '.js': '.cjs' }, external: ['vscode'],
  define: { 'import.meta.url': '__fcImportMetaUrl' }, banner: { js: "const __fcImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  // import() of a lazy bundle becomes require() on first use.
  supported: { 'dynamic-import': false },
};

fs.rmSync(outdir, { recursive: true, force: true });
// The run-spec validator is generated code; tsc compiles it after this script too.
await import('./scripts/compile-schema.mjs');
await Promise.all([
  build({ ...extensionCjs, entryPoints: { extension: 'extension/extension.ts' }, plugins: [vscodeOnce, lazyExtensionModules, lazySyncModules] }),
  build({ ...extensionCjs, entryPoints: { ...LAZY_EXTENSION_MODULES, ...LAZY_SYNC_MODULES }, plugins: [vscodeOnce] }),
  build({ ...common, entryPoints: { server: 'analyzers/server/server.ts' }, outdir, format: 'esm', outExtension: { '.js': '.mjs' }, banner: { js: esmRequireShim } }),
  // The watch worker: watched runs are read, assembled and analysed off the extension host's thread.
  build({ ...common, entryPoints: { 'watch-worker': 'metrics/watch/watch-worker.ts' }, outdir, format: 'esm', outExtension: { '.js': '.mjs' }, banner: { js: esmRequireShim } }),
  build({ ...common, entryPoints: { cli: 'cli/bin.ts' }, outdir, format: 'esm', outExtension: { '.js': '.mjs' }, banner: { js: `#!/usr/bin/env node\n${esmRequireShim}` } }),
  // The lint workers: `fitcheck lint <folder>` and the server's Lint Workspace analyse files on every core (analyzers/pool/lint-pool.ts).
  build({ ...common, entryPoints: { 'lint-worker': 'analyzers/pool/lint-worker.ts' }, outdir, format: 'esm', outExtension: { '.js': '.mjs' }, banner: { js: esmRequireShim } }),
  // The run panel's script: a browser bundle of its own in dist/webview/, the only folder the webview may load from.
  build({ ...common, platform: 'browser', target: 'es2022', entryPoints: { webview: 'webviews/panel/main.ts' }, outdir: path.join(outdir, 'webview'), format: 'iife' }),
  // The ES module builds of tfjs-core and its cpu backend, so the gradients module shares their one copy.
  build({ ...common, mainFields: ['module', 'main'], entryPoints: { 'trainer-child': 'trainer/child.ts' }, outdir, format: 'esm', outExtension: { '.js': '.mjs' }, banner: { js: `${esmRequireShim}\n${esmDirShim}` } }),
]);
// The trainer child finds the tfjs wasm backend's binaries next to itself (setWasmPaths).
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  fs.copyFileSync(require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${f}`), path.join(outdir, f));
}
for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  fs.copyFileSync(require.resolve(wasm), path.join(outdir, path.basename(wasm)));
}
// The panel's stylesheet sits next to its script (style-src allows only the webview's own resources).
fs.copyFileSync('webviews/panel/panel.css', path.join(outdir, 'webview', 'panel.css'));
fs.chmodSync(path.join(outdir, 'cli.mjs'), 0o755);
console.log(`built ${outdir}/ (${production ? 'production' : 'development'})`);
