/**
 * A pre-order walk of a tree-sitter tree that calls the wasm module's cursor functions directly.
 * web-tree-sitter's `TreeCursor` copies the cursor's four words into wasm memory before every step
 * and every read, and back after every step, each word through emscripten's generic `setValue` /
 * `getValue` (~1 µs per node for a walk that reads a node's kind, field and span). The wasm functions
 * themselves keep the cursor in one transfer buffer between calls, so a walk that makes no other
 * tree-sitter call until it ends needs no copying at all (~0.23 µs per node over the torch package).
 * This leans on web-tree-sitter's internals: the module object it builds from `Parser.init`'s options
 * and the layout of its cursor. {@link adoptBinding} checks both against the public cursor on a small
 * tree before using them, and every walk falls back to the public cursor when they do not match.
 */
import type { Tree, TreeCursor } from 'web-tree-sitter';

/** The reads and steps of a walk; each `goto` returns whether the cursor moved. */
export interface TreeWalk {
  /** Tree-sitter's type id of the current node (65535 for ERROR). */
  typeId(): number;
  /** Tree-sitter's field id of the current node in its parent (0: none). */
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** Frees the cursor: call once, when the walk is done (no tree-sitter call may come between steps before it). */
  end(): void;
}

/** The part of web-tree-sitter's emscripten module a walk calls (each function reads the cursor from the transfer buffer). */
interface CursorBinding {
  readonly HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const FUNCTIONS = [
  '_ts_init', '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_current_field_id_wasm', '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm',
] as const;

/** A cursor's words as web-tree-sitter keeps them (internal: checked by {@link adoptBinding}). */
type CursorWords = { handles: number[] };

let direct: { binding: CursorBinding; transfer: number } | undefined;

/**
 * Uses `module` (the options object given to `Parser.init`, which emscripten fills in as the module)
 * for direct walks if it has what they need and a direct walk of `sample` reads the same as the public
 * cursor. Returns whether it was taken up; if not, walks go on as before.
 */
export function adoptBinding(module: object, sample: Tree): boolean {
  const candidate = module as Partial<CursorBinding> & Record<string, unknown>;
  if (!(candidate.HEAP32 instanceof Int32Array) || FUNCTIONS.some((name) => typeof candidate[name] !== 'function')) return false;
  const words = (sample.walk() as unknown as Partial<CursorWords> & TreeCursor);
  const shaped = Array.isArray(words.handles) && words.handles.length === 4;
  words.delete();
  if (!shaped) return false;
  const binding = candidate as CursorBinding;
  // ts_init only writes the library's version numbers into the transfer buffer and returns its address.
  const trial = { binding, transfer: binding._ts_init() >> 2 };
  const same = readAll(directWalk(sample, trial.binding, trial.transfer)) === readAll(publicWalk(sample));
  if (same) direct = trial;
  return same;
}

/** Whether walks call the wasm module directly (else they go through web-tree-sitter's cursor). */
export function directWalks(): boolean {
  return direct !== undefined;
}

/** A walk of `tree` from its root; end it with {@link TreeWalk.end}. */
export function walkTree(tree: Tree): TreeWalk {
  return direct ? directWalk(tree, direct.binding, direct.transfer) : publicWalk(tree);
}

/** Through web-tree-sitter's own cursor. */
export function publicWalk(tree: Tree): TreeWalk {
  const cursor = tree.walk();
  return {
    typeId: () => cursor.nodeTypeId,
    fieldId: () => cursor.currentFieldId,
    startIndex: () => cursor.startIndex,
    endIndex: () => cursor.endIndex,
    gotoFirstChild: () => cursor.gotoFirstChild(),
    gotoNextSibling: () => cursor.gotoNextSibling(),
    gotoParent: () => cursor.gotoParent(),
    end: () => cursor.delete(),
  };
}

function directWalk(tree: Tree, binding: CursorBinding, transfer: number): TreeWalk {
  const cursor = tree.walk() as unknown as TreeCursor & CursorWords;
  // The tree's address in wasm memory, as web-tree-sitter passes it.
  const address = (tree as unknown as { 0: number })[0];
  binding.HEAP32.set(cursor.handles, transfer);
  return {
    typeId: () => binding._ts_tree_cursor_current_node_type_id_wasm(address),
    fieldId: () => binding._ts_tree_cursor_current_field_id_wasm(address),
    startIndex: () => binding._ts_tree_cursor_start_index_wasm(address),
    endIndex: () => binding._ts_tree_cursor_end_index_wasm(address),
    gotoFirstChild: () => binding._ts_tree_cursor_goto_first_child_wasm(address) === 1,
    gotoNextSibling: () => binding._ts_tree_cursor_goto_next_sibling_wasm(address) === 1,
    gotoParent: () => binding._ts_tree_cursor_goto_parent_wasm(address) === 1,
    end: () => {
      // A step may have moved the cursor's stack (and grown wasm memory, replacing HEAP32): the JS
      // cursor frees what the transfer buffer holds now.
      const heap = binding.HEAP32;
      for (let i = 0; i < 4; i++) cursor.handles[i] = heap[transfer + i]!;
      cursor.delete();
    },
  };
}

/** Every node's kind, field and span in walk order, as one string (for comparing two walks). */
export function readAll(walk: TreeWalk): string {
  const out: number[] = [];
  try {
    for (;;) {
      out.push(walk.typeId(), walk.fieldId(), walk.startIndex(), walk.endIndex());
      if (walk.gotoFirstChild()) continue;
      while (!walk.gotoNextSibling()) {
        if (!walk.gotoParent()) return out.join(',');
      }
    }
  } finally {
    walk.end();
  }
}
