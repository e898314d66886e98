// A stand-in for the `vscode` module, for timing activation outside the editor: every name the API
// declares exists, and every value is a callable, constructible object that answers anything.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const anything = require('./anything.cjs');

const declarations = fs.readFileSync(require.resolve('@types/vscode/index.d.ts', { paths: [path.resolve(__dirname, '../../..')] }), 'utf8');
const names = [...new Set([...declarations.matchAll(/^\t?export (?:class|namespace|enum|const|function|let) (\w+)/gm)].map((m) => m[1]))];

// The few values the language client checks by content.
const values = { __esModule: false, version: '1.95.0' };

module.exports = new Proxy({}, {
  get: (_target, key) => (key in values ? values[key] : anything),
  ownKeys: () => names,
  getOwnPropertyDescriptor: () => ({ configurable: true, enumerable: true, writable: true, value: anything }),
});
