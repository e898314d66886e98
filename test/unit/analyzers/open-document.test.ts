/**
 * An open document's syntax tree across one edit: only the statements around the edit are parsed, what
 * the edit did not touch is reused. The
 * property checks over every fixture and random edit sequences are in
 * test/integration/analyzers/syntax-tree.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, it } from 'node:test';
import { PythonDocument } from '../../../analyzers/python/document.js';
import { PythonParser } from '../../../analyzers/python/parser.js';
import { changedRange } from '../../../analyzers/python/changed-range.js';
import { mirrorTree, spliceLineStarts, spliceTree, type MirrorTree } from '../../../analyzers/python/syntax-tree.js';
import { fixturePath, getLinter } from '../helpers.js';

let parser: PythonParser;

/** A tree's node types and nesting, as one string. */
function shape(node: { type: string; children: readonly unknown[] }): string {
  return `${node.type}(${(node.children as { type: string; children: readonly unknown[] }[]).map(shape).join(',')})`;
}

before(async () => {
  parser = await PythonParser.create();
});

/** {@link shape} of a fresh parse of `text`. */
function freshShape(text: string): string {
  const tree = parser.parse(text);
  try {
    return shape(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** A document whose parser notes every text it is given in `parsed`. */
function countingDocument(): { document: PythonDocument; parsed: string[] } {
  const parsed: string[] = [];
  const counting = { parse: (t: string) => (parsed.push(t), parser.parse(t)) } as unknown as PythonParser;
  return { document: new PythonDocument(counting), parsed };
}

describe('an open document whose text tree-sitter cannot read as a module', () => {
  it('reads the next version afresh, and finds what a fresh lint finds', async () => {
    const linter = await getLinter();
    // Its root is an ERROR: the top rows are loose tokens, with no statements to take over around an edit.
    const original = fs.readFileSync(fixturePath('open-document', 'unreadable-module.py'), 'utf8');
    assert.equal(linter.parsePython(original).root.type, 'ERROR', 'the fixture is still unreadable as a module');
    const edited = original.replace('model = SmallCNN()\ncriterion = nn.CrossEntropyLoss()\noptimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)\n\n', '');
    assert.notEqual(edited, original);
    const document = linter.openDocument();
    try {
      assert.deepEqual(linter.lint(original, {}, document), linter.lint(original));
      assert.deepEqual(linter.lint(edited, {}, document), linter.lint(edited));
    } finally {
      document.dispose();
    }
  });
});

describe('an open document edited once', () => {
  it('re-parses the edited statement with its neighbours, takes over the others and moves those below it', () => {
    const text = 'import torch\nimport os\n\ndef first():\n    a = 1\n    return a\n\ndef second():\n    return 2\n\ndef third():\n    b = torch.zeros(2)\n    return b\n';
    const { document, parsed } = countingDocument();
    try {
      const root = document.update(text);
      const [imports, , first, , third] = root.namedChildren;
      parsed.length = 0;
      // A parameter on a line of its own: the edit lies in the function's header, in no nested statement.
      const after = document.update(text.replace('def first():', 'def first(\n        n):'));
      assert.deepEqual(parsed, [
        'import os\n\ndef first(\n        n):\n    a = 1\n    return a\n\ndef second():\n    return 2\n\n',
      ], 'only the edited function and its neighbours are parsed');
      assert.equal(after.namedChildren[0]!.id, imports!.id, 'a statement above the edit is the same node');
      assert.notEqual(after.namedChildren[2]!.id, first!.id, 'the edited function is copied again');
      const moved = after.namedChildren[4]!;
      assert.equal(moved.id, third!.id, 'a statement below the edit is the same node');
      assert.equal(moved.startPosition.row, 11, 'moved down one line');
      assert.equal(moved.childForFieldName('name')!.text, 'third');
      assert.equal(moved.descendantsOfType('call')[0]!.text, 'torch.zeros(2)');
      assert.equal(moved.descendantsOfType('call')[0]!.startPosition.row, 12);
    } finally {
      document.dispose();
    }
  });

  it('parses only the lines of the nested statement an edit lies in, and rebuilds its module statement around them', () => {
    const text = 'import torch\n\nclass Net:\n    def first(self):\n        a = 1\n        return a\n\n    def second(self):\n        return torch.zeros(2)\n\nnet = Net()\n';
    const { document, parsed } = countingDocument();
    try {
      const root = document.update(text);
      const [imports, net, after] = root.namedChildren;
      parsed.length = 0;
      // Typing at the end of a statement, inside a method.
      const edited = text.replace('a = 1', 'a = 12');
      const again = document.update(edited);
      assert.deepEqual(parsed, ['if 1:\n        a = 12\n'], 'only the edited line, as the body of an if');
      assert.equal(again.namedChildren[0]!.id, imports!.id, 'the statement above keeps its node');
      assert.equal(again.namedChildren[2]!.id, after!.id, 'the statement below keeps its node');
      assert.notEqual(again.namedChildren[1]!.id, net!.id, 'the class holding the edit is a new node');
      assert.equal(shape(again), freshShape(edited));
      assert.equal(again.namedChildren[2]!.startIndex, edited.indexOf('net = Net()'), 'the statement below moved with the edit');
    } finally {
      document.dispose();
    }
  });

  it('parses only the nested lines when a line is added in a block, and the whole statement when a comment is', () => {
    const text = 'import torch\n\nclass Net:\n    def __init__(self):\n        self.fc1 = torch.nn.Linear(4, 8)\n        self.fc2 = torch.nn.Linear(8, 2)\n\nnet = Net()\n';
    const { document, parsed } = countingDocument();
    try {
      document.update(text);
      parsed.length = 0;
      // A layer added after another: the edited lines come back as two statements of the same block.
      const added = text.replace('Linear(4, 8)\n', 'Linear(4, 8)\n        self.act = torch.nn.ReLU()\n');
      const again = document.update(added);
      assert.equal(parsed.length, 1, 'one parse');
      assert.ok(parsed[0]!.startsWith('if 1:\n') && parsed[0]!.length < 100, `only the edited lines: ${JSON.stringify(parsed[0])}`);
      assert.equal(shape(again), freshShape(added));
      assert.equal(again.namedChildren[2]!.startIndex, added.indexOf('net = Net()'), 'the statement below moved with the edit');
      // A comment line added before a statement: parsed on its own it would stand outside the statements.
      parsed.length = 0;
      const commented = added.replace('        self.fc2', '        # fitcheck: ignore-file[FC201]\n        self.fc2');
      const withComment = document.update(commented);
      assert.ok(parsed.some((part) => part.includes('class Net:')), 'the class is parsed whole');
      assert.equal(shape(withComment), freshShape(commented), 'the comment is in the tree');
    } finally {
      document.dispose();
    }
  });

  it('reads a statement again when an error beside it changes its parse, and again once the error is gone', () => {
    const document = new PythonDocument(parser);
    try {
      document.update('x=n[0],y[0]\n');
      for (const text of ['x=n[0],y[0]\n:', 'x=n[0],y[0]\n']) {
        assert.equal(shape(document.update(text)), freshShape(text), JSON.stringify(text));
      }
    } finally {
      document.dispose();
    }
  });
});

describe('an open document while a statement is half typed', () => {
  it('reads the error within the statements around it, keeps those further down, and reads them again once mended', () => {
    const functions = Array.from({ length: 12 }, (_, i) => `def f${i}(x):\n    y = x + ${i}\n    return y\n`);
    const text = `import torch\n\n${functions.join('\n')}`;
    const { document, parsed } = countingDocument();
    try {
      const last = document.update(text).namedChildren.at(-1)!;
      parsed.length = 0;
      const typing = text.replace('    y = x + 2\n', '    y = x + 2\n    z = torch.mean(\n');
      const broken = document.update(typing);
      assert.ok(parsed.every((part) => part.length < typing.length / 2), 'only a part of the file is parsed');
      assert.equal(broken.namedChildren.at(-1)!.id, last.id, 'the last function is kept as it was');
      assert.equal(broken.namedChildren.at(-1)!.childForFieldName('name')!.text, 'f11');
      const mended = typing.replace('torch.mean(\n', 'torch.mean(y)\n');
      assert.equal(shape(document.update(mended)), freshShape(mended), 'once mended, the copy equals a fresh parse');
    } finally {
      document.dispose();
    }
  });
});

describe('an open document left idle while another is edited', () => {
  /** Every node's type, offsets and position, in order: what a fresh parse must agree with. */
  function layout(node: { type: string; startIndex: number; endIndex: number; startPosition: { row: number; column: number }; endPosition: { row: number; column: number }; children: readonly unknown[] }): string[] {
    const own = `${node.type}@${node.startIndex}-${node.endIndex}:${node.startPosition.row}.${node.startPosition.column}-${node.endPosition.row}.${node.endPosition.column}`;
    return [own, ...(node.children as (typeof node)[]).flatMap(layout)];
  }

  it('drops its cached lookups, answers its text from its rows, and agrees with a fresh parse when edited again', () => {
    const text = 'import torch\n\ndef first():\n    a = 1\n    return a\n';
    const idle = new PythonDocument(parser);
    const other = new PythonDocument(parser);
    const found = (document: PythonDocument) => (document as unknown as { state: { mirror: { tree: { found: Map<number, unknown> } } } }).state.mirror.tree.found;
    try {
      const root = idle.update(text);
      root.descendantsOfType('call');
      assert.ok(found(idle).size > 0, 'lookups are cached while the document is edited');
      other.update('x = 1\n');
      assert.equal(found(idle).size, 0, 'the idle document dropped its cached lookups');
      assert.equal(idle.update(text).namedChildren.length, 2, 'the same text is answered from the compact rows');
      const edited = text.replace('a = 1', 'a = 2\n    a += 1');
      const after = idle.update(edited);
      const fresh = parser.parse(edited);
      try {
        assert.deepEqual(layout(after), layout(fresh.rootNode));
      } finally {
        fresh.delete();
      }
      // Another document analysed again with its text unchanged (a dependent in the project) leaves the lookups.
      after.descendantsOfType('call');
      other.update('x = 1\n');
      assert.ok(found(idle).size > 0, 'the document being edited keeps its lookups');
    } finally {
      idle.dispose();
      other.dispose();
    }
  });
});

describe('an open document edited again and again', () => {
  it('writes a new copy over the memory of the copy two edits back, and reads like a fresh parse', () => {
    const parse = (t: string) => parser.parse(t);
    const fresh = (t: string): MirrorTree => {
      const tree = parse(t);
      try {
        return mirrorTree(tree, t);
      } finally {
        tree.delete();
      }
    };
    const texts = ['import torch\n\ndef first():\n    a = 1\n    return a\n\ndef second():\n    return torch.zeros(2)\n'];
    texts.push(texts[0]!.replace('a = 1', 'a = 2'), texts[0]!.replace('a = 1', 'a = 3'));
    const first = fresh(texts[0]!);
    const firstRows = first.tree.rows;
    const second = spliceTree(first, texts[1]!, changedRange(texts[0]!, texts[1]!), parse);
    const third = spliceTree(second, texts[2]!, changedRange(texts[1]!, texts[2]!), parse, first);
    assert.equal(third.tree.rows, firstRows, 'the third copy took over the first one\'s rows');
    assert.equal(first.tree.rows.count, 0, 'the first copy holds no rows any more');
    assert.equal(shape(third.root), shape(fresh(texts[2]!).root));
    assert.equal(third.root.namedChildren[2]!.descendantsOfType('call')[0]!.text, 'torch.zeros(2)');
    assert.notEqual(second.tree.rows, firstRows);
    assert.throws(() => spliceTree(third, texts[0]!, changedRange(texts[2]!, texts[0]!), parse, third), /the copy being read/, 'a copy never takes over the rows it reads');
  });
});

describe('the line starts of an edited text', () => {
  it('equal those counted afresh, for edits that add, remove and replace newlines anywhere', () => {
    const count = (text: string) => [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
    let seed = 7;
    const random = (below: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % below);
    const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
    for (let k = 0; k < 3000; k++) {
      const before = pick('\nab ', random(40));
      const start = random(before.length + 1);
      const end = start + random(before.length - start + 1);
      const after = before.slice(0, start) + pick('\nx', random(6)) + before.slice(end);
      const lines = spliceLineStarts(Int32Array.from(count(before)), after, changedRange(before, after));
      assert.deepEqual([...lines], count(after), `${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    }
  });
});
