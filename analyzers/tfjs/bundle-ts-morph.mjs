// Bundles ts-morph (with the TypeScript it carries) into dist/ts-morph.cjs for the extension, whose
// vsix holds no node_modules. analyzers/tfjs/loader.ts loads it on the first TensorFlow.js file.
// Run after esbuild.mjs (which empties dist/): `node analyzers/tfjs/bundle-ts-morph.mjs [--production]`.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const production = process.argv.includes('--production');
await build({
  stdin: { contents: "module.exports = require('ts-morph');", resolveDir: root, loader: 'js', sourcefile: 'ts-morph-entry.cjs' },
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: production, legalComments: 'none', logLevel: 'warning',
  outfile: path.join(root, 'dist', 'ts-morph.cjs'),
});
console.log(`built dist/ts-morph.cjs (${production ? 'production' : 'development'})`);
