/**
 * The direct tree walk (analyzers/python/tree-walk.ts) against web-tree-sitter's own cursor: the same
 * kinds, fields and spans in the same order, for the rule fixtures whole and cut in half (syntax errors).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { PythonParser } from '../../../analyzers/python/parser.js';
import { adoptBinding, directWalks, publicWalk, readAll, walkTree } from '../../../analyzers/python/tree-walk.js';
import { commentsHolding, parseToCopy } from '../../../analyzers/python/syntax-tree.js';
import { repoRoot } from '../helpers.js';

/** The rule fixtures whole, cut in the middle of a line, and a few broken snippets. */
function texts(): { name: string; text: string }[] {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'python');
  const whole = fs.readdirSync(dir).flatMap((rule) => fs.readdirSync(path.join(dir, rule))
    .map((file) => ({ name: `${rule}/${file}`, text: fs.readFileSync(path.join(dir, rule, file), 'utf8') })));
  const cut = whole.map(({ name, text }) => ({ name: `${name} (cut)`, text: text.slice(0, Math.floor(text.length / 2)) }));
  const broken = ['def f(:\n  return', 'x = (1,\ny = "open', 'class A:\n\tdef g(self):\n  pass\n', '', '\u00e9t\u00e9 = "\u{1F600}"\n'];
  return [...whole, ...cut, ...broken.map((text, i) => ({ name: `broken ${i}`, text }))];
}

describe('direct tree walks', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await PythonParser.create();
  });

  it('are on once the parser is loaded, with the web-tree-sitter this project pins', () => {
    assert.equal(directWalks(), true);
  });

  it('read every node as web-tree-sitter\'s own cursor does, with and without syntax errors', () => {
    const all = texts();
    assert.ok(all.length > 60);
    for (const { name, text } of all) {
      const tree = parser.parse(text);
      try {
        const expected = readAll(publicWalk(tree));
        assert.equal(readAll(walkTree(tree)), expected, name);
        // A walk leaves nothing behind that changes the next one.
        assert.equal(readAll(walkTree(tree)), expected, `${name}, walked again`);
      } finally {
        tree.delete();
      }
    }
  });

  it('are not taken up from a module that lacks the cursor functions or reads differently', () => {
    const sample = parser.parse('import torch\nx = torch.zeros(3)\n');
    try {
      assert.equal(adoptBinding({ locateFile: () => '' }, sample), false);
      const wrong = { HEAP32: new Int32Array(16), _ts_init: () => 0 } as Record<string, unknown>;
      for (const name of ['goto_first_child', 'goto_next_sibling', 'goto_parent', 'current_node_type_id', 'current_field_id', 'start_index', 'end_index']) {
        wrong[`_ts_tree_cursor_${name}_wasm`] = () => 0;
      }
      assert.equal(adoptBinding(wrong, sample), false);
      // The module adopted when the parser loaded stays in use.
      assert.equal(directWalks(), true);
      assert.equal(readAll(walkTree(sample)), readAll(publicWalk(sample)));
    } finally {
      sample.delete();
    }
  });
});

describe('the comments holding a word', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await PythonParser.create();
  });

  it('are those a walk of every comment finds, once each, never a string, for whole, cut and broken texts', () => {
    let found = 0;
    for (const { name, text } of [...texts(), { name: 'string and comment', text: 'x = "fitcheck"  # fitcheck: fitcheck\n"""# fitcheck"""\n' }]) {
      const copy = parseToCopy((t) => parser.parse(t), text);
      for (const word of ['fitcheck', 'the', '#']) {
        const walked = copy.root.descendantsOfType('comment').filter((c) => c.text.includes(word)).map((c) => c.startIndex);
        assert.deepEqual(commentsHolding(copy, word).map((c) => c.startIndex), walked, `${name}: ${word}`);
        found += walked.length;
      }
    }
    assert.ok(found > 100, `${found} comments found`);
  });
});
