/**
 * The tree-sitter Python parser: loads the two wasm files once and parses text,
 * incrementally when the previous tree of the same document is given.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Edit, Language, Parser, type Point, type Tree } from 'web-tree-sitter';
import type { ChangedRange } from './changed-range.js';

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';

/** Where the two wasm files live: next to a bundle, or in node_modules when run from source. */
export function resolveWasmPaths(wasmDir?: string): { runtime: string; python: string } {
  if (wasmDir) {
    return { runtime: path.join(wasmDir, RUNTIME_WASM), python: path.join(wasmDir, PYTHON_WASM) };
  }
  const require = createRequire(import.meta.url);
  return {
    runtime: require.resolve(`web-tree-sitter/${RUNTIME_WASM}`),
    python: require.resolve(`tree-sitter-python/${PYTHON_WASM}`),
  };
}

let loading: Promise<Language> | undefined;

async function loadPython(wasmDir?: string): Promise<Language> {
  const paths = resolveWasmPaths(wasmDir);
  await Parser.init({ locateFile: () => paths.runtime });
  return Language.load(paths.python);
}

/** A parser bound to the Python grammar. Create with {@link PythonParser.create}. */
export class PythonParser {
  private constructor(private readonly parser: Parser) {}

  /** Loads the grammar (once per process) and returns a ready parser. */
  static async create(wasmDir?: string): Promise<PythonParser> {
    loading ??= loadPython(wasmDir);
    const language = await loading;
    const parser = new Parser();
    parser.setLanguage(language);
    return new PythonParser(parser);
  }

  /** Parses `text` from scratch. */
  parse(text: string): Tree {
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }

  /**
   * Re-parses only the edited part: `previous` is the old text and its tree, `range` the change
   * between the texts. Also returns where the syntax changed ([start, end] in the new text):
   * tree-sitter's changed ranges, which cover what error recovery re-read beyond the edit itself.
   */
  reparse(text: string, previous: { text: string; tree: Tree }, range: ChangedRange): { tree: Tree; changed: [number, number][] } {
    const oldTree = previous.tree.copy();
    try {
      oldTree.edit(editBetween(previous.text, text, range));
      const tree = this.parser.parse(text, oldTree);
      if (!tree) throw new Error('tree-sitter returned no tree');
      return { tree, changed: oldTree.getChangedRanges(tree).map((r): [number, number] => [r.startIndex, r.endIndex]) };
    } finally {
      oldTree.delete();
    }
  }
}

/** The edit that turns `before` into `after`, given the changed stretch between them, with its row/column points. */
function editBetween(before: string, after: string, range: ChangedRange): Edit {
  const { start, oldEnd, newEnd } = range;
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  });
}

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}
