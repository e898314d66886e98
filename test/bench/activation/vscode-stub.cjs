// A stand-in for the `vscode` module, for timing activation outside the editor: every name the API
// declares exists, and every value is a callable, constructible object that answers anything.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const anything = require('./anything.cjs');

const declarations = fs.readFileSync(require.resolve('@types/vscode/index.d.ts', { paths: [path.resolve(__dirname, '../../..')] }), 'utf8');
const names = [...new Set([...declarations.matchAll(/^\t?export (?:class|namespace|enum|const|function|let) (\w+)/gm)].map((m) => m[1]))];

/** A file URI with what activation reads of one (its path, its URL); anything else answers anything. */
function fileUri(fsPath) {
  const uri = { scheme: 'file', fsPath, path: fsPath, toString: () => pathToFileURL(fsPath).href, with: () => uri };
  return new Proxy(uri, { get: (target, key) => (key in target ? target[key] : anything) });
}
const Uri = new Proxy({
  file: (p) => fileUri(path.resolve(p)),
  joinPath: (base, ...parts) => fileUri(path.join(base.fsPath, ...parts)),
}, { get: (target, key) => (key in target ? target[key] : anything) });

// The few values the language client and activate() check by content.
const values = { __esModule: false, version: '1.95.0', Uri, fileUri };

module.exports = new Proxy({}, {
  get: (_target, key) => (key in values ? values[key] : anything),
  ownKeys: () => names,
  getOwnPropertyDescriptor: () => ({ configurable: true, enumerable: true, writable: true, value: anything }),
});
