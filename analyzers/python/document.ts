/**
 * A Python document kept between edits: each re-parse is incremental, and the plain-JS copy of
 * its tree takes over every statement the edit did not touch.
 */
import type { Tree } from 'web-tree-sitter';
import { changedRange } from './changed-range.js';
import type { PythonParser } from './parser.js';
import { mirrorTree, type MirrorTree, type SyntaxNode } from './syntax-tree.js';

export class PythonDocument {
  /** The document updated last: the one being typed in keeps its node objects across edits; the others let go of theirs. */
  private static active: PythonDocument | undefined;
  private state: { text: string; tree: Tree; mirror: MirrorTree } | undefined;

  constructor(private readonly parser: PythonParser) {}

  /** Parses `text`, reusing the previous tree and copy; returns the module node (owned by this document). */
  update(text: string): SyntaxNode {
    if (PythonDocument.active !== this) {
      PythonDocument.active?.releaseNodes();
      PythonDocument.active = this;
    }
    const previous = this.state;
    if (previous?.text === text) return previous.mirror.root;
    let tree: Tree | undefined;
    try {
      let mirror: MirrorTree;
      if (previous) {
        const range = changedRange(previous.text, text);
        const parsed = this.parser.reparse(text, previous, range);
        tree = parsed.tree;
        mirror = mirrorTree(tree, text, { mirror: previous.mirror, range, changed: parsed.changed });
      } else {
        tree = this.parser.parse(text);
        mirror = mirrorTree(tree, text);
      }
      this.state = { text, tree, mirror };
      return mirror.root;
    } catch (error) {
      // The old copy may be half taken over: start afresh on the next update.
      tree?.delete();
      this.state = undefined;
      throw error;
    } finally {
      previous?.tree.delete();
    }
  }

  /**
   * Lets go of the node objects handed out, keeping only the compact rows: an idle open document
   * then holds ~40 bytes per node. Nodes read later are new objects with the same ids.
   */
  releaseNodes(): void {
    this.state?.mirror.tree.releaseViews();
  }

  /** Frees the tree's wasm memory. */
  dispose(): void {
    if (PythonDocument.active === this) PythonDocument.active = undefined;
    this.state?.tree.delete();
    this.state = undefined;
  }
}
