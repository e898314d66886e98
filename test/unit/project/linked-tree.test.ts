/**
 * A linked program's syntax tree assembled from its modules' one-shot copies (linked-tree.ts) equals a
 * parse of the program's text, node for node; where it cannot be assembled exactly, it is not.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Linter } from '../../../analyzers/linter.js';
import { linkModule } from '../../../analyzers/project/linked-program.js';
import { linkedTree } from '../../../analyzers/project/linked-tree.js';
import { summarizeModule, type ModuleSummary } from '../../../analyzers/project/module-summary.js';
import { resolveModule } from '../../../analyzers/project/resolve-module.js';
import type { MirrorTree } from '../../../analyzers/python/syntax-tree.js';
import { fixturePath, getLinter } from '../helpers.js';

/** A copy's rows (kind, field, error flags, span, parent, next sibling) and statement depths: all but the node ids, which differ between copies. */
function shape(tree: MirrorTree) {
  const rows = tree.tree.rows;
  const columns = ['kind', 'field', 'flags', 'start', 'end', 'parent', 'after'] as const;
  return { ...Object.fromEntries(columns.map((c) => [c, [...rows[c].subarray(0, rows.count)]])), depths: [...tree.tree.depths.values()] };
}

function pythonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.py')).map((e) => path.join(e.parentPath, e.name)).sort();
}

/** The project of `texts` (absolute path → text): each module linked, with its assembled tree (if any) and a parse of its text; `parsed` gets the texts the assembly parsed. */
function linkAll(linter: Linter, texts: Map<string, string>, root: string, parsed: string[] = []) {
  const trees = new Map([...texts].map(([file, text]) => [file, linter.parsePython(text)]));
  const summaries = new Map<string, ModuleSummary>([...trees].map(([file, tree]) => [file, summarizeModule(tree.root, texts.get(file)!)]));
  const resolve = (module: string, from: string) => resolveModule(module, from, [root], (file) => texts.has(file));
  return [...texts.keys()].map((file) => {
    const program = linkModule(file, summaries.get(file)!, { summary: (f) => summaries.get(f), resolve });
    const assembled = linkedTree(program, trees.get(file)!, (f) => trees.get(f), (t) => {
      parsed.push(t);
      return linter.parsePython(t);
    });
    return { file, program, assembled, parsed: linter.parsePython(program.text) };
  });
}

test('every linked program of the project fixtures is assembled from its modules\u2019 copies, equal to a parse of its text', async () => {
  const linter = await getLinter();
  let linked = 0;
  for (const name of fs.readdirSync(fixturePath('projects'))) {
    const root = path.join(fixturePath('projects'), name);
    const texts = new Map(pythonFiles(root).map((file) => [file, fs.readFileSync(file, 'utf8')]));
    for (const { file, program, assembled, parsed } of linkAll(linter, texts, root)) {
      const text = texts.get(file)!;
      if (program.text === text) continue;
      linked++;
      assert.ok(assembled, `${name}/${path.relative(root, file)} was not assembled`);
      assert.deepEqual(shape(assembled), shape(parsed), `${name}/${path.relative(root, file)}`);
    }
  }
  assert.ok(linked >= 10, `${linked} linked programs compared`);
});

test('a linked program with stubbed imports, rewritten names, two statements on a line and comments equals a parse of its text', async () => {
  const linter = await getLinter();
  const root = path.join(path.sep, 'proj');
  const texts = new Map([
    [path.join(root, 'nets.py'), 'import torch.nn as nn  # layers\n\n\n# A model.\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x).softmax(-1)\n\nWIDTH = 4; SCALE = 2\nDEPTH = 2\n'],
    [path.join(root, 'train.py'), '"""Training."""\nimport torch\nimport nets  # the model\nfrom nets import WIDTH as W\n\n\ndef main():\n    from nets import DEPTH\n    model = nets.Net()  # built here\n    # no rewrite on this line\n    opt = torch.optim.SGD(model.parameters(), lr=0.1)\n    for x, y in []:\n        loss = torch.nn.functional.cross_entropy(model(x), y)\n        loss.backward()\n        opt.step()\n    return W * DEPTH\n\n\nif __name__ == "__main__": main()\n'],
  ]);
  const [, train] = linkAll(linter, texts, root);
  assert.ok(train!.program.text.includes('model = Net()') && train!.program.text.includes('class Net'), 'the program is linked and rewritten');
  assert.ok(train!.assembled);
  assert.deepEqual(shape(train!.assembled), shape(train!.parsed));
});

test('a linked program whose module holds a syntax error is not assembled (it is parsed)', async () => {
  const linter = await getLinter();
  const root = path.join(path.sep, 'proj');
  const texts = new Map([
    [path.join(root, 'nets.py'), 'import torch.nn as nn\n\n\ndef make():\n    return nn.Sequential(nn.Linear(4, 2), nn.Softmax(dim=1))\n'],
    [path.join(root, 'train.py'), 'from nets import make\n\nmodel = make(\nx = [1, 2\n'],
  ]);
  const [, train] = linkAll(linter, texts, root);
  assert.notEqual(train!.program.text, texts.get(path.join(root, 'train.py')));
  assert.equal(train!.assembled, undefined);
});

test('a linked program that copies one line twice (two imported definitions on it) is not assembled (it is parsed)', async () => {
  const linter = await getLinter();
  const root = path.join(path.sep, 'proj');
  const texts = new Map([
    [path.join(root, 'config.py'), 'WIDTH = 4; DEPTH = 2\n'],
    [path.join(root, 'train.py'), 'from config import WIDTH, DEPTH\n\nprint(WIDTH * DEPTH)\n'],
  ]);
  const train = linkAll(linter, texts, root).find((m) => m.file.endsWith('train.py'))!;
  assert.equal(train.program.text.split('WIDTH = 4; DEPTH = 2').length, 3, 'the line is in the program twice');
  assert.equal(train.assembled, undefined);
});

test('a module statement whose edits all lie in nested statements keeps its rows: only those statements are parsed again', async () => {
  const linter = await getLinter();
  const root = path.join(path.sep, 'proj');
  const helpers = Array.from({ length: 40 }, (_, k) => `    def helper${k}(self, x):\n        return x + ${k}\n`).join('\n');
  const texts = new Map([
    [path.join(root, 'nets.py'), 'import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n\n\ndef scale(x):\n    return 2 * x\n'],
    // A rewritten name, a stubbed import two blocks deep, and one ending the class (the stub's padding then ends no node).
    [path.join(root, 'train.py'), `import nets\n\n\nclass Trainer:\n${helpers}\n    def fit(self, x):\n        model = nets.Net()\n        if x:\n            from nets import scale\n        return scale(model(x))\n\n    def last(self):\n        from nets import scale\n\n\nprint(Trainer())\n`],
  ]);
  const parsed: string[] = [];
  const train = linkAll(linter, texts, root, parsed).find((m) => m.file.endsWith('train.py'))!;
  assert.ok(train.program.text.includes('model = Net()') && !train.program.text.includes('from nets import'), 'the names are rewritten and the imports stubbed');
  assert.ok(train.assembled);
  assert.deepEqual(shape(train.assembled), shape(train.parsed));
  const characters = parsed.reduce((sum, text) => sum + text.length, 0);
  assert.ok(characters < 200, `${characters} characters parsed again (the class holds ${texts.get(path.join(root, 'train.py'))!.length})`);
});
