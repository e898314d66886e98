/**
 * A Python document kept between edits: each re-parse is incremental, and the plain-JS copy of
 * its tree takes over every statement the edit did not touch. Only the document being typed in
 * keeps its tree-sitter tree (the largest part of an open document, in wasm memory); an idle one
 * keeps its text and compact rows, and parses afresh when it is edited again.
 */
import type { Tree } from 'web-tree-sitter';
import type { TrainingFacts } from '../facts.js';
import { changedRange } from './changed-range.js';
import { GroupFacts } from './group-facts.js';
import type { PythonParser } from './parser.js';
import { mirrorTree, type MirrorTree, type SyntaxNode } from './syntax-tree.js';

export class PythonDocument {
  /** The document updated last: it keeps its node objects across updates; the others let go of theirs. */
  private static active: PythonDocument | undefined;
  /**
   * The document whose text changed last: it keeps its tree-sitter tree for the next incremental parse.
   * Analysing another document again without a change to its text (a dependent in the project) leaves it.
   */
  private static editing: PythonDocument | undefined;
  private state: { text: string; tree: Tree | undefined; mirror: MirrorTree } | undefined;
  /** Facts kept per group of statements between edits. */
  private readonly groups: GroupFacts;

  constructor(private readonly parser: PythonParser) {
    this.groups = new GroupFacts((text) => parser.parse(text));
  }

  /** The training facts of the text last given to {@link update} (its module node `root`), re-analysing only what the edit touched. */
  facts(root: SyntaxNode, text: string): TrainingFacts {
    return this.groups.facts(root, text);
  }

  /** Parses `text`, reusing the previous tree and copy; returns the module node (owned by this document). */
  update(text: string): SyntaxNode {
    if (PythonDocument.active !== this) {
      PythonDocument.active?.releaseNodes();
      PythonDocument.active = this;
    }
    const previous = this.state;
    if (previous?.text === text) return previous.mirror.root;
    if (PythonDocument.editing !== this) {
      PythonDocument.editing?.idle();
      PythonDocument.editing = this;
    }
    let tree: Tree | undefined;
    try {
      let mirror: MirrorTree;
      if (previous?.tree) {
        const range = changedRange(previous.text, text);
        const parsed = this.parser.reparse(text, { text: previous.text, tree: previous.tree }, range);
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
      previous?.tree?.delete();
    }
  }

  /**
   * Another document is being edited: frees this one's tree-sitter tree (its next edit parses afresh,
   * a few milliseconds once) and the rows found by type, keeping the text and compact rows.
   */
  private idle(): void {
    if (!this.state) return;
    this.state.tree?.delete();
    this.state.tree = undefined;
    // Rebuilt when next asked for; a fresh copy (this document's next edit) would not take them over.
    this.state.mirror.tree.found.clear();
    this.groups.clear();
  }

  /**
   * Lets go of the node objects handed out, keeping only the compact rows: an idle open document
   * then holds ~24 bytes per node. Nodes read later are new objects with the same ids.
   */
  releaseNodes(): void {
    this.state?.mirror.tree.releaseViews();
  }

  /** Frees the tree's wasm memory. */
  dispose(): void {
    if (PythonDocument.active === this) PythonDocument.active = undefined;
    if (PythonDocument.editing === this) PythonDocument.editing = undefined;
    this.state?.tree?.delete();
    this.state = undefined;
    this.groups.clear();
  }
}
