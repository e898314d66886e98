// A callable, constructible object that answers anything: the value of every `vscode` API name
// in the activation benchmark's stand-in.
'use strict';

const handler = {
  get(target, key) {
    if (key === 'then') return undefined; // not a promise
    if (key === Symbol.toPrimitive) return () => '';
    if (key === Symbol.iterator) return function* () {};
    if (key in target) return target[key];
    return anything;
  },
  apply: () => anything,
  construct: () => anything,
};
const anything = new Proxy(function () {}, handler);

module.exports = anything;
