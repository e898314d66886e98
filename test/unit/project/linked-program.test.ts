/**
 * The linker's budget: a module that reaches much of a large project copies in the definitions nearest
 * to it, up to a bound, instead of the whole closure of what they mention.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { LINK_BUDGET, linkModule, type ModuleSource } from '../../../analyzers/project/linked-program.js';
import { summarizeModule, type ModuleSummary } from '../../../analyzers/project/module-summary.js';
import { resolveModule } from '../../../analyzers/project/resolve-module.js';
import { PythonParser } from '../../../analyzers/python/parser.js';

const ROOT = path.join(path.sep, 'project');

/** A chain of helpers, each about `size` characters, each mentioning the next: `helper0` reaches them all. */
function chain(count: number, size: number): string {
  const padding = (i: number) => `    # ${'padding '.repeat(Math.ceil(size / 8))}${i}\n`;
  const helpers = Array.from({ length: count }, (_, i) => `def helper${i}(x):\n${padding(i)}    return ${i + 1 < count ? `helper${i + 1}(x)` : 'x'}\n`);
  return `import torch.nn as nn\n\n\ndef make():\n    helper0(1)\n    return nn.Sequential(nn.Linear(4, 2), nn.Softmax(dim=1))\n\n\n${helpers.join('\n\n')}`;
}

/** Summaries of the given modules (path relative to the project root → text), as the linker reads them. */
async function project(texts: Record<string, string>): Promise<{ source: ModuleSource; summary: (name: string) => ModuleSummary }> {
  const parser = await PythonParser.create();
  const summaries = new Map<string, ModuleSummary>();
  for (const [name, text] of Object.entries(texts)) {
    const tree = parser.parse(text);
    try {
      summaries.set(path.join(ROOT, name), summarizeModule(tree.rootNode, text));
    } finally {
      tree.delete();
    }
  }
  return {
    source: {
      summary: (file) => summaries.get(file),
      resolve: (module, from) => resolveModule(module, from, [ROOT], (file) => summaries.has(file)),
    },
    summary: (name) => summaries.get(path.join(ROOT, name))!,
  };
}

const TRAIN = 'from nets import make\n\nmodel = make()\n';

test('a module reaching more definitions than the budget copies the nearest ones and stays within it', async () => {
  const { source, summary } = await project({ 'nets.py': chain(100, 1000), 'train.py': TRAIN });
  const own = summary('train.py');
  const budget = 10_000;
  const linked = linkModule(path.join(ROOT, 'train.py'), own, source, budget);
  const copied = linked.text.length - own.text.length;
  assert.ok(copied <= budget + 200, `${copied} characters copied (the library imports come on top of the budget)`);
  // What the module imports comes first, then what that mentions, nearest first.
  assert.match(linked.text, /def make\(\):/);
  assert.match(linked.text, /def helper0\(x\):/);
  assert.doesNotMatch(linked.text, /def helper99\(x\):/);
  const kept = [...linked.text.matchAll(/def helper(\d+)\(x\):/g)].map((m) => Number(m[1]));
  assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => i), 'the helpers kept are the chain\'s first ones');
  assert.ok(kept.length >= 5, `${kept.length} helpers fit in ${budget} characters`);
});

test('a module whose imports fit the budget copies every definition they reach', async () => {
  const { source, summary } = await project({ 'nets.py': chain(10, 1000), 'train.py': TRAIN });
  const linked = linkModule(path.join(ROOT, 'train.py'), summary('train.py'), source);
  assert.ok(10_000 < LINK_BUDGET);
  assert.deepEqual([...linked.text.matchAll(/def helper(\d+)\(x\):/g)].map((m) => Number(m[1])), [...Array(10).keys()]);
});

/** Two modules defining `Block`, one defining `Other`, and a script whose model comes from `nets.py`'s `make`. */
const BLOCKS = {
  'b.py': 'def Block():\n    return "from b"\n',
  'c.py': 'def Other():\n    return "from c"\n',
  'train.py': 'from nets import make\n\nmodel = make()\n',
};
/** `nets.py` importing `Block` by `imports`, then using it in `make`. */
const netsImporting = (imports: string) => `${imports}\n\n\ndef make():\n    return Block()\n`;

test('a name a copied definition mentions comes from the first import statement that binds it, star imports included, in the module\'s order', async () => {
  const { source, summary } = await project({
    ...BLOCKS,
    'a.py': 'def Block():\n    return "from a"\n',
    // A star import binding `Block` before a statement naming it, and a statement binding `Block` to another name.
    'nets.py': netsImporting('from a import *\nfrom b import Block\nfrom c import Other as Block, Block as Unused'),
  });
  const linked = linkModule(path.join(ROOT, 'train.py'), summary('train.py'), source);
  assert.match(linked.text, /return "from a"/, 'the star import comes first in nets.py');
  assert.doesNotMatch(linked.text, /from b"|from c"/);

  const { source: reordered, summary: summaryOf } = await project({
    ...BLOCKS,
    'nets.py': netsImporting('from c import Other as Block, Other as Block2\nfrom b import Block'),
  });
  const first = linkModule(path.join(ROOT, 'train.py'), summaryOf('train.py'), reordered);
  assert.match(first.text, /return "from c"/, 'the first statement binding the name wins');
  assert.doesNotMatch(first.text, /from b"/);
});

test('copied lines keep a module\'s CRLF line ends and a last line without a newline, at the offsets the copy records', async () => {
  const nets = 'import torch.nn as nn\r\n\r\n\r\ndef make():\r\n    return nn.Linear(4, 2)\r\n\r\n\r\ndef last():\r\n    return make()';
  const { source, summary } = await project({ 'nets.py': nets, 'train.py': 'from nets import last\n\nmodel = last()\n' });
  const linked = linkModule(path.join(ROOT, 'train.py'), summary('train.py'), source);
  const copies = linked.origin!.copies;
  assert.ok(copies.length >= 2, 'the library import and the definitions are copied');
  for (const { file, from, to, at } of copies) {
    assert.equal(file, path.join(ROOT, 'nets.py'));
    assert.equal(linked.text.slice(at, at + (to - from)), nets.slice(from, to), `the copy at ${at} is the module's text ${from}-${to}`);
  }
  // Each copy keeps its lines' CRs, its last line's too; the copies are joined by LF.
  assert.ok(linked.text.startsWith('import torch.nn as nn\r\ndef make():\r\n    return nn.Linear(4, 2)\r\ndef last():\r\n'), JSON.stringify(linked.text));
  assert.ok(linked.text.includes('def last():\r\n    return make()\n'), 'the last line, without a newline in its module, copied whole');
});
