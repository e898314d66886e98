/**
 * An open document analysed in groups of statements that share no names: the groups, what an edit
 * re-analyses, and that the findings equal a one-shot lint's on every fixture.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Linter } from '../../../analyzers/linter.js';
import { GroupFacts } from '../../../analyzers/python/group-facts.js';
import { PythonDocument } from '../../../analyzers/python/document.js';
import { PythonParser } from '../../../analyzers/python/parser.js';
import { groupModule, groupProgram, groupStatements, type Grouping, type StatementNames } from '../../../analyzers/python/statement-groups.js';
import { mirrorTree, programTree, type MirrorNode, type SyntaxNode } from '../../../analyzers/python/syntax-tree.js';
import { getLinter, repoRoot } from '../helpers.js';

let parser: PythonParser;
let linter: Linter;

before(async () => {
  parser = await PythonParser.create();
  linter = await getLinter();
});

/** The groups of `text`, each as its statements' first lines. */
function groupsOf(text: string): string[][] {
  const document = new PythonDocument(parser);
  try {
    const root = document.update(text);
    return groupStatements(root, text, new Map(), new Map()).map((group) => group.map((u) => text.slice(u.start, u.end).split('\n')[0]!));
  } finally {
    document.dispose();
  }
}

const SCRIPT = `import torch
import torch.nn as nn


def evaluate(model, loader):
    model.eval()
    with torch.no_grad():
        return [model(x) for x in loader]


class Net(nn.Module):
    def forward(self, x):
        return x


def train(loader):
    model = Net()
    for x in loader:
        model(x).sum().backward()


def plot(values):
    def helper():
        return values
    return helper()


def report(values):
    def helper():
        return len(values)
    return helper()
`;

describe('grouping the statements of a module', () => {
  it('puts a function with the class it uses, apart from functions that share no names, imports in every group', () => {
    const imports = ['import torch', 'import torch.nn as nn'];
    assert.deepEqual(groupsOf(SCRIPT), [
      [...imports, 'def evaluate(model, loader):'],
      [...imports, 'class Net(nn.Module):', 'def train(loader):'],
      [...imports, 'def plot(values):'],
      [...imports, 'def report(values):'],
    ]);
  });

  it('keeps a function defined inside another to that function, as Python does', () => {
    // `plot` and `report` each define their own `helper`: neither is the other's.
    const groups = groupsOf(SCRIPT);
    assert.ok(groups.some((g) => g.includes('def plot(values):') && !g.includes('def report(values):')));
  });

  it('reads module-level code as one script, with the functions it calls', () => {
    const text = `${SCRIPT}\nmodel = Net()\nprint("ready")\nresults = evaluate(model, [])\n`;
    const groups = groupsOf(text);
    assert.equal(groups.length, 3);
    assert.deepEqual(groups[0], [
      'import torch', 'import torch.nn as nn', 'def evaluate(model, loader):', 'class Net(nn.Module):', 'def train(loader):',
      'model = Net()', 'print("ready")', 'results = evaluate(model, [])',
    ]);
  });

  it('reads the pieces error recovery leaves after a syntax error with the statements around them', () => {
    // Without its colon, `def evaluate` is no function to tree-sitter: its body and the class after it come apart.
    const broken = SCRIPT.replace('def evaluate(model, loader):', 'def evaluate(model, loader');
    const groups = groupsOf(broken);
    assert.ok(groups.length < groupsOf(SCRIPT).length, JSON.stringify(groups));
    const withEvaluate = groups.find((g) => g.includes('def evaluate(model, loader'));
    assert.ok(withEvaluate?.includes('    with torch.no_grad():'), `evaluate's group holds the pieces after it: ${JSON.stringify(groups)}`);
    assert.ok(withEvaluate?.includes('def plot(values):'), `and the function after them: ${JSON.stringify(groups)}`);
  });

  it('reads broken module-level code without the sound function before it, which error recovery does not reach', () => {
    const groups = groupsOf(`${SCRIPT}\nresults = evaluate(Net(), [\n`);
    const broken = groups.find((g) => g.includes('results = evaluate(Net(), ['));
    assert.ok(broken?.includes('def evaluate(model, loader):') && broken.includes('class Net(nn.Module):'), `with what it names: ${JSON.stringify(groups)}`);
    assert.ok(groups.some((g) => g.includes('def report(values):') && !g.includes('results = evaluate(Net(), [')), `report stands apart: ${JSON.stringify(groups)}`);
  });

  it('reads a function holding a syntax error on its own when sound definitions stand at the margin around it', () => {
    // A bracket left open inside `evaluate`: error recovery ends the function where the class starts.
    const broken = SCRIPT.replace('    model.eval()\n', '    model.eval(\n');
    const clean = groupsOf(SCRIPT);
    assert.deepEqual(groupsOf(broken), clean);
  });
});

describe('grouping an open document again after an edit', () => {
  /** The grouping of each version in turn, each given the one before; and a grouping worked out afresh for the last. */
  function regroup(versions: string[]): { kept: boolean[]; last: Grouping; fresh: Grouping } {
    const document = new PythonDocument(parser);
    try {
      let previous: Grouping | undefined;
      let names = new Map<number, StatementNames>();
      const kept: boolean[] = [];
      let root: SyntaxNode | undefined;
      for (const text of versions) {
        root = document.update(text);
        const used = new Map<number, StatementNames>();
        const grouping = groupModule(root, text, names, used, previous);
        if (previous) kept.push(grouping.members === previous.members);
        previous = grouping;
        names = used;
      }
      const text = versions.at(-1)!;
      return { kept, last: previous!, fresh: groupModule(root!, text, new Map(), new Map()) };
    } finally {
      document.dispose();
    }
  }
  const shape = (g: Grouping) => g.groups.map((group) => group.map((u) => [u.ids, u.firstLine, u.lastLine, u.start, u.end]));

  it('keeps the groups while typing inside a function changes no name that joins statements', () => {
    const typed = ['    p', '    pr', '    print(x)', '    print(x)\n    y = len(loader)'].map((line) => SCRIPT.replace('        model(x).sum().backward()\n', `        model(x).sum().backward()\n${line}\n`));
    const { kept, last, fresh } = regroup([SCRIPT, ...typed]);
    assert.deepEqual(kept, [true, true, true, true]);
    assert.deepEqual(shape(last), shape(fresh));
  });

  it('groups afresh when an edit mentions a name another statement binds, or binds a new one', () => {
    const joined = SCRIPT.replace('        return len(values)', '        return len(values), Net');
    const joinedRun = regroup([SCRIPT, joined]);
    assert.deepEqual(joinedRun.kept, [false]);
    assert.deepEqual(shape(joinedRun.last), shape(joinedRun.fresh));
    assert.equal(joinedRun.last.groups.length, 3, 'report joins Net and train');

    const bound = SCRIPT.replace('def report(values):', 'def report(values):\n    global Net');
    const boundRun = regroup([SCRIPT, bound]);
    assert.deepEqual(boundRun.kept, [false]);
    assert.deepEqual(shape(boundRun.last), shape(boundRun.fresh));
  });
});

describe('the facts of an open document, group by group', () => {
  it('reads an import that error recovery left on a line with broken code with the statements using it', () => {
    // `for q` swallows `from tensorflow` into an ERROR; `import keras` stands after it on the same line, and a class stands between.
    const fixture = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'python', 'FC304', 'pos-keras-rmsprop-positional.py'), 'utf8');
    const text = fixture.replace('from tensorflow import keras\n', 'for q\nfrom tensorflow import keras\n\nclass Extra(nn.Module):\n');
    assert.notEqual(text, fixture);
    const document = linter.openDocument();
    try {
      const fresh = linter.lint(text);
      assert.ok(fresh.findings.some((f) => f.code === 'FC304'), 'a one-shot lint reads the optimizer through the import');
      assert.deepEqual(linter.lint(text, {}, document), fresh);
    } finally {
      document.dispose();
    }
  });

  it('re-analyses only the group an edit touches and moves the facts below it to their new lines', () => {
    const parsed: string[] = [];
    const groups = new GroupFacts((text) => {
      parsed.push(text);
      return parser.parse(text);
    });
    const document = new PythonDocument(parser);
    try {
      const before = groups.facts(document.update(SCRIPT), SCRIPT).facts;
      assert.equal(parsed.length, 4, 'each group analysed once');
      assert.equal(before.trainingLoops.length, 1);
      assert.equal(before.trainingLoops[0]!.span.start.line, 17);

      parsed.length = 0;
      const edited = SCRIPT.replace('    model.eval()\n', '    model.eval()\n    print("evaluating")\n');
      const after = groups.facts(document.update(edited), edited).facts;
      assert.equal(parsed.length, 1, 'only the edited group analysed again');
      assert.match(parsed[0]!, /evaluating/);
      assert.equal(after.trainingLoops[0]!.span.start.line, 18, 'the untouched group\'s loop moved down a line');
      assert.ok(after.evaluationSeen);
    } finally {
      document.dispose();
    }
  });

  it('keeps apart the facts of groups whose programs put them on the same line', () => {
    // Both models sit on the same line of their group's program: their ids must still differ in the file.
    const fn = (name: string, last: string) => `def ${name}(loader):
    model = nn.Sequential(
        nn.Linear(20, 5),
        ${last},
    )
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
`;
    const text = `import torch\nimport torch.nn as nn\n\n\ndef first():\n    pass\n\n\n${fn('plain', 'nn.Linear(5, 5)')}\n\n` +
      `def second():\n    pass\n\n\n${fn('softmaxed', 'nn.Softmax(dim=1)')}`;
    assert.equal(groupsOf(text).length, 4);
    const document = linter.openDocument();
    try {
      const inDocument = linter.lint(text, {}, document).findings;
      assert.deepEqual(inDocument, linter.lint(text).findings);
      assert.deepEqual(inDocument.filter((f) => f.code === 'FC101').map((f) => f.span.start.line), [29], 'only the softmaxed model\'s layer');
    } finally {
      document.dispose();
    }
  });

  it('looks up what a pipeline lists only in the statements linked to it by names, in a one-shot lint as in an open document', () => {
    const text = (parameter: string) => `from torchvision import datasets, transforms


class MnistData:
    def __init__(self, root):
        self.root = root
        self.norm = transforms.Normalize((0.1307,), (0.3081,))


def test_set(${parameter}):
    pipeline = transforms.Compose([transforms.ToTensor(), data.norm])
    return datasets.MNIST(data.root, train=False, transform=pipeline)
`;
    // Annotated with the class, the function joins its group and `data.norm` is the class's Normalize;
    // without, nothing links them and the pipeline's second step is unknown.
    for (const [parameter, expected] of [['data: MnistData', []], ['data', ['FC507']]] as const) {
      const document = linter.openDocument();
      try {
        const inDocument = linter.lint(text(parameter), {}, document).findings;
        assert.deepEqual(inDocument, linter.lint(text(parameter)).findings, parameter);
        assert.deepEqual(inDocument.map((f) => f.code), expected, parameter);
      } finally {
        document.dispose();
      }
    }
  });

  it('finds in an open document what a one-shot lint finds, for every fixture', () => {
    let compared = 0;
    for (const { name, text } of pythonFixtures()) {
      const document = linter.openDocument();
      try {
        assert.deepEqual(linter.lint(text, {}, document), linter.lint(text), name);
      } finally {
        document.dispose();
      }
      compared++;
    }
    assert.ok(compared > 300, `${compared} fixtures compared`);
  });

  it('copies each group\'s program from the document\'s rows, node for node what a parse of the program gives, for every fixture', () => {
    let copied = 0;
    for (const { name, text } of pythonFixtures()) {
      const document = copyOf(text);
      for (const group of groupStatements(document.root, text, new Map(), new Map())) {
        const program = groupProgram(group, text);
        const copy = programTree(document, program.stretches, program.text);
        assert.ok(copy, `${name}: a group free of errors is copied`);
        assert.deepEqual(shape(copy.root), shape(copyOf(program.text).root), name);
        copied++;
      }
    }
    assert.ok(copied > 300, `${copied} groups compared`);
  });

  it('parses a group\'s program instead when one of its statements holds an error or was read after one', () => {
    const text = 'import torch\n\ndef a():\n    return torch.zeros(1\n\ndef b():\n    return 2\n\ndef c():\n    return 3\n';
    const document = copyOf(text);
    const groups = groupStatements(document.root, text, new Map(), new Map());
    const copies = groups.map((group) => {
      const program = groupProgram(group, text);
      return programTree(document, program.stretches, program.text);
    });
    assert.ok(copies.length > 0);
    assert.ok(copies.every((copy) => copy === undefined), 'every group holds the error or statements read after it');

    const clean = 'import torch\n\ndef a():\n    return torch.zeros(1)\n\ndef b():\n    return 2\n';
    const parsed: string[] = [];
    const facts = new GroupFacts((program) => {
      parsed.push(program);
      return parser.parse(program);
    });
    const cleanDocument = copyOf(clean);
    facts.facts(cleanDocument.root, clean, cleanDocument);
    assert.deepEqual(parsed, [], 'a clean document\'s groups are copied, not parsed');
    facts.clear();
    facts.facts(document.root, text, document);
    assert.ok(parsed.length > 0, 'a broken one\'s are parsed');
  });
});

/** The compact copy of a fresh parse of `text`. */
function copyOf(text: string): ReturnType<typeof mirrorTree> {
  const tree = parser.parse(text);
  try {
    return mirrorTree(tree, text);
  } finally {
    tree.delete();
  }
}

/** A node's type, span, field and children, all the way down: what two trees must share to be alike. */
function shape(node: SyntaxNode): unknown {
  return [node.type, node.startIndex, node.endIndex, (node as MirrorNode).field, node.children.map(shape)];
}

/** The rule fixtures (`test/fixtures/python/<rule>/<file>`), named `<rule>/<file>`. */
function pythonFixtures(): { name: string; text: string }[] {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'python');
  return fs.readdirSync(dir).flatMap((rule) => fs.readdirSync(path.join(dir, rule))
    .map((file) => ({ name: `${rule}/${file}`, text: fs.readFileSync(path.join(dir, rule, file), 'utf8') })));
}
