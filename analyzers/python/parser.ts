/**
 * The tree-sitter Python parser: loads the two wasm files once and parses text (open documents
 * parse only the statements around an edit: see `spliceTree`).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { adoptBinding } from './tree-walk.js';

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
  // Emscripten fills these options in as the wasm module: tree walks call its cursor functions directly.
  const module = { locateFile: () => paths.runtime };
  await Parser.init(module);
  const language = await Language.load(paths.python);
  const parser = new Parser();
  parser.setLanguage(language);
  const sample = parser.parse('class A(B):\n    def f(self, x=(1, [2])):\n        return x.y[0] if x else None\n');
  try {
    if (sample) adoptBinding(module, sample);
  } finally {
    sample?.delete();
    parser.delete();
  }
  return language;
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
}
