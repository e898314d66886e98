// Loads one extension bundle with the `vscode` stand-in and calls activate(), as VS Code's extension
// host does: prints the milliseconds spent evaluating the bundle and in activate(), as JSON.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const stub = path.join(__dirname, 'vscode-stub.cjs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? stub : resolve.call(this, request, ...rest);
};
const anything = require('./anything.cjs');
const target = path.resolve(process.argv[2]);
const started = performance.now();
const extension = require(target);
const loaded = performance.now();
const extensionPath = path.resolve(path.dirname(target), '..');
const context = new Proxy({ subscriptions: [], extensionPath, extensionUri: require(stub).fileUri(extensionPath) }, {
  get: (t, key) => (key in t ? t[key] : anything),
});
Promise.resolve(extension.activate(context)).then(() => {
  const activated = performance.now();
  process.stdout.write(`${JSON.stringify({ load: loaded - started, activate: activated - loaded, total: activated - started })}\n`);
  process.exit(0);
}, (error) => {
  process.stderr.write(`activate() failed: ${error && error.stack || error}\n`);
  process.exit(1);
});
