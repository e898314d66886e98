/**
 * The syntax nodes the Python front-end reads. One-shot lints read web-tree-sitter's nodes directly;
 * an open document keeps a plain-JS copy of its tree ({@link mirrorTree}) that is patched after each
 * edit, so that re-analysis does not pay a wasm call for every node it looks at.
 */
import type { Language, Point, Tree, TreeCursor } from 'web-tree-sitter';
import type { ChangedRange } from './changed-range.js';

/** What the analyzers read from a node: a subset of web-tree-sitter's `Node`, which satisfies it. */
export interface SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly parent: SyntaxNode | null;
  readonly children: readonly SyntaxNode[];
  readonly namedChildren: readonly SyntaxNode[];
  readonly childCount: number;
  readonly namedChildCount: number;
  readonly lastChild: SyntaxNode | null;
  readonly previousSibling: SyntaxNode | null;
  readonly nextSibling: SyntaxNode | null;
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): SyntaxNode[];
  /** Pre-order, the node itself included (as web-tree-sitter does). */
  descendantsOfType(types: string | string[]): SyntaxNode[];
}

/** The text a document's nodes slice from: one object per document, updated in place on each edit. */
interface Source {
  text: string;
}

let nextId = 1;
/** Leaves share one empty child list: about half of all nodes are leaves. */
const NO_CHILDREN: MirrorNode[] = [];

/** A node copied out of the tree-sitter tree; reused, shifted if need be, across edits. */
export class MirrorNode implements SyntaxNode {
  readonly id = nextId++;
  parent: MirrorNode | null = null;
  children: readonly MirrorNode[] = NO_CHILDREN;
  /** An ERROR or MISSING node is in this subtree: its shape may depend on the text around it. */
  hasError = false;
  private named: readonly MirrorNode[] | undefined;
  /** For statements of the module: descendants by type, valid as long as the statement is reused. */
  private found: Map<string, MirrorNode[]> | undefined;

  constructor(
    readonly source: Source,
    readonly type: string,
    readonly isNamed: boolean,
    /** The field this node fills in its parent. */
    readonly field: string | null,
    public startIndex: number,
    public endIndex: number,
    public startRow: number,
    readonly startColumn: number,
    public endRow: number,
    readonly endColumn: number,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return { row: this.startRow, column: this.startColumn };
  }

  get endPosition(): Point {
    return { row: this.endRow, column: this.endColumn };
  }

  get namedChildren(): readonly MirrorNode[] {
    this.named ??= this.children.length === 0 ? NO_CHILDREN : this.children.filter((c) => c.isNamed);
    return this.named;
  }

  /** Appends a child while the tree is copied. */
  adopt(child: MirrorNode): void {
    if (this.children === NO_CHILDREN) this.children = [];
    (this.children as MirrorNode[]).push(child);
    child.parent = this;
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get lastChild(): MirrorNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  get previousSibling(): MirrorNode | null {
    const siblings = this.parent?.children;
    return siblings?.[siblings.indexOf(this) - 1] ?? null;
  }

  get nextSibling(): MirrorNode | null {
    const siblings = this.parent?.children;
    if (!siblings) return null;
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }

  childForFieldName(name: string): MirrorNode | null {
    for (const child of this.children) if (child.field === name) return child;
    return null;
  }

  childrenForFieldName(name: string): MirrorNode[] {
    return this.children.filter((child) => child.field === name);
  }

  descendantsOfType(types: string | string[]): MirrorNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    if (this.type !== 'module') return collect(this, wanted);
    // The module's statements keep their answers across edits: only edited statements are walked again.
    const found: MirrorNode[] = wanted.includes(this.type) ? [this] : [];
    const key = wanted.join(' ');
    for (const statement of this.children) {
      statement.found ??= new Map();
      let part = statement.found.get(key);
      if (!part) statement.found.set(key, (part = collect(statement, wanted)));
      for (const node of part) found.push(node);
    }
    return found;
  }
}

/** Pre-order nodes of the wanted types, iteratively: fuzzed files nest thousands deep. */
function collect(top: MirrorNode, wanted: string[]): MirrorNode[] {
  const found: MirrorNode[] = [];
  const stack: MirrorNode[] = [top];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (wanted.includes(node.type)) found.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return found;
}

/** A document's tree in plain JS, kept for the next {@link mirrorTree} call to reuse. */
export interface MirrorTree {
  readonly root: MirrorNode;
  readonly text: string;
  /** @internal */
  readonly source: Source;
}

/** Node types whose children are statements: the unit of reuse across edits. */
const STATEMENT_PARENTS = new Set(['module', 'block']);

/** The old node that matches a node being copied, and how far its children have been matched. */
interface Counterpart {
  node: MirrorNode;
  next: number;
}

/**
 * Copies `tree` into JS. With `previous` (the copy of the text `tree` was incrementally parsed
 * from, the edited `range` of text, and tree-sitter's `changed` ranges, where error recovery re-read
 * the text around the edit) every statement outside both is taken over and moved to its new place
 * instead of being copied again, so only the statements around the edit cost wasm calls. The old
 * copy is consumed, even when this throws: its nodes are moved into the new copy.
 */
export function mirrorTree(
  tree: Tree, text: string, previous?: { mirror: MirrorTree; range: ChangedRange; changed: readonly [number, number][] },
): MirrorTree {
  const grammar = grammarOf(tree);
  const source: Source = previous?.mirror.source ?? { text };
  source.text = text;
  const lines = lineStarts(text);
  const cursor = tree.walk();
  try {
    const create = (field: string | null): MirrorNode => {
      const typeId = cursor.nodeTypeId;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const startRow = rowAt(lines, start);
      const endRow = rowAt(lines, end, startRow);
      return new MirrorNode(source, grammar.type(typeId), grammar.named(typeId), field, start, end,
        startRow, start - lines[startRow]!, endRow, end - lines[endRow]!);
    };
    const root = create(null);
    const parents: MirrorNode[] = [root];
    const olds: (Counterpart | undefined)[] = [previous && { node: previous.mirror.root, next: 0 }];
    let more = cursor.gotoFirstChild();
    while (more) {
      const parent = parents[parents.length - 1]!;
      const old = olds[olds.length - 1];
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const oldStart = old && previous ? startBefore(previous.range, start) : undefined;
      const match = oldStart === undefined ? undefined : counterpartAt(old!, oldStart);
      const reparsed = previous?.changed.some(([from, to]) => start <= to && from <= end);
      if (match && !reparsed && STATEMENT_PARENTS.has(parent.type) && sameStatement(match, previous!.mirror.text, text, start, end, cursor, lines)) {
        moveBy(match, start - match.startIndex, rowAt(lines, start) - match.startRow);
        parent.adopt(match);
      } else {
        const node = create(cursor.currentFieldName ?? null);
        parent.adopt(node);
        if (node.type === 'ERROR' || node.startIndex === node.endIndex) markError(node);
        if (cursor.gotoFirstChild()) {
          parents.push(node);
          olds.push(match && match.type === node.type ? { node: match, next: 0 } : undefined);
          continue;
        }
      }
      // Next sibling, or up until there is one.
      while (!(more = cursor.gotoNextSibling())) {
        if (parents.length === 1 || !cursor.gotoParent()) break;
        parents.pop();
        olds.pop();
      }
    }
    return { root, text, source };
  } finally {
    cursor.delete();
  }
}

/** Where a node of the new text started in the old one, if it starts outside the edit. */
function startBefore(edit: ChangedRange, start: number): number | undefined {
  if (start <= edit.start) return start;
  if (start >= edit.newEnd) return start - (edit.newEnd - edit.oldEnd);
  return undefined;
}

/**
 * The old child starting at `oldStart`. Children are matched in order, and a child taken over is
 * moved, so the scan resumes after the last match where the old positions are still intact.
 */
function counterpartAt(old: Counterpart, oldStart: number): MirrorNode | undefined {
  const children = old.node.children;
  while (old.next < children.length && children[old.next]!.startIndex < oldStart) old.next++;
  const child = children[old.next];
  if (child?.startIndex !== oldStart) return undefined;
  old.next++;
  return child;
}

/**
 * Whether the old statement is the one under the cursor: same type, text, column and kind of parent,
 * and no parse error in either. Identical text is not enough on its own: an error beside a statement
 * can change how tree-sitter reads it (`x=n[0],y[0]` before a stray `:`), which the caller rules out
 * with tree-sitter's changed ranges.
 */
function sameStatement(old: MirrorNode, oldText: string, text: string, start: number, end: number, cursor: TreeCursor, lines: number[]): boolean {
  if (old.hasError || old.endIndex - old.startIndex !== end - start) return false;
  if (start - lines[rowAt(lines, start)]! !== old.startColumn || old.type !== cursor.nodeType) return false;
  if (oldText.slice(old.startIndex, old.endIndex) !== text.slice(start, end)) return false;
  return !cursor.currentNode.hasError;
}

/** Moves a reused subtree by `indexDelta` characters and `rowDelta` lines; columns stay (its first line starts alike). */
function moveBy(top: MirrorNode, indexDelta: number, rowDelta: number): void {
  if (indexDelta === 0 && rowDelta === 0) return;
  const stack = [top];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.startIndex += indexDelta;
    node.endIndex += indexDelta;
    node.startRow += rowDelta;
    node.endRow += rowDelta;
    for (const child of node.children) stack.push(child);
  }
}

/** Flags a node and its ancestors as holding a parse error. */
function markError(node: MirrorNode): void {
  for (let n: MirrorNode | null = node; n && !n.hasError; n = n.parent) n.hasError = true;
}

/** Type and field names of a grammar, looked up once per id (each lookup is a wasm call). */
interface Grammar {
  type(typeId: number): string;
  named(typeId: number): boolean;
}

const grammars = new WeakMap<Language, Grammar>();

function grammarOf(tree: Tree): Grammar {
  const language = tree.language;
  let grammar = grammars.get(language);
  if (!grammar) {
    const types: string[] = [];
    const named: boolean[] = [];
    grammar = {
      type: (id) => (types[id] ??= language.nodeTypeForId(id) ?? 'ERROR'),
      named: (id) => (named[id] ??= id === ERROR_TYPE_ID || language.nodeTypeIsNamed(id)),
    };
    grammars.set(language, grammar);
  }
  return grammar;
}

/** tree-sitter's id for ERROR nodes (its built-in error symbol, as an unsigned 16-bit id). */
const ERROR_TYPE_ID = 65535;

/** Offsets where each line starts; tree-sitter counts rows at '\n' only. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The row holding `index` (binary search; `from` is a row known to be at or before it). */
function rowAt(starts: number[], index: number, from = 0): number {
  let low = from;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= index) low = mid;
    else high = mid - 1;
  }
  return low;
}
