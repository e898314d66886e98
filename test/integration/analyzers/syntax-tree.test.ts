/**
 * The plain-JS copy of the syntax tree that open documents keep: it must read exactly like
 * tree-sitter's own tree, stay exact across edits, and take over what the edit did not touch. While
 * the text has a syntax error the copy reads the error within the statements around the edit, where
 * a fresh parse may let it run on: then the copy must still show an error, and agree again once the
 * error is mended.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { PythonDocument } from '../../../analyzers/python/document.js';
import { PythonParser } from '../../../analyzers/python/parser.js';
import type { SyntaxNode } from '../../../analyzers/python/syntax-tree.js';
import { fuzzCorpus, mutate, random } from '../../unit/fuzz-mutations.js';
import { getLinter, repoRoot } from '../../unit/helpers.js';

let parser: PythonParser;
let corpus: string[];
/** Every field name of the Python grammar. */
let fieldNames: string[];

before(async () => {
  parser = await PythonParser.create();
  corpus = fuzzCorpus(repoRoot);
  const tree = parser.parse('x = 1');
  const language = tree.language;
  fieldNames = Array.from({ length: language.fieldCount }, (_, i) => language.fieldNameForId(i + 1)).filter((n): n is string => !!n);
  tree.delete();
  assert.ok(fieldNames.includes('body') && fieldNames.includes('left'));
});

/** The first difference between two trees, as a sentence; undefined when they read alike. */
function difference(a: SyntaxNode, b: SyntaxNode, fieldsOf: (node: SyntaxNode) => (string | null)[]): string | undefined {
  const stack: [SyntaxNode, SyntaxNode][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    const where = `${x.type} at ${x.startPosition.row}:${x.startPosition.column}`;
    if (x.type !== y.type) return `${where}: type ${y.type}`;
    if (x.startIndex !== y.startIndex || x.endIndex !== y.endIndex) return `${where}: range ${x.startIndex}-${x.endIndex} vs ${y.startIndex}-${y.endIndex}`;
    if (JSON.stringify([x.startPosition, x.endPosition]) !== JSON.stringify([y.startPosition, y.endPosition])) {
      return `${where}: positions ${JSON.stringify([x.startPosition, x.endPosition])} vs ${JSON.stringify([y.startPosition, y.endPosition])}`;
    }
    if (x.childCount !== y.childCount || x.namedChildCount !== y.namedChildCount) return `${where}: child count`;
    if (x.childCount === 0 && x.text !== y.text) return `${where}: text ${JSON.stringify(x.text)} vs ${JSON.stringify(y.text)}`;
    if (JSON.stringify(fieldsOf(x)) !== JSON.stringify(fieldsOf(y))) return `${where}: fields ${JSON.stringify(fieldsOf(x))} vs ${JSON.stringify(fieldsOf(y))}`;
    for (let i = 0; i < x.childCount; i++) stack.push([x.children[i]!, y.children[i]!]);
  }
  return undefined;
}

/** Field names of a node's children, read through `childForFieldName` as the analyzers do. */
function fieldsByLookup(node: SyntaxNode): (string | null)[] {
  return node.children.map((child) => fieldNames.find((name) => node.childrenForFieldName(name).some((c) => c.startIndex === child.startIndex && c.type === child.type)) ?? null);
}

/** Whether the tree holds a parse error: an ERROR node, or a node tree-sitter made up (zero width). */
function holdsError(root: SyntaxNode): boolean {
  if (root.type === 'ERROR') return true;
  const stack = [...root.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR' || node.startIndex === node.endIndex) return true;
    stack.push(...node.children);
  }
  return false;
}

/**
 * How the copy of an edited document (`root`) falls short of a fresh copy of `text`, as a sentence:
 * for text free of errors any difference; for broken text only an error the copy does not show.
 */
function disagreement(root: SyntaxNode, text: string): string | undefined {
  const copy = freshCopy(text);
  try {
    if (!holdsError(copy.root)) return difference(root, copy.root, fieldsByLookup);
    return holdsError(root) ? undefined : 'the text has a syntax error the copy does not show';
  } finally {
    copy.dispose();
  }
}

/** Whether tree-sitter finds a syntax error in `text`. */
function broken(text: string): boolean {
  const tree = parser.parse(text);
  try {
    return tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

/** A fresh copy of `text`, made by a document that has seen nothing else. */
function freshCopy(text: string): { root: SyntaxNode; dispose: () => void } {
  const document = new PythonDocument(parser);
  return { root: document.update(text), dispose: () => document.dispose() };
}

/** Edits that shift, split, break and mend statements, one after the other. */
function editSequence(text: string, next: () => number): string[] {
  const versions: string[] = [];
  let current = text;
  const at = () => {
    const lines = current.split('\n');
    return { lines, line: Math.floor(next() * lines.length) };
  };
  for (let step = 0; step < 12; step++) {
    const { lines, line } = at();
    switch (step % 6) {
      case 0: // type a character in the middle of a line
        lines[line] = `${lines[line]!.slice(0, 4)}x${lines[line]!.slice(4)}`;
        break;
      case 1: // insert a line: everything below moves down
        lines.splice(line, 0, `${(lines[line] ?? '').match(/^\s*/)![0]}print("added")`);
        break;
      case 2: // open a bracket: a parse error swallows what follows
        lines[line] = `${lines[line]!}(`;
        break;
      case 3: // ...and close it again
        current = versions[versions.length - 2] ?? current;
        versions.push(current);
        continue;
      case 4: // delete a line
        lines.splice(line, 1);
        break;
      default: // any fuzz mutation
        current = mutate(current, next).text;
        versions.push(current);
        continue;
    }
    current = lines.join('\n');
    versions.push(current);
  }
  return versions;
}

describe('the syntax tree copy of an open document', () => {
  it('reads exactly like tree-sitter\'s own tree for every fixture', () => {
    const rawFields = (node: SyntaxNode) => node.children.map((_, i) => (node as Node).fieldNameForChild(i));
    for (const text of corpus) {
      const tree = parser.parse(text);
      const copy = freshCopy(text);
      try {
        assert.equal(difference(tree.rootNode, copy.root, (n) => ('fieldNameForChild' in n ? rawFields(n) : fieldsByLookup(n))), undefined);
        assert.equal(difference(copy.root, tree.rootNode, fieldsByLookup), undefined);
        for (const type of ['call', 'function_definition', 'comment']) {
          assert.deepEqual(copy.root.descendantsOfType(type).map((n) => n.startIndex), tree.rootNode.descendantsOfType(type).map((n) => n.startIndex));
        }
      } finally {
        tree.delete();
        copy.dispose();
      }
    }
  });

  it('equals a fresh copy of the new text after every edit that leaves it free of errors, and shows every error', () => {
    const next = random(7);
    let edits = 0;
    let clean = 0;
    for (const text of corpus.filter((_, i) => i % 3 === 0)) {
      const document = new PythonDocument(parser);
      document.update(text);
      for (const version of editSequence(text, next)) {
        const root = document.update(version);
        assert.equal(disagreement(root, version), undefined, `after edit ${edits}:\n${version.slice(0, 400)}`);
        const copy = freshCopy(version);
        try {
          if (!holdsError(copy.root)) {
            assert.deepEqual(root.descendantsOfType('call').map((n) => n.text), copy.root.descendantsOfType('call').map((n) => n.text));
            clean++;
          }
        } finally {
          copy.dispose();
        }
        edits++;
      }
      document.dispose();
    }
    assert.ok(edits > 200 && clean > 100, `${edits} edits checked, ${clean} of them free of errors`);
  });

  it('copies again every statement that an error beside it makes tree-sitter read differently, once the error is mended', () => {
    // Found by review: identical, error-free text, but the edit next to it changed its parse.
    const cases: [string, string][] = [
      ['x=n[0],y[0]\n', 'x=n[0],y[0]\n:'],
      ['()=[],\n)\n\n    ', '()=[],\n'],
      ['*s.b\nc', '*s.b\nexcept E:c'],
      ['\nfor e in r:\n    for b in o:\n        x()\n    y("")\n', 'f"\nfor e in r:\n    for b in o:\n        x()\n    y("")\n'],
    ];
    for (const [before, after] of cases) {
      for (const [from, to] of [[before, after], [after, before]] as const) {
        const document = new PythonDocument(parser);
        document.update(from);
        try {
          assert.equal(disagreement(document.update(to), to), undefined, `${JSON.stringify(from)} -> ${JSON.stringify(to)}`);
        } finally {
          document.dispose();
        }
      }
    }
    // The same kind of edit on every fixture: a stray f-string opener on the first line, then removed.
    for (const text of corpus) {
      const document = new PythonDocument(parser);
      document.update(text);
      for (const version of [`f"\n${text}`, text]) {
        assert.equal(disagreement(document.update(version), version), undefined, version.slice(0, 200));
      }
      document.dispose();
    }
  });

  it('takes over the statements an edit did not touch and moves those below it', () => {
    // The statements on either side of the edited one are read again with it (typing can join them).
    const text = 'import torch\nimport os\n\ndef first():\n    a = 1\n    return a\n\ndef second():\n    return 2\n\ndef third():\n    c = torch.zeros(2)\n    return c\n';
    const document = new PythonDocument(parser);
    try {
      const root = document.update(text);
      const [imports, , first, , third] = root.namedChildren;
      const edited = text.replace('a = 1', 'a = 1\n    a += 1');
      const after = document.update(edited);
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
});

describe('linting an open document across edits', () => {
  it('finds what a one-shot lint of the same text finds, whenever the text is free of syntax errors', async () => {
    const linter = await getLinter();
    const next = random(11);
    let compared = 0;
    for (const text of corpus.filter((_, i) => i % 4 === 1)) {
      const document = linter.openDocument();
      linter.lint(text, {}, document);
      for (const version of editSequence(text, next)) {
        const result = linter.lint(version, {}, document);
        if (broken(version)) continue;
        assert.deepEqual(result, linter.lint(version), `after an edit:\n${version.slice(0, 400)}`);
        compared++;
      }
      document.dispose();
    }
    assert.ok(compared > 150, `${compared} edited versions compared`);
  });
});
