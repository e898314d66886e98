/**
 * Each folder under test/fixtures/projects/ is linted as one project; every module's `# expect:`
 * annotations must match the findings that sit in it, whichever module's analysis found them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ProjectLinter } from '../../../analyzers/project/project-linter.js';
import { PythonParser } from '../../../analyzers/python/parser.js';
import { actualFindings, expectedFindings, fixturePath, getLinter } from '../helpers.js';

const projectsDir = fixturePath('projects');

/** Every `.py` file under a folder. */
export function pythonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.py'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

// The language server reads summaries up front; fitcheck lint keeps one-shot copies and reads a
// module's uses of imported names from its copy when it is linked.
for (const name of fs.readdirSync(projectsDir).sort()) for (const keepCopies of [false, true]) {
  test(`the ${name} project's findings sit where its modules' annotations say${keepCopies ? ' (with kept copies, as fitcheck lint reads it)' : ''}`, async () => {
    const root = path.join(projectsDir, name);
    const files = pythonFiles(root);
    const project = new ProjectLinter(await getLinter(), [root], (file) => fs.readFileSync(file, 'utf8'), keepCopies);
    project.addFiles(files);
    const { byFile } = project.lintAll();
    for (const file of files) {
      const expected = expectedFindings(fs.readFileSync(file, 'utf8'));
      assert.deepEqual(actualFindings(byFile.get(file) ?? []), expected, `${path.relative(root, file)}: ${JSON.stringify((byFile.get(file) ?? []).map((f) => f.message))}`);
    }
    project.dispose();
  });
}

test('a softmax in a package module points to the loss in the script that imports it', async () => {
  const root = path.join(projectsDir, 'softmax-in-package');
  const project = new ProjectLinter(await getLinter(), [root], (file) => fs.readFileSync(file, 'utf8'));
  project.addFiles(pythonFiles(root));
  const [finding] = project.lintAll().byFile.get(path.join(root, 'mypkg', 'nets.py')) ?? [];
  assert.equal(finding?.code, 'FC101');
  assert.deepEqual(finding.related.map((r) => [r.file, r.span.start.line + 1]), [[path.join(root, 'train.py'), 7]]);
  project.dispose();
});

test('a finding that rests on its own file alone is reported by that file\'s analysis, not by a module that copies the code in', async () => {
  const root = path.join(projectsDir, 'own-file-findings');
  const project = new ProjectLinter(await getLinter(), [root], (file) => fs.readFileSync(file, 'utf8'));
  project.addFiles(pythonFiles(root));
  const checkpoints = path.join(root, 'checkpoints.py');
  const train = project.lintModule(path.join(root, 'train.py'));
  assert.ok(train.dependencies.has(checkpoints), 'train.py is linked with load_weights');
  assert.deepEqual(train.findings.filter((f) => f.file === checkpoints).map((f) => f.code), []);
  assert.deepEqual(project.lintModule(checkpoints).findings.map((f) => f.code), ['FC508']);
  project.dispose();
});

test('the same modules linted one by one miss what crosses module boundaries', async () => {
  const linter = await getLinter();
  const nets = path.join(projectsDir, 'softmax-in-package', 'mypkg', 'nets.py');
  const engine = path.join(projectsDir, 'evaluate-in-engine', 'src', 'proj', 'engine.py');
  assert.deepEqual(linter.lint(fs.readFileSync(nets, 'utf8')).findings.map((f) => f.code), []);
  assert.deepEqual(linter.lint(fs.readFileSync(engine, 'utf8')).findings.map((f) => f.code), []);
});

test('only the modules that import an edited definition are analysed again', async () => {
  const root = path.join(projectsDir, 'evaluate-in-engine');
  const texts = new Map(pythonFiles(root).map((f) => [f, fs.readFileSync(f, 'utf8')]));
  const project = new ProjectLinter(await getLinter(), [root], (file) => texts.get(file));
  project.addFiles(texts.keys());
  project.lintAll();
  const models = path.join(root, 'src', 'proj', 'models.py');
  assert.deepEqual(project.dependentsOf(models).map((f) => path.relative(root, f)), [path.join('src', 'proj', 'train.py')]);
  const before = project.lintModule(path.join(root, 'src', 'proj', 'engine.py'));
  const trainBefore = project.lintModule(path.join(root, 'src', 'proj', 'train.py'));
  project.setText(models, texts.get(models)!.replace('0.3', '0.4'));
  assert.equal(project.lintModule(path.join(root, 'src', 'proj', 'engine.py')), before, 'engine.py imports nothing from models.py: its result is reused');
  assert.notEqual(project.lintModule(path.join(root, 'src', 'proj', 'train.py')), trainBefore, 'train.py imports make_classifier: it is analysed again');
  project.dispose();
});

test('modules that import each other in a cycle, re-export in a loop or do not parse are linted without error', async () => {
  const root = path.join(os.tmpdir(), 'fitcheck-cycle');
  const texts = new Map<string, string>([
    [path.join(root, 'a.py'), 'import torch.nn as nn\nfrom b import helper, loop\n\ndef make():\n    return helper(nn.Linear(2, 2))\n'],
    [path.join(root, 'b.py'), 'from a import make\nfrom b import loop\n\ndef helper(x):\n    return make() if x is None else x\n'],
    [path.join(root, 'broken.py'), 'import torch\nfrom a import (make\nclass :\n    def forward(self x):\n'],
    [path.join(root, 'self.py'), 'from .self import *\nfrom self import nothing\n'],
  ]);
  const project = new ProjectLinter(await getLinter(), [root], (file) => texts.get(file));
  project.addFiles(texts.keys());
  const { byFile, skipped } = project.lintAll();
  assert.deepEqual([...skipped], []);
  assert.ok([...byFile.values()].flat().every((f) => texts.has(f.file)));
  project.dispose();
});

test('a module that cannot be read is reported as skipped, not thrown', async () => {
  const project = new ProjectLinter(await getLinter(), ['/nonexistent'], () => undefined);
  project.addFiles(['/nonexistent/train.py']);
  assert.equal(project.lintModule('/nonexistent/train.py').skipped, 'file cannot be read');
  project.dispose();
});

test('a finding after a rewritten module or alias name keeps its column in the file', async () => {
  const root = path.join(os.tmpdir(), 'fitcheck-columns');
  const nets = 'import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n';
  const loop = (make: string) => `import torch\nimport torch.nn as nn\n${make}\nmodel = MAKE()\nfor _ in range(3):\n    kind = MAKE; opt = torch.optim.SGD(model.parameters(), lr=0.1)\n    opt.zero_grad()\n    nn.MSELoss()(model(torch.randn(2, 4)), torch.randn(2, 2)).backward()\n    opt.step()\n`;
  const texts = new Map<string, string>([
    [path.join(root, 'pkg', '__init__.py'), ''],
    [path.join(root, 'pkg', 'nets.py'), nets],
    [path.join(root, 'dotted.py'), loop('import pkg.nets').replaceAll('MAKE', 'pkg.nets.Net')],
    [path.join(root, 'alias.py'), loop('from pkg.nets import Net as N').replaceAll('MAKE', 'N')],
  ]);
  const project = new ProjectLinter(await getLinter(), [root], (file) => texts.get(file));
  project.addFiles(texts.keys());
  const { byFile } = project.lintAll();
  for (const name of ['dotted.py', 'alias.py']) {
    const file = path.join(root, name);
    const line = texts.get(file)!.split('\n')[5]!;
    const optimizer = byFile.get(file)?.find((f) => f.code === 'FC306');
    assert.deepEqual([optimizer?.span.start.line, optimizer?.span.start.character], [5, line.indexOf('torch.optim.SGD')], `${name}: ${JSON.stringify(byFile.get(file)?.map((f) => [f.code, f.span.start]))}`);
  }
  project.dispose();
});

test('a module edited keystroke by keystroke keeps the findings of a fresh project, without parsing it whole again', async () => {
  const linter = await getLinter();
  const root = path.join(projectsDir, 'softmax-in-package');
  const train = path.join(root, 'train.py');
  const original = fs.readFileSync(train, 'utf8');
  const read = (texts: Map<string, string>) => (file: string) => texts.get(file) ?? fs.readFileSync(file, 'utf8');
  const edited = new Map([[train, original]]);
  const project = new ProjectLinter(linter, [root], read(edited));
  project.addFiles(pythonFiles(root));
  project.lintAll();
  // Typing an import, a half-written call (a syntax error for a while), changing the learning rate, deleting zero_grad.
  const versions: string[] = [];
  let text = original;
  for (const typed of ['import os\n', 'x = (1,\n']) {
    const before = text;
    for (let k = 1; k <= typed.length; k++) versions.push((text = before.replace('\nmodel = ConvNet()', `\n${typed.slice(0, k)}model = ConvNet()`)));
  }
  versions.push((text = text.replace('x = (1,\n', 'x = (1,)\n')), (text = text.replace('lr=3e-4', 'lr=3')), text.replace('        optimizer.zero_grad()\n', ''));
  let wholeParses = 0;
  const parsePython = linter.parsePython.bind(linter);
  linter.parsePython = (source) => {
    wholeParses++;
    return parsePython(source);
  };
  try {
    for (const version of versions) {
      project.setText(train, version);
      const fresh = new ProjectLinter(linter, [root], read(new Map([[train, version]])));
      fresh.addFiles(pythonFiles(root));
      const parsesBefore = wholeParses;
      const expected = fresh.lintModule(train).findings;
      wholeParses = parsesBefore;
      assert.deepEqual(project.lintModule(train).findings, expected, version);
      fresh.dispose();
    }
  } finally {
    linter.parsePython = parsePython;
    project.dispose();
  }
  assert.equal(wholeParses, 0, 'each edit re-parses only the statements around it');
  assert.ok(versions.length > 15);
});

test('a module that imports nothing from the project parses once per keystroke, for its summary and its analysis together', async () => {
  const linter = await getLinter();
  const root = path.join(os.tmpdir(), 'fitcheck-linked-as-written');
  const script = path.join(root, 'train.py');
  const original = fs.readFileSync(fixturePath('python/FC301/pos-loop-without-zero-grad.py'), 'utf8');
  const project = new ProjectLinter(linter, [root], () => undefined);
  project.setText(script, original);
  project.lintModule(script);
  let parses = 0;
  const restoreParser = watchParses(() => parses++);
  // Typing a comment at the end, one character at a time: no syntax error on the way.
  const typed = '# tuned later\n';
  try {
    for (let k = 1; k <= typed.length; k++) {
      const version = `${original}${typed.slice(0, k)}`;
      project.setText(script, version);
      const fresh = new ProjectLinter(linter, [root], () => undefined);
      fresh.setText(script, version);
      const expected = fresh.lintModule(script).findings;
      fresh.dispose();
      assert.ok(expected.some((f) => f.code === 'FC301'));
      parses = 0;
      assert.deepEqual(project.lintModule(script).findings, expected, version);
      // The first edit opens the module's document; from then on one parse serves both.
      if (k > 1) assert.equal(parses, 1, `keystroke ${k}`);
    }
  } finally {
    restoreParser();
    project.dispose();
  }
});

test('a module analysed for the first time parses once when it is linked as written, and its findings are those of a separate summary and analysis', async () => {
  const linter = await getLinter();
  const root = path.join(os.tmpdir(), 'fitcheck-first-analysis');
  const texts = new Map([
    [path.join(root, 'solo.py'), fs.readFileSync(fixturePath('python/FC301/pos-loop-without-zero-grad.py'), 'utf8')],
    [path.join(root, 'nets.py'), 'import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.out = nn.Sequential(nn.Linear(4, 2), nn.Softmax(dim=1))\n\n    def forward(self, x):\n        return self.out(x)\n'],
    [path.join(root, 'train.py'), 'import torch\nfrom nets import Net\n\nmodel = Net()\nloss_fn = torch.nn.CrossEntropyLoss()\nloss = loss_fn(model(torch.zeros(1, 4)), torch.zeros(1))\n'],
  ]);
  const project = new ProjectLinter(linter, [root], (file) => texts.get(file), true);
  project.addFiles(texts.keys());
  let parses = 0;
  const parsed: string[] = [];
  const restoreParser = watchParses((text) => {
    parses++;
    parsed.push(text);
  });
  try {
    const solo = project.lintModule(path.join(root, 'solo.py'));
    assert.equal(parses, 1, 'one parse for the summary and the analysis');
    assert.ok(solo.findings.some((f) => f.code === 'FC301'));
    parses = 0;
    parsed.length = 0;
    const train = project.lintModule(path.join(root, 'train.py'));
    // The linked program's tree is assembled from the two modules' copies: only the stubbed import is parsed again.
    assert.deepEqual(parsed.slice(0, 2).map((t) => t.length).sort(), [texts.get(path.join(root, 'train.py'))!.length, texts.get(path.join(root, 'nets.py'))!.length].sort());
    assert.equal(parses, 3, 'its summary, the summary of nets.py, and the import statement the linker stubbed');
    assert.match(parsed[2]!, /^pass\s*$/);
    parses = 0;
    project.lintModule(path.join(root, 'nets.py'));
    assert.equal(parses, 0, 'nets.py, summarised as a dependency of train.py, is analysed from the copy kept then');
    assert.ok(train.findings.some((f) => f.code === 'FC101' && f.file === path.join(root, 'nets.py')), JSON.stringify(train.findings.map((f) => f.code)));
  } finally {
    restoreParser();
    project.dispose();
  }
});

test('a module open in the editor is analysed through a document from the start, so its first keystroke parses only the statements around it', async () => {
  const linter = await getLinter();
  const root = path.join(os.tmpdir(), 'fitcheck-open-module');
  const script = path.join(root, 'train.py');
  const original = fs.readFileSync(fixturePath('python/FC301/pos-loop-without-zero-grad.py'), 'utf8');
  const edited = original.replace('\n', '\n# tuned later\n');
  const project = new ProjectLinter(linter, [root], () => undefined);
  const closed = new ProjectLinter(linter, [root], () => undefined);
  const parsed: number[] = [];
  const restoreParser = watchParses((text) => parsed.push(text.length));
  try {
    project.setText(script, original, true);
    closed.setText(script, original);
    assert.deepEqual(project.lintModule(script).findings, closed.lintModule(script).findings);
    parsed.length = 0;
    project.setText(script, edited, true);
    const findings = project.lintModule(script).findings;
    assert.ok(parsed.length > 0 && parsed.every((length) => length < edited.length / 2), `parsed ${parsed.join(', ')} of ${edited.length} characters`);
    parsed.length = 0;
    closed.setText(script, edited);
    assert.deepEqual(findings, closed.lintModule(script).findings);
    assert.ok(parsed.some((length) => length === edited.length), 'a module not open parses whole on its first edit');
    assert.ok(findings.some((f) => f.code === 'FC301'));
  } finally {
    restoreParser();
    project.dispose();
    closed.dispose();
  }
});

/** Calls `record` with each text the Python parser is asked to parse; returns what puts the parser back. */
function watchParses(record: (text: string) => void): () => void {
  const parse = PythonParser.prototype.parse;
  PythonParser.prototype.parse = function (this: PythonParser, text: string) {
    record(text);
    return parse.call(this, text);
  };
  return () => {
    PythonParser.prototype.parse = parse;
  };
}

test('a small module whose linked program outgrows the size limit is analysed on its own, not skipped as too big', async () => {
  const root = path.join(os.tmpdir(), 'fitcheck-big-link');
  // nets.py: one model plus 200 helpers its model mentions, so linking train.py copies them all.
  const helpers = Array.from({ length: 200 }, (_, i) => `def helper${i}(x):\n    return x * ${i} + ${'1 + '.repeat(20)}0\n`).join('\n');
  const nets = `import torch.nn as nn\n\n${helpers}\n\ndef make():\n    k = ${Array.from({ length: 200 }, (_, i) => `helper${i}`).join(' + ')}\n    return nn.Sequential(nn.Linear(4, 2), nn.Softmax(dim=1))\n`;
  const train = 'import torch\nimport torch.nn as nn\nfrom nets import make\n\nmodel = make()\nloss_fn = nn.CrossEntropyLoss()\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nfor x, y in []:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    opt.step()\n';
  const texts = new Map([[path.join(root, 'nets.py'), nets], [path.join(root, 'train.py'), train]]);
  const project = new ProjectLinter(await getLinter(), [root], (file) => texts.get(file));
  project.addFiles(texts.keys());
  const limit = { maxFileSize: train.length + 100 };
  assert.ok(nets.length > limit.maxFileSize, 'the linked program is over the limit');
  const result = project.lintModule(path.join(root, 'train.py'), limit);
  assert.equal(result.skipped, undefined);
  // Linted as written: its own findings (the loop that never zeroes its gradients, ...), nothing read from nets.py.
  assert.ok(result.findings.length > 0 && result.findings.every((f) => f.file === path.join(root, 'train.py') && f.code !== 'FC101'), JSON.stringify(result.findings.map((f) => f.code)));
  assert.deepEqual([...result.dependencies], []);
  // Without the limit the same module is linked with nets.py and its softmax is found too.
  const linked = project.lintModule(path.join(root, 'train.py'));
  assert.ok(linked.findings.some((f) => f.code === 'FC101'), JSON.stringify(linked.findings.map((f) => f.code)));
  project.dispose();
});
