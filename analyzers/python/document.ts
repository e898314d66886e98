/** A Python document kept between edits so each re-parse is incremental. */
import type { Tree } from 'web-tree-sitter';
import type { PythonParser } from './parser.js';

export class PythonDocument {
  private state: { text: string; tree: Tree } | undefined;

  constructor(private readonly parser: PythonParser) {}

  /** Parses `text`, reusing the previous tree; returns the current tree (owned by this document). */
  update(text: string): Tree {
    if (this.state?.text === text) return this.state.tree;
    const tree = this.parser.parse(text, this.state);
    this.state?.tree.delete();
    this.state = { text, tree };
    return tree;
  }

  /** Frees the tree's wasm memory. */
  dispose(): void {
    this.state?.tree.delete();
    this.state = undefined;
  }
}
