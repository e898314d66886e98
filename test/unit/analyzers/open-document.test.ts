/**
 * An open document's syntax tree across one edit: what the edit did not touch is reused. The
 * property checks over every fixture and random edit sequences are in
 * test/integration/analyzers/syntax-tree.test.ts.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PythonDocument } from '../../../analyzers/python/document.js';
import { PythonParser } from '../../../analyzers/python/parser.js';

let parser: PythonParser;

/** A tree's node types and nesting, as one string. */
function shape(node: { type: string; children: readonly unknown[] }): string {
  return `${node.type}(${(node.children as { type: string; children: readonly unknown[] }[]).map(shape).join(',')})`;
}

before(async () => {
  parser = await PythonParser.create();
});

describe('an open document edited once', () => {
  it('takes over the statements an edit did not touch and moves those below it', () => {
    const text = 'import torch\n\ndef first():\n    a = 1\n    return a\n\ndef second():\n    b = torch.zeros(2)\n    return b\n';
    const document = new PythonDocument(parser);
    try {
      const root = document.update(text);
      const [imports, first, second] = root.namedChildren;
      const after = document.update(text.replace('a = 1', 'a = 1\n    a += 1'));
      assert.equal(after.namedChildren[0]!.id, imports!.id, 'the statement above the edit is the same node');
      assert.notEqual(after.namedChildren[1]!.id, first!.id, 'the edited function is copied again');
      const moved = after.namedChildren[2]!;
      assert.equal(moved.id, second!.id, 'the statement below the edit is the same node');
      assert.equal(moved.startPosition.row, 7, 'moved down one line');
      assert.equal(moved.childForFieldName('name')!.text, 'second');
      assert.equal(moved.descendantsOfType('call')[0]!.text, 'torch.zeros(2)');
      assert.equal(moved.descendantsOfType('call')[0]!.startPosition.row, 8);
    } finally {
      document.dispose();
    }
  });

  it('reads a statement again when an error beside it changes its parse, and again once the error is gone', () => {
    const document = new PythonDocument(parser);
    try {
      document.update('x=n[0],y[0]\n');
      for (const text of ['x=n[0],y[0]\n:', 'x=n[0],y[0]\n']) {
        const fresh = parser.parse(text);
        try {
          assert.equal(shape(document.update(text)), shape(fresh.rootNode), JSON.stringify(text));
        } finally {
          fresh.delete();
        }
      }
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

  it('gives up its tree-sitter tree, then parses afresh when edited again, agreeing with a fresh parse', () => {
    const text = 'import torch\n\ndef first():\n    a = 1\n    return a\n';
    const idle = new PythonDocument(parser);
    const other = new PythonDocument(parser);
    try {
      const root = idle.update(text);
      const firstId = root.namedChildren[1]!.id;
      other.update('x = 1\n');
      assert.equal((idle as unknown as { state: { tree: unknown } }).state.tree, undefined, 'the idle document holds no tree-sitter tree');
      assert.equal(idle.update(text).namedChildren.length, 2, 'the same text is answered from the compact rows');
      const edited = text.replace('a = 1', 'a = 2\n    a += 1');
      const after = idle.update(edited);
      assert.notEqual(after.namedChildren[1]!.id, firstId, 'read again from a fresh parse');
      const fresh = parser.parse(edited);
      try {
        assert.deepEqual(layout(after), layout(fresh.rootNode));
      } finally {
        fresh.delete();
      }
      // Edited again while active: incremental again, the statement above the edit kept.
      const importId = after.namedChildren[0]!.id;
      assert.equal(idle.update(`${edited}\nb = 3\n`).namedChildren[0]!.id, importId);
      // Another document analysed again with its text unchanged (a dependent in the project) leaves the tree.
      other.update('x = 1\n');
      assert.notEqual((idle as unknown as { state: { tree: unknown } }).state.tree, undefined, 'the document being edited keeps its tree');
    } finally {
      idle.dispose();
      other.dispose();
    }
  });
});
