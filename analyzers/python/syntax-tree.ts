/**
 * The syntax nodes the Python front-end reads: a compact copy of tree-sitter's tree ({@link mirrorTree}),
 * one pre-order row per node in typed arrays, made by one direct walk (tree-walk.ts). One-shot lints
 * copy and free the tree at once; an open document keeps its copy. After an edit only the statements
 * around it are parsed, and the previous copy's other statements are copied over as whole ranges of
 * rows ({@link spliceTree}). Analyzers read light
 * node views over the rows, so re-analysis pays no wasm call per node and an idle document holds ~24
 * bytes per node.
 */
import type { Language, Point, Tree } from 'web-tree-sitter';
import type { ChangedRange } from './changed-range.js';
import { walkTree, type TreeWalk } from './tree-walk.js';
// tree-sitter counts rows at '\n' only, as lineStarts does.
import { lineStarts } from '../core/line-starts.js';
import { lastAtOrBefore } from '../core/sorted-search.js';

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

/** Node ids stay with a node while its statement is taken over by later copies. */
let nextId = 1;
/** Leaves share one empty child list: about two thirds of all nodes are leaves. */
const NO_CHILDREN: MirrorNode[] = [];
/** The line starts of a copy that is only read for its rows (a piece of an assembled copy). */
const NO_LINES = new Int32Array(0);
/** Row flag: an ERROR or MISSING node is in this subtree, so its shape may depend on the text around it. */
const HAS_ERROR = 1;
/**
 * Row flag on a module statement: read after a parse error in the same parse, so error recovery may
 * have placed where it starts (an open string read as code makes statements of its text). An edit
 * never starts or ends the part it parses again at such a statement.
 */
const AFTER_ERROR = 2;

/** Type and field names of a grammar, looked up once per id (each lookup is a wasm call). */
interface Grammar {
  /** By kind: tree-sitter's type id, except ERROR (65535), which gets the first id after the grammar's. */
  readonly types: string[];
  readonly named: boolean[];
  /** By tree-sitter's field id (0: no field). */
  readonly fields: (string | null)[];
  readonly errorKind: number;
  /** Which kinds a list of type names takes in (see {@link kindsOf}), by the list joined with spaces. */
  readonly kindSets: Map<string, Uint8Array>;
}


/** 1 for each kind whose type is one of `types` (several kinds can share a name): a row's test is then one array read. `key`: the types joined with spaces. */
function kindsOf(grammar: Grammar, types: readonly string[], key: string): Uint8Array {
  let set = grammar.kindSets.get(key);
  if (!set) {
    set = Uint8Array.from(grammar.types, (type) => (types.includes(type) ? 1 : 0));
    grammar.kindSets.set(key, set);
  }
  return set;
}

/** {@link kindsOf} the grammar's comments. */
function commentKinds(grammar: Grammar): Uint8Array {
  return kindsOf(grammar, ['comment'], 'comment');
}

/**
 * The rows of one version of a document's tree, in pre-order: a node's subtree is the rows from it
 * up to `after[node]`, its first child (if any) the next row, its next sibling the row `after` it.
 */
class Rows {
  count = 0;
  kind: Uint16Array;
  field: Uint8Array;
  flags: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  parent: Int32Array;
  after: Int32Array;
  ids: Int32Array;

  constructor(capacity: number) {
    this.kind = new Uint16Array(capacity);
    this.field = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.parent = new Int32Array(capacity);
    this.after = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  /** Makes room for `more` rows beyond those in use. */
  reserve(more: number): void {
    const needed = this.count + more;
    if (needed > this.kind.length) this.resize(Math.max(needed, this.kind.length * 2));
  }

  /** Whether `needed` rows fit without growing, and without so much slack that {@link trim} would copy them. */
  fits(needed: number): boolean {
    return needed <= this.kind.length && needed >= this.kind.length * 0.75;
  }

  /** Trims the arrays to the rows in use when more than a quarter is slack (an edit's few spare rows are kept: copying costs more). */
  trim(): void {
    if (this.count < this.kind.length * 0.75) this.resize(this.count);
  }

  private resize(capacity: number): void {
    const used = this.count;
    this.kind = resized(this.kind, capacity, used);
    this.field = resized(this.field, capacity, used);
    this.flags = resized(this.flags, capacity, used);
    this.start = resized(this.start, capacity, used);
    this.end = resized(this.end, capacity, used);
    this.parent = resized(this.parent, capacity, used);
    this.after = resized(this.after, capacity, used);
    this.ids = resized(this.ids, capacity, used);
  }
}

/** A copy of `array` with room for `capacity` entries, holding its first `used` ones. */
function resized<T extends Uint8Array | Uint16Array | Int32Array>(array: T, capacity: number, used: number): T {
  const copy = new (array.constructor as new (length: number) => T)(capacity);
  copy.set(array.subarray(0, used) as never);
  return copy;
}

/** The rows of a retired copy (see CompactTree.retire): none. */
const RETIRED = new Rows(0);

/**
 * The views of one statement of the module: they follow the statement to its new rows when a later
 * version takes it over, so re-analysis after an edit reads the same node objects outside the edit.
 */
class Anchor {
  /** Sized to the statement's subtree up front: filled out of order, a growing array turned sparse (dictionary) and slow. */
  private views: (MirrorNode | undefined)[];

  constructor(public tree: CompactTree, public row: number) {
    // A copy being made has no `after` for its open rows yet: those start empty and grow.
    const size = row === 0 ? 1 : (tree.rows.after[row] ?? 0) - row;
    this.views = new Array<MirrorNode | undefined>(size > 0 ? size : 0);
  }

  /** The view of row `index`, which lies in this statement's subtree (or is the root, for the root's anchor). */
  node(index: number): MirrorNode {
    const offset = index - this.row;
    return (this.views[offset] ??= new MirrorNode(this, offset));
  }
}

/** One version of a document's tree: its rows, its text, and the views handed out over them. */
class CompactTree {
  /** Anchors of the module's statements, by statement id, made when a node of the statement is first read. */
  private anchors = new Map<number, Anchor>();
  private rootAnchor = new Anchor(this, 0);
  /**
   * Rows of each type found below a statement of the module, as offsets from the statement's row,
   * by statement id and type list: valid as long as the statement is taken over.
   */
  found = new Map<number, Map<string, Int32Array>>();
  /** How deep each module statement nests (the statement itself is level 1), by statement id. */
  depths = new Map<number, number>();

  /** Where each line of the text starts: positions are worked out from a node's offsets, not stored per row. */
  constructor(public rows: Rows, readonly text: string, readonly grammar: Grammar, readonly lines: Int32Array) {}

  /** The row and column of an offset into the text. */
  pointAt(index: number): Point {
    const row = rowAt(this.lines, index);
    return { row, column: index - this.lines[row]! };
  }

  get root(): MirrorNode {
    return this.rootAnchor.node(0);
  }

  /** The view of row `index`. */
  node(index: number): MirrorNode {
    if (index === 0) return this.root;
    const parent = this.rows.parent;
    let statement = index;
    while (parent[statement] !== 0) statement = parent[statement]!;
    return this.anchorOf(statement).node(index);
  }

  /** The anchor of the module statement at row `statement`. */
  anchorOf(statement: number): Anchor {
    const id = this.rows.ids[statement]!;
    let anchor = this.anchors.get(id);
    if (!anchor) this.anchors.set(id, (anchor = new Anchor(this, statement)));
    return anchor;
  }

  /** Moves the views of the module statements this version took over from `old` (same ids) to their new rows. */
  adoptViews(old: CompactTree): void {
    const { after, ids } = this.rows;
    for (let statement = 1; statement < this.rows.count; statement = after[statement]!) {
      const anchor = old.anchors.get(ids[statement]!);
      if (!anchor) continue;
      anchor.tree = this;
      anchor.row = statement;
      this.anchors.set(ids[statement]!, anchor);
    }
  }

  /** Gives up this version's rows to a later copy: its nodes must not be read any more (they read nothing). */
  retire(): Rows {
    const rows = this.rows;
    this.rows = RETIRED;
    this.anchors = new Map();
    return rows;
  }

  /** Drops the views, so that an idle document holds only its rows (nodes read later are new objects, same ids). */
  releaseViews(): void {
    this.anchors = new Map();
    this.rootAnchor = new Anchor(this, 0);
  }

  /** Pre-order rows of the subtree of `top` whose kind is in `kinds` (see {@link kindsOf}): pre-order is row order. */
  collect(top: number, kinds: Uint8Array): number[] {
    const { kind, after } = this.rows;
    const found: number[] = [];
    const end = after[top]!;
    for (let row = top; row < end; row++) if (kinds[kind[row]!] === 1) found.push(row);
    return found;
  }
}

/** A node of a document's compact tree: a view over one row. */
export class MirrorNode implements SyntaxNode {
  private kids: readonly MirrorNode[] | undefined;
  private named: readonly MirrorNode[] | undefined;

  constructor(private readonly anchor: Anchor, private readonly offset: number) {}

  private get tree(): CompactTree {
    return this.anchor.tree;
  }

  private get index(): number {
    return this.anchor.row + this.offset;
  }

  /** The view of a row in this node's statement (any row, for the root). */
  private near(index: number): MirrorNode {
    return this.anchor.row === 0 ? this.tree.node(index) : this.anchor.node(index);
  }

  get id(): number {
    return this.tree.rows.ids[this.index]!;
  }

  get type(): string {
    return this.tree.grammar.types[this.tree.rows.kind[this.index]!]!;
  }

  get isNamed(): boolean {
    return this.tree.grammar.named[this.tree.rows.kind[this.index]!]!;
  }

  get text(): string {
    return this.tree.text.slice(this.startIndex, this.endIndex);
  }

  get startIndex(): number {
    return this.tree.rows.start[this.index]!;
  }

  get endIndex(): number {
    return this.tree.rows.end[this.index]!;
  }

  get startPosition(): Point {
    return this.tree.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.endIndex);
  }

  get parent(): MirrorNode | null {
    const index = this.index;
    if (index === 0) return null;
    const parent = this.tree.rows.parent[index]!;
    return parent === 0 ? this.tree.root : this.near(parent);
  }

  get children(): readonly MirrorNode[] {
    if (this.kids) return this.kids;
    const { after } = this.tree.rows;
    const end = after[this.index]!;
    if (this.index + 1 === end) return (this.kids = NO_CHILDREN);
    const kids: MirrorNode[] = [];
    for (let child = this.index + 1; child < end; child = after[child]!) kids.push(this.near(child));
    return (this.kids = kids);
  }

  get namedChildren(): readonly MirrorNode[] {
    if (this.named) return this.named;
    if (this.kids) return (this.named = this.kids.length === 0 ? NO_CHILDREN : this.kids.filter((c) => c.isNamed));
    // Read from the rows: punctuation and keywords (about half the children) get no view and no array.
    const { after, kind } = this.tree.rows;
    const named = this.tree.grammar.named;
    const end = after[this.index]!;
    let found: MirrorNode[] | undefined;
    for (let child = this.index + 1; child < end; child = after[child]!) if (named[kind[child]!]) (found ??= []).push(this.near(child));
    return (this.named = found ?? NO_CHILDREN);
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get lastChild(): MirrorNode | null {
    const children = this.children;
    return children[children.length - 1] ?? null;
  }

  get previousSibling(): MirrorNode | null {
    const siblings = this.parent?.children;
    return siblings?.[siblings.indexOf(this) - 1] ?? null;
  }

  get nextSibling(): MirrorNode | null {
    if (this.index === 0) return null;
    const { after, parent } = this.tree.rows;
    const next = after[this.index]!;
    return next < after[parent[this.index]!]! ? this.near(next) : null;
  }

  /** The field this node fills in its parent. */
  get field(): string | null {
    return this.tree.grammar.fields[this.tree.rows.field[this.index]!] ?? null;
  }

  childForFieldName(name: string): MirrorNode | null {
    const { after, field } = this.tree.rows;
    const fields = this.tree.grammar.fields;
    const end = after[this.index]!;
    for (let child = this.index + 1; child < end; child = after[child]!) if (fields[field[child]!] === name) return this.near(child);
    return null;
  }

  childrenForFieldName(name: string): MirrorNode[] {
    return this.children.filter((child) => child.field === name);
  }

  descendantsOfType(types: string | string[]): MirrorNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const key = typeof types === 'string' ? types : types.join(' ');
    const tree = this.tree;
    const kinds = kindsOf(tree.grammar, wanted, key);
    if (this.index !== 0 || this.type !== 'module') return tree.collect(this.index, kinds).map((row) => this.near(row));
    // The module's statements keep their answers across edits: only edited statements are walked again.
    const found: MirrorNode[] = wanted.includes(this.type) ? [this] : [];
    const { after, ids } = tree.rows;
    const end = after[0]!;
    for (let statement = 1; statement < end; statement = after[statement]!) {
      let byType = tree.found.get(ids[statement]!);
      if (!byType) tree.found.set(ids[statement]!, (byType = new Map()));
      let offsets = byType.get(key);
      if (!offsets) byType.set(key, (offsets = Int32Array.from(tree.collect(statement, kinds), (row) => row - statement)));
      const anchor = tree.anchorOf(statement);
      for (const offset of offsets) found.push(anchor.node(statement + offset));
    }
    return found;
  }
}


/** A document's tree in compact form, kept for the next {@link mirrorTree} call to reuse. */
export interface MirrorTree {
  readonly root: MirrorNode;
  readonly text: string;
  /** @internal */
  readonly tree: CompactTree;
}

/**
 * The comments of `mirror` whose text holds `word`, found from where the word occurs in the text: a
 * binary search of the rows per occurrence (rows start in text order), no walk of the tree.
 */
export function commentsHolding(mirror: MirrorTree, word: string): MirrorNode[] {
  const { rows, text, grammar } = mirror.tree;
  const comment = commentKinds(grammar);
  const found: MirrorNode[] = [];
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
    // The last row starting at or before the word: the comment holding it if any does (a comment has no children).
    const row = rowAt(rows.start, at, 0, rows.count);
    if (row === 0 || comment[rows.kind[row]!] !== 1 || rows.end[row]! < at + word.length) continue;
    if (found.at(-1)?.startIndex !== rows.start[row]) found.push(mirror.tree.node(row));
  }
  return found;
}

/** A class, not an object literal with a getter: such literals are dictionary objects, slow to read everywhere they go. */
class Mirror implements MirrorTree {
  constructor(readonly tree: CompactTree) {}

  get root(): MirrorNode {
    return this.tree.root;
  }

  get text(): string {
    return this.tree.text;
  }
}

/** Copies `tree` (of `text`) into compact rows, by one walk of a tree-sitter cursor (no other tree-sitter call may come during it: see tree-walk.ts). */
export function mirrorTree(tree: Tree, text: string): MirrorTree {
  const lines = lineStarts(text);
  // The tree knows how many nodes it has (tree-sitter keeps the count per subtree): no growing, no trimming.
  const rows = new Rows(Math.max(64, tree.rootNode.descendantCount));
  const depths = walkInto(tree, rows);
  rows.trim();
  const copy = new CompactTree(rows, text, grammarOf(tree), lines);
  for (const [id, depth] of depths) copy.depths.set(id, depth);
  return new Mirror(copy);
}

/** Appends `tree`'s nodes to `rows` (see {@link walkRows}) and flags the module statements read after an error; returns the statements' depths by id. */
function walkInto(tree: Tree, rows: Rows): Map<number, number> {
  const cursor = walkTree(tree);
  let depths: Map<number, number>;
  try {
    depths = walkRows(cursor, rows, grammarOf(tree));
  } finally {
    cursor.end();
  }
  let afterError = false;
  for (let row = 1; row < rows.count; row = rows.after[row]!) {
    afterError ||= (rows.flags[row]! & HAS_ERROR) !== 0;
    if (afterError) rows.flags[row] = rows.flags[row]! | AFTER_ERROR;
  }
  return depths;
}

/**
 * Appends the walk's nodes to `rows` in pre-order; returns how deep each module statement nests, by
 * its id. The loop over millions of nodes is a function of its own, apart from the set-up around it:
 * V8 compiles it while it runs (on-stack replacement), and code after the loop that had not run yet
 * made every such compile of the whole function fall back and compile again.
 */
function walkRows(cursor: TreeWalk, rows: Rows, grammar: Grammar): Map<number, number> {
  const depths = new Map<number, number>();
  addRow(cursor, rows, grammar, -1);
  const open: number[] = [0];
  let top = 0;
  let deepest = 0;
  let more = cursor.gotoFirstChild();
  while (more) {
    const node = addRow(cursor, rows, grammar, open[open.length - 1]!);
    if (open.length === 1) {
      if (top > 0) depths.set(rows.ids[top]!, deepest);
      top = node;
      deepest = 1;
    } else if (open.length > deepest) deepest = open.length;
    if (rows.kind[node] === grammar.errorKind || rows.start[node] === rows.end[node]) markError(rows, node, open);
    if (cursor.gotoFirstChild()) {
      open.push(node);
      continue;
    }
    // Next sibling, or up until there is one.
    while (!(more = cursor.gotoNextSibling())) {
      if (open.length === 1 || !cursor.gotoParent()) break;
      rows.after[open.pop()!] = rows.count;
    }
  }
  while (open.length > 0) rows.after[open.pop()!] = rows.count;
  if (top > 0) depths.set(rows.ids[top]!, deepest);
  return depths;
}

/** Appends the cursor's node under `parent`; returns its row. */
function addRow(cursor: TreeWalk, rows: Rows, grammar: Grammar, parent: number): number {
  rows.reserve(1);
  const row = rows.count++;
  const typeId = cursor.typeId();
  rows.kind[row] = typeId === ERROR_TYPE_ID ? grammar.errorKind : typeId;
  rows.field[row] = cursor.fieldId();
  rows.start[row] = cursor.startIndex();
  rows.end[row] = cursor.endIndex();
  rows.parent[row] = parent;
  rows.after[row] = row + 1;
  rows.ids[row] = nextId++;
  return row;
}

/**
 * A one-shot copy's rows in shared memory, which another thread turns back into a copy of the same
 * text without parsing it ({@link treeFromShared}): a lint worker parses each module of a project once
 * for all the workers.
 */
export interface SharedRows {
  count: number;
  /** The rows' starts, ends, parents and `after`s (32-bit), then kinds (16-bit), fields and flags (8-bit). */
  buffer: SharedArrayBuffer;
  /** How deep each module statement nests, in statement order. */
  depths: Int32Array;
}

/** Bytes per row in a {@link SharedRows} buffer. */
const SHARED_ROW_BYTES = 4 * 4 + 2 + 1 + 1;

/** The rows of a shared buffer of `count` rows (node ids are the reading thread's own). */
function sharedRows(buffer: SharedArrayBuffer, count: number): Rows {
  const rows = new Rows(0);
  let at = 0;
  const take = <T>(make: new (buffer: SharedArrayBuffer, offset: number, length: number) => T, bytes: number): T => {
    const array = new make(buffer, at, count);
    at += bytes * count;
    return array;
  };
  rows.start = take(Int32Array, 4);
  rows.end = take(Int32Array, 4);
  rows.parent = take(Int32Array, 4);
  rows.after = take(Int32Array, 4);
  rows.kind = take(Uint16Array, 2);
  rows.field = take(Uint8Array, 1);
  rows.flags = take(Uint8Array, 1);
  rows.ids = new Int32Array(count);
  rows.count = count;
  return rows;
}

/** Copies a one-shot copy's rows into shared memory, for {@link treeFromShared} in another thread. */
export function shareTree(mirror: MirrorTree): SharedRows {
  return shareRows(mirror.tree.rows, mirror.tree.depths);
}

/** Copies `own` rows (module statements' depths by id in `depths`) into shared memory. */
function shareRows(own: Rows, depths: Map<number, number>): SharedRows {
  const count = own.count;
  const buffer = new SharedArrayBuffer(count * SHARED_ROW_BYTES);
  const rows = sharedRows(buffer, count);
  for (const name of ['start', 'end', 'parent', 'after', 'kind', 'field', 'flags'] as const) rows[name].set(own[name].subarray(0, count) as never);
  return { count, buffer, depths: statementDepths(own, depths) };
}

/** How deep each module statement of `rows` nests, in statement order. */
function statementDepths(rows: Rows, depths: Map<number, number>): Int32Array {
  const out: number[] = [];
  for (let row = 1; row < rows.count; row = rows.after[row]!) out.push(depths.get(rows.ids[row]!) ?? 0);
  return Int32Array.from(out);
}

/**
 * Parses `text` and walks the tree straight into shared memory: {@link shareTree} of a one-shot copy,
 * without the copy (a thread that parses a module for the others keeps nothing of it).
 */
export function parseToShared(parse: (text: string) => Tree, text: string): SharedRows {
  const tree = parse(text);
  try {
    // tree-sitter counts the nodes a walk visits, the root included: the rows are laid out for as many.
    const count = tree.rootNode.descendantCount;
    const buffer = new SharedArrayBuffer(count * SHARED_ROW_BYTES);
    const rows = sharedRows(buffer, count);
    rows.count = 0;
    const depths = walkInto(tree, rows);
    // Had the walk visited more nodes, the rows would have grown out of the buffer; fewer, they would not fill it.
    if (rows.count !== count || rows.kind.buffer !== buffer) return shareRows(rows, depths);
    return { count, buffer, depths: statementDepths(rows, depths) };
  } finally {
    tree.delete();
  }
}

/**
 * The copy of `text` whose rows another thread shared ({@link shareTree}), read in place; `sample`: any
 * copy made by this thread's parser, whose grammar names the kinds. Its rows must not be changed.
 */
export function treeFromShared(shared: SharedRows, text: string, sample: MirrorTree): MirrorTree {
  const rows = sharedRows(shared.buffer, shared.count);
  for (let row = 0; row < rows.count; row++) rows.ids[row] = nextId++;
  const copy = new CompactTree(rows, text, sample.tree.grammar, lineStarts(text));
  let statement = 0;
  for (let row = 1; row < rows.count; row = rows.after[row]!) copy.depths.set(rows.ids[row]!, shared.depths[statement++] ?? 0);
  return new Mirror(copy);
}

/** Drops the node objects handed out over a copy: it keeps only its rows until read again. */
export function releaseViews(mirror: MirrorTree): void {
  mirror.tree.releaseViews();
}

/** Parses `text` with `parse` and copies the tree, which is freed at once: a one-shot copy. */
export function parseToCopy(parse: (text: string) => Tree, text: string): MirrorTree {
  const tree = parse(text);
  try {
    return mirrorTree(tree, text);
  } finally {
    tree.delete();
  }
}

/**
 * The copy of `text` made from `previous` (the copy of the text before one edit, the edited `range`)
 * by parsing only the module statements around the edit, on their own: the statements before and
 * after the edited ones are in that part too (typing can join or split statements), and it starts and
 * ends at the margin. Everything else is taken over, moved by the edit's change in length, with its
 * node ids. Python's statements at the margin parse alike wherever they stand, so this equals a fresh
 * parse when the text is free of syntax errors. Error recovery reads across statements, so the part
 * takes in the statements next to it that hold an error or were read after one (error recovery may
 * have cut them out of a string), and grows, by twice as many statements each time, while its last
 * statement holds an error (a string or bracket left open). An error in the part is read within it,
 * where a fresh parse can let it run on to the statements after (their findings stay while the user
 * types); once mended, the statements read after it are read again with it. `spare`: a copy no longer
 * used (the one `previous` replaced), whose rows the new copy may take over; its nodes read nothing after.
 */
export function spliceTree(previous: MirrorTree, text: string, range: ChangedRange, parse: (text: string) => Tree, spare?: MirrorTree): MirrorTree {
  const old = previous.tree;
  const oldRows = old.rows;
  // tree-sitter gave up on the previous text as a whole (its root is an ERROR): its top rows are loose
  // tokens, not statements, so nothing can be taken over around a part.
  if (unreadable(previous)) return parseToCopy(parse, text);
  const { tops, atMargin } = moduleStatements(previous);
  const nested = holdsError(previous) ? undefined : spliceNested(previous, tops, text, range, parse, spare);
  if (nested) return nested;
  const hasError = (k: number) => (oldRows.flags[tops[k]!]! & (HAS_ERROR | AFTER_ERROR)) !== 0;
  // The part starts at the margin, after a statement free of errors (or at the top of the file)...
  let first = -1;
  while (first + 1 < tops.length && oldRows.start[tops[first + 1]!]! <= range.start) first++;
  first--;
  while (first >= 0 && (!atMargin(first) || (first > 0 && hasError(first - 1)))) first--;
  // ...and ends before a statement at the margin free of errors (or at the end of the file).
  let next = Math.max(first + 1, 0);
  while (next < tops.length && oldRows.start[tops[next]!]! <= range.oldEnd) next++;
  next++;
  while (next < tops.length && (!atMargin(next) || hasError(next))) next++;
  const partStart = first < 0 ? 0 : oldRows.start[tops[first]!]!;
  const delta = range.newEnd - range.oldEnd;
  const copyPart = (end: number): MirrorTree => parseToCopy(parse, text.slice(partStart, end));
  let part = copyPart(next < tops.length ? oldRows.start[tops[next]!]! + delta : text.length);
  // An error running to the end of the part (a string or bracket left open) may run on past it: the
  // part grows by twice as many statements at a time until it ends clean, or with the file.
  for (let more = 1; next < tops.length && lastStatementHasError(part.tree.rows); more *= 2) {
    for (let added = 0; next < tops.length && (added < more || !atMargin(next)); added++) next++;
    part = copyPart(next < tops.length ? oldRows.start[tops[next]!]! + delta : text.length);
  }
  // tree-sitter gives up on a module it cannot read at all (its root is an ERROR): so does a fresh copy.
  if (unreadable(part)) return parseToCopy(parse, text);
  const partRows = part.tree.rows;
  const from = Math.max(first, 0);
  const needed = (from > 0 ? tops[from]! : 1) + partRows.count - 1 + (next < tops.length ? oldRows.count - tops[next]! : 0);
  const rows = rootRows(previous, needed, spare);
  // The statements before the part keep their rows as they are: one block copy, no pass over each row.
  if (from > 0) copyRows(oldRows, tops[from]!, rows);
  takeOverRows(partRows, 1, partRows.count, rows, partStart);
  // The statements after the part: one block, moved by the edit.
  if (next < tops.length) takeOverRows(oldRows, tops[next]!, oldRows.count, rows, delta);
  return splicedCopy(previous, rows, text, range, tops.slice(from, next), part);
}

/** Rows for `needed` rows of the next version of `previous`, holding its root row only: the spare's when they fit. */
function rootRows(previous: MirrorTree, needed: number, spare: MirrorTree | undefined): Rows {
  const old = previous.tree.rows;
  // A big document's rows are megabytes: those of a copy no longer used are written over, not allocated anew each keystroke.
  if (spare?.tree === previous.tree) throw new Error('spliceTree: the spare copy is the copy being read');
  // New rows get a sixteenth to spare, so that the next edits, which mostly add a few rows, fit in the spare copy's.
  const rows = (spare?.tree.rows.fits(needed) ? spare.tree.retire() : undefined) ?? new Rows(needed + (needed >> 4));
  rows.count = 1;
  rows.kind[0] = old.kind[0]!;
  rows.field[0] = 0;
  rows.ids[0] = old.ids[0]!;
  rows.parent[0] = -1;
  return rows;
}

/**
 * The copy of `text` from the `rows` an edit's splice made of `previous`'s: it takes over the
 * per-statement tables (lookups answered, depths; `previous` is read no more), less the module
 * statements at rows `replaced`, plus those of `part`, which replaced them: no entry copied per statement.
 */
function splicedCopy(previous: MirrorTree, rows: Rows, text: string, range: ChangedRange, replaced: readonly number[], part: MirrorTree): MirrorTree {
  const old = previous.tree;
  closeRows(rows, text);
  const copy = new CompactTree(rows, text, old.grammar, spliceLineStarts(old.lines, text, range));
  copy.found = old.found;
  copy.depths = old.depths;
  for (const top of replaced) {
    copy.found.delete(old.rows.ids[top]!);
    copy.depths.delete(old.rows.ids[top]!);
  }
  for (const [id, depth] of part.tree.depths) copy.depths.set(id, depth);
  copy.adoptViews(old);
  return new Mirror(copy);
}

/**
 * {@link spliceTree} when `previous` is free of errors and the edit lies inside a statement nested in a
 * block of one module statement ({@link statementAround}): only that nested statement's lines are parsed
 * again (see {@link reparseNested}), and the module statement is rebuilt around them, with new ids.
 * Undefined when the edit is elsewhere, or the lines do not come back as statements free of errors
 * over the same span, in the same block (typing joined statements, dedented a line, or left one unfinished).
 */
function spliceNested(previous: MirrorTree, tops: readonly number[], text: string, range: ChangedRange, parse: (text: string) => Tree, spare: MirrorTree | undefined): MirrorTree | undefined {
  const oldRows = previous.tree.rows;
  // Typing at the end of a statement continues it; the parse below tells when it did not.
  const reach = range.oldEnd;
  const k = lastAtOrBefore(tops, range.start, (top) => oldRows.start[top]!);
  if (k < 0 || reach > oldRows.end[tops[k]!]!) return undefined;
  const inner = statementAround(previous, tops[k]!, range.start, reach);
  if (inner < 0) return undefined;
  const nested: (number[] | undefined)[] = [];
  nested[k] = [inner];
  const delta = range.newEnd - range.oldEnd;
  // Offsets inside the change are not asked for.
  const map = (offset: number) => (offset < range.oldEnd ? offset : offset + delta);
  const statement = reparseNested(previous, tops, nested, text, map, (part) => parseToCopy(parse, part))?.get(k)?.source;
  if (!statement) return undefined;
  const own = statement.tree.rows;
  const top = tops[k]!;
  const needed = top + own.count - 1 + (oldRows.count - oldRows.after[top]!);
  const rows = rootRows(previous, needed, spare);
  if (top > 1) copyRows(oldRows, top, rows);
  takeOverRows(own, 1, own.count, rows, 0);
  takeOverRows(oldRows, oldRows.after[top]!, oldRows.count, rows, delta);
  return splicedCopy(previous, rows, text, range, [top], statement);
}

/**
 * The module statements (and comments) of a copy, by row, and whether the k-th stands at the margin:
 * a statement, not a comment, starting a line, where a separately parsed part may start or end.
 */
function moduleStatements(mirror: MirrorTree): { tops: number[]; atMargin: (k: number) => boolean } {
  const rows = mirror.tree.rows;
  const tops: number[] = [];
  for (let row = 1; row < rows.count; row = rows.after[row]!) tops.push(row);
  const comment = commentKinds(mirror.tree.grammar);
  const atMargin = (k: number) => {
    const start = rows.start[tops[k]!]!;
    return comment[rows.kind[tops[k]!]!] !== 1 && (start === 0 || mirror.text.charCodeAt(start - 1) === 10);
  };
  return { tops, atMargin };
}

/** Sets the root row of `rows` (module statements taken over from other copies) from them, and trims the rows. */
function closeRows(rows: Rows, text: string): void {
  let flags = 0;
  for (let row = 1; row < rows.count; row = rows.after[row]!) flags |= rows.flags[row]! & HAS_ERROR;
  rows.flags[0] = flags;
  // tree-sitter's module starts where its first statement or comment does, and ends with the text.
  rows.start[0] = rows.count > 1 ? rows.start[1]! : text.length;
  rows.end[0] = text.length;
  rows.after[0] = rows.count;
  rows.trim();
}

/** A stretch [from, to) of a text, copied into another text at offset `at`. */
export interface Stretch {
  from: number;
  to: number;
  at: number;
}

/**
 * The copy of a program made of whole stretches of `source`'s text (a group of statements, see
 * group-facts.ts), taken from `source`'s rows instead of parsed: the module statements and comments
 * starting in each stretch, moved to where the stretch sits in `text`, with their ids. Statements at
 * the margin parse alike wherever they stand, so this equals a parse of `text` unless a statement
 * copied holds an error or was read after one: then undefined (the caller parses).
 */
export function programTree(source: MirrorTree, stretches: readonly Stretch[], text: string): MirrorTree | undefined {
  return assembled(stretches.map((stretch) => ({ source, ...stretch })), text, source.tree.rows.ids[0]!, false);
}

/** A stretch [from, to) of `source`'s text, copied into another text at offset `at`. */
export interface TreePiece extends Stretch {
  source: MirrorTree;
}

/**
 * The copy of `text` assembled from whole module statements of other copies, taken over instead of
 * parsed (a linked program: definitions of several modules, then the module itself): for each piece,
 * the statements and comments of its source starting in [from, to), moved to `at`, with their ids.
 * Undefined when a piece cuts a statement of its source or takes one that holds an error, or was read
 * after one: the caller parses.
 */
export function assembledTree(pieces: readonly TreePiece[], text: string): MirrorTree | undefined {
  return pieces.length === 0 ? undefined : assembled(pieces, text, nextId++, true);
}

/** See {@link programTree} and {@link assembledTree}; `whole`: each piece must hold whole statements of its source. */
function assembled(pieces: readonly TreePiece[], text: string, rootId: number, whole: boolean): MirrorTree | undefined {
  const first = pieces[0]!.source.tree;
  const grammar = first.grammar;
  const rows = new Rows(whole ? Math.max(64, text.length >> 2) : 64);
  rows.count = 1;
  rows.kind[0] = first.rows.kind[0]!;
  rows.ids[0] = rootId;
  rows.parent[0] = -1;
  // Each statement keeps its source's answered lookups (offsets below a statement hold wherever its rows sit) and depth.
  const found = new Map<number, Map<string, Int32Array>>();
  const depths = new Map<number, number>();
  for (const { source, from, to, at } of pieces) {
    const old = source.tree;
    const oldRows = old.rows;
    if (unreadable(source)) return undefined;
    let top = 1;
    let before = -1;
    while (top < oldRows.count && oldRows.start[top]! < from) {
      before = top;
      top = oldRows.after[top]!;
    }
    if (whole && before > 0 && oldRows.end[before]! > from) return undefined;
    for (; top < oldRows.count && oldRows.start[top]! < to; top = oldRows.after[top]!) {
      if ((oldRows.flags[top]! & (HAS_ERROR | AFTER_ERROR)) !== 0) return undefined;
      const id = oldRows.ids[top]!;
      // A statement taken twice (a line copied twice) would give two nodes one id.
      if (whole && (oldRows.end[top]! > to || depths.has(id))) return undefined;
      takeOver(oldRows, top, rows, 0, at - from);
      const lookups = old.found.get(id);
      if (lookups) found.set(id, lookups);
      depths.set(id, old.depths.get(id) ?? 0);
    }
  }
  closeRows(rows, text);
  const copy = new CompactTree(rows, text, grammar, lineStarts(text));
  copy.found = found;
  copy.depths = depths;
  return new Mirror(copy);
}

/** An edit of a text: [startIndex, endIndex) replaced by `length` characters. */
export interface TextChange {
  startIndex: number;
  endIndex: number;
  length: number;
}

/**
 * Pieces for {@link assembledTree} of `own`'s text after `changes` (sorted, not overlapping), that text
 * standing at offset `at` of `text`: the statements no change touches are taken from `own`. A statement
 * whose changes each lie inside a statement nested in it (a rewritten name in a method, a stubbed import
 * in a function) keeps its rows but those nested statements', which are parsed again, all in one text
 * (see {@link reparseNested}); other runs of changed statements, widened to start and end at the margin,
 * are copied by `copy` (a one-shot parse) on their own: statements at the margin parse alike wherever
 * they stand. Undefined when `own` or a part holds an error.
 */
export function editedPieces(own: MirrorTree, changes: readonly TextChange[], text: string, at: number, copy: (text: string) => MirrorTree): TreePiece[] | undefined {
  const oldRows = own.tree.rows;
  if (holdsError(own)) return undefined;
  const { tops, atMargin } = moduleStatements(own);
  // Which statements a change touches (a change between two statements counts for the next one), and
  // for each the nested statements holding its changes (null: a change is not inside one).
  const changed = new Uint8Array(tops.length);
  const nested: (number[] | null | undefined)[] = new Array(tops.length);
  let k = 0;
  for (const change of changes) {
    while (k < tops.length && oldRows.end[tops[k]!]! <= change.startIndex) k++;
    const reach = Math.max(change.endIndex, change.startIndex + 1);
    let j = k;
    for (; j < tops.length && oldRows.start[tops[j]!]! < reach; j++) changed[j] = 1;
    if (k >= tops.length) continue;
    changed[k] = 1;
    const inner = j === k + 1 ? statementAround(own, tops[k]!, change.startIndex, reach) : -1;
    if (inner < 0) nested[k] = null;
    else if (nested[k] !== null) (nested[k] ??= []).push(inner);
    for (let m = k + 1; m < j; m++) nested[m] = null;
  }
  const map = offsetMap(changes, at);
  const reparsed = reparseNested(own, tops, nested, text, map, copy);
  const pieces: TreePiece[] = [];
  for (let first = 0; first < tops.length;) {
    let next = first + 1;
    if (!changed[first]) {
      while (next < tops.length && !changed[next]) next++;
      const from = oldRows.start[tops[first]!]!;
      pieces.push({ source: own, from, to: oldRows.end[tops[next - 1]!]!, at: map(from) });
      first = next;
      continue;
    }
    const piece = reparsed?.get(first);
    if (piece) {
      pieces.push(piece);
      first = next;
      continue;
    }
    // A run of changed statements, from the margin up to a statement at the margin that no change
    // touched or that keeps its rows but its nested statements'.
    while (next < tops.length && ((changed[next] && !reparsed?.has(next)) || !atMargin(next))) next++;
    if (!atMargin(first) && first > 0) return undefined;
    const start = map(oldRows.start[tops[first]!]!);
    const end = next < tops.length ? map(oldRows.start[tops[next]!]!) : text.length;
    const part = copy(text.slice(start, end));
    if (holdsError(part)) return undefined;
    pieces.push({ source: part, from: 0, to: end - start, at: start });
    first = next;
  }
  return pieces;
}

/** Where an offset of the text before `changes` lands in the text after them, placed at `at` (offsets inside a change are not asked for). */
function offsetMap(changes: readonly TextChange[], at: number): (offset: number) => number {
  const ends = changes.map((change) => change.endIndex);
  const shifts = new Int32Array(changes.length + 1);
  changes.forEach((change, k) => (shifts[k + 1] = shifts[k]! + change.length - (change.endIndex - change.startIndex)));
  return (offset) => {
    // How many changes end at or before the offset (binary search: the ends are sorted).
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (ends[mid]! <= offset) low = mid + 1;
      else high = mid;
    }
    return at + offset + shifts[low]!;
  };
}

/**
 * The innermost statement of a block nested in module statement `top` that holds [from, to) and
 * starts its line (after its indentation only), or -1: such a statement parses alike as the body of
 * any block indented as it is.
 */
function statementAround(mirror: MirrorTree, top: number, from: number, to: number): number {
  const { rows, text, grammar } = mirror.tree;
  if (rows.start[top]! > from || to > rows.end[top]!) return -1;
  let found = -1;
  for (let row = top; ;) {
    let inside = -1;
    for (let child = row + 1; child < rows.after[row]! && rows.start[child]! <= from; child = rows.after[child]!) {
      if (to <= rows.end[child]!) inside = child;
    }
    if (inside < 0) return found;
    if (grammar.types[rows.kind[row]!] === 'block' && grammar.types[rows.kind[inside]!] !== 'comment' && startsIndentedLine(text, rows.start[inside]!)) found = inside;
    row = inside;
  }
}

/** Whether only spaces and tabs, at least one, stand between `index` and the line's start. */
function startsIndentedLine(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  return i >= 0 && i < index - 1 && text.charCodeAt(i) === 10;
}

/** The text each statement parsed again stands in: its lines, as written, are this `if`'s body (their indentation opens it). */
const NESTED_WRAPPER = 'if 1:\n';

/**
 * The pieces of the module statements whose changes all lie in nested statements ({@link statementAround}),
 * by statement index: each statement's rows, its nested statements' replaced by those of a parse of
 * their edited lines. The nested statements of the whole module are parsed in one text, each as the
 * body of an `if`, and each must come back as the statements of its body (more than one where a line
 * was added), with no comment before them, over the same span, free of errors; else undefined (the
 * statements are parsed whole).
 */
function reparseNested(own: MirrorTree, tops: readonly number[], nested: readonly (number[] | null | undefined)[], text: string, map: (offset: number) => number, copy: (text: string) => MirrorTree): Map<number, TreePiece> | undefined {
  const rows = own.tree.rows;
  const regions: { top: number; row: number; shift: number; start: number; end: number }[] = [];
  let wrapper = '';
  nested.forEach((inner, k) => {
    if (!inner) return;
    // Rows are in pre-order: a nested statement inside one already taken is parsed with it.
    let taken = -1;
    for (const row of inner.sort((a, b) => a - b)) {
      if (taken >= 0 && row < rows.after[taken]!) continue;
      taken = row;
      const lineStart = own.text.lastIndexOf('\n', rows.start[row]! - 1) + 1;
      const start = map(lineStart);
      const end = map(rows.end[row]!);
      wrapper += NESTED_WRAPPER;
      regions.push({ top: k, row, shift: start - wrapper.length, start: map(rows.start[row]!), end });
      wrapper += `${text.slice(start, end)}\n`;
    }
  });
  if (regions.length === 0) return undefined;
  const part = copy(wrapper);
  if (holdsError(part)) return undefined;
  const partRows = part.tree.rows;
  const types = part.tree.grammar.types;
  const bodies: { body: number; past: number }[] = [];
  const comment = commentKinds(part.tree.grammar);
  let wrapped = 1;
  for (const { shift, start, end } of regions) {
    if (wrapped >= partRows.count || types[partRows.kind[wrapped]!] !== 'if_statement') return undefined;
    let block = wrapped + 1;
    while (block < partRows.after[wrapped]! && types[partRows.kind[block]!] !== 'block') {
      // A comment before the block (a line added before the statement): it stands outside the statement's rows.
      if (comment[partRows.kind[block]!] === 1) return undefined;
      block = partRows.after[block]!;
    }
    const body = block + 1;
    const past = partRows.after[block]!;
    if (block >= partRows.after[wrapped]! || body >= past) return undefined;
    // The lines end with the old statement's last token: a comment can stand only between the statements, as in the document.
    let last = body;
    for (let child = body; child < past; child = partRows.after[child]!) last = child;
    // A stubbed import keeps its length with trailing spaces: the statement ends before them.
    const bodyEnd = partRows.end[last]! + shift;
    if (partRows.start[body]! + shift !== start || bodyEnd > end || text.slice(bodyEnd, end).trim() !== '') return undefined;
    bodies.push({ body, past });
    wrapped = partRows.after[wrapped]!;
  }
  const pieces = new Map<number, TreePiece>();
  for (let r = 0; r < regions.length;) {
    const top = regions[r]!.top;
    let past = r;
    while (past < regions.length && regions[past]!.top === top) past++;
    const splices = regions.slice(r, past).map((region, j) => ({ row: region.row, ...bodies[r + j]!, shift: region.shift, end: region.end }));
    const source = splicedStatement(own, tops[top]!, part, splices, text, map);
    const start = source.tree.rows.start[1]!;
    pieces.set(top, { source, from: start, to: source.tree.rows.end[1]!, at: start });
    r = past;
  }
  return pieces;
}

/**
 * A copy holding one module statement of `own`, at row `top`, moved into `text` by `map`, with each
 * splice's nested statement (`row`, whose old end `map` moves to `end`) replaced by the statements of
 * `part` at rows `body` up to `past`, moved by `shift`. No row keeps an id of `own`'s: the statement's
 * answered lookups and views do not hold for it.
 */
function splicedStatement(own: MirrorTree, top: number, part: MirrorTree, splices: readonly { row: number; body: number; past: number; shift: number; end: number }[], text: string, map: (offset: number) => number): MirrorTree {
  const old = own.tree.rows;
  const from = part.tree.rows;
  const end = old.after[top]!;
  const rows = new Rows(end - top + 1 + splices.reduce((sum, s) => sum + s.past - s.body, 0));
  rows.count = 1;
  rows.kind[0] = old.kind[0]!;
  rows.parent[0] = -1;
  // The new row of each old row of the statement (and of the row after it), for parents and nexts.
  const placed = new Int32Array(end - top + 1);
  const copied: number[] = [];
  let next = 0;
  for (let row = top; row < end;) {
    const at = rows.count;
    placed[row - top] = at;
    const parent = row === top ? 0 : placed[old.parent[row]! - top]!;
    const splice = splices[next];
    if (splice?.row === row) {
      // The part's rows keep their ids: they are new, and the part is dropped after.
      let lastAt = at;
      for (let statement = splice.body; statement < splice.past; statement = from.after[statement]!) {
        lastAt = rows.count;
        takeOver(from, statement, rows, parent, splice.shift);
        rows.field[lastAt] = old.field[row]!;
      }
      // The nodes that ended with the old statement end with the new ones (before a stub's padding).
      for (let up = parent; up > 0 && rows.end[up] === splice.end; up = rows.parent[up]!) rows.end[up] = rows.end[lastAt]!;
      row = old.after[row]!;
      next++;
      continue;
    }
    rows.kind[at] = old.kind[row]!;
    rows.field[at] = old.field[row]!;
    rows.flags[at] = old.flags[row]!;
    rows.start[at] = map(old.start[row]!);
    rows.end[at] = map(old.end[row]!);
    rows.parent[at] = parent;
    rows.ids[at] = nextId++;
    copied.push(row);
    rows.count++;
    row++;
  }
  placed[end - top] = rows.count;
  for (const row of copied) rows.after[placed[row - top]!] = placed[old.after[row]! - top]!;
  rows.after[0] = rows.count;
  // How deep the statement nests (itself at level 1), as a parse would count it.
  const level = new Int32Array(rows.count);
  let deepest = 0;
  for (let row = 1; row < rows.count; row++) deepest = Math.max(deepest, (level[row] = level[rows.parent[row]!]! + 1));
  const copy = new CompactTree(rows, text, own.tree.grammar, NO_LINES);
  copy.depths.set(rows.ids[1]!, deepest);
  return new Mirror(copy);
}

/** Whether tree-sitter could not read the copy's text as a module at all: its root is an ERROR, its top rows loose tokens. */
function unreadable(mirror: MirrorTree): boolean {
  return mirror.tree.rows.kind[0] === mirror.tree.grammar.errorKind;
}

/** Whether the copy holds a syntax error anywhere (or is {@link unreadable}). */
function holdsError(mirror: MirrorTree): boolean {
  return unreadable(mirror) || (mirror.tree.rows.flags[0]! & HAS_ERROR) !== 0;
}

/** Whether the module of a copy nests deeper than `limit` levels below it (its statements are level 1). */
export function mirrorDeeperThan(mirror: MirrorTree, limit: number): boolean {
  for (const depth of mirror.tree.depths.values()) if (depth > limit) return true;
  return false;
}

/** Whether the module's last statement holds a parse error. */
function lastStatementHasError(rows: Rows): boolean {
  let last = 0;
  for (let row = 1; row < rows.count; row = rows.after[row]!) last = row;
  return last > 0 && (rows.flags[last]! & HAS_ERROR) !== 0;
}

/**
 * Appends the old subtree at row `top` to `rows` under `parent`, moved by `indexDelta` characters;
 * node ids stay (lines and columns follow from the offsets).
 */
function takeOver(old: Rows, top: number, rows: Rows, parent: number, indexDelta: number): void {
  const to = rows.count;
  takeOverRows(old, top, old.after[top]!, rows, indexDelta);
  rows.parent[to] = parent;
}

/**
 * Appends rows `first` up to `end` of `old`, whole subtrees that follow each other, to `rows`, moved by
 * `indexDelta` characters, in one pass: node ids stay, and a row whose parent is the root keeps it.
 */
function takeOverRows(old: Rows, first: number, end: number, rows: Rows, indexDelta: number): void {
  const count = end - first;
  rows.reserve(count);
  const to = rows.count;
  const rowShift = to - first;
  rows.kind.set(old.kind.subarray(first, end), to);
  rows.field.set(old.field.subarray(first, end), to);
  rows.flags.set(old.flags.subarray(first, end), to);
  rows.ids.set(old.ids.subarray(first, end), to);
  if (rowShift === 0) {
    // As many rows before these as in `old` (typing in a name): their links stay as they are.
    rows.parent.set(old.parent.subarray(first, end), to);
    rows.after.set(old.after.subarray(first, end), to);
    for (let row = first; row < end; row++) {
      rows.start[row] = old.start[row]! + indexDelta;
      rows.end[row] = old.end[row]! + indexDelta;
    }
  } else {
    for (let k = 0; k < count; k++) {
      const from = first + k;
      const row = to + k;
      const parent = old.parent[from]!;
      rows.start[row] = old.start[from]! + indexDelta;
      rows.end[row] = old.end[from]! + indexDelta;
      rows.parent[row] = parent === 0 ? 0 : parent + rowShift;
      rows.after[row] = old.after[from]! + rowShift;
    }
  }
  rows.count += count;
}

/** Copies rows 1 up to `end` of `old` unchanged into `rows`, which holds only its root row. */
function copyRows(old: Rows, end: number, rows: Rows): void {
  rows.reserve(end - 1);
  rows.kind.set(old.kind.subarray(1, end), 1);
  rows.field.set(old.field.subarray(1, end), 1);
  rows.flags.set(old.flags.subarray(1, end), 1);
  rows.start.set(old.start.subarray(1, end), 1);
  rows.end.set(old.end.subarray(1, end), 1);
  rows.parent.set(old.parent.subarray(1, end), 1);
  rows.after.set(old.after.subarray(1, end), 1);
  rows.ids.set(old.ids.subarray(1, end), 1);
  rows.count = end;
}

/** Flags a new node and its open ancestors as holding a parse error. */
function markError(rows: Rows, node: number, open: number[]): void {
  rows.flags[node] = rows.flags[node]! | HAS_ERROR;
  for (let k = open.length - 1; k >= 0; k--) {
    const ancestor = open[k]!;
    if (rows.flags[ancestor]! & HAS_ERROR) break;
    rows.flags[ancestor] = rows.flags[ancestor]! | HAS_ERROR;
  }
}

const grammars = new WeakMap<Language, Grammar>();

/** The grammar's names, read once per language. */
function grammarOf(tree: Tree): Grammar {
  const language = tree.language;
  let grammar = grammars.get(language);
  if (!grammar) {
    const errorKind = language.nodeTypeCount;
    const types: string[] = [];
    const named: boolean[] = [];
    for (let id = 0; id < errorKind; id++) {
      types.push(language.nodeTypeForId(id) ?? 'ERROR');
      named.push(language.nodeTypeIsNamed(id));
    }
    types.push('ERROR');
    named.push(true);
    const fields: (string | null)[] = [null];
    for (let id = 1; id <= language.fieldCount; id++) fields.push(language.fieldNameForId(id));
    grammar = { types, named, fields, errorKind, kindSets: new Map() };
    grammars.set(language, grammar);
  }
  return grammar;
}

/** tree-sitter's id for ERROR nodes (its built-in error symbol, as an unsigned 16-bit id). */
const ERROR_TYPE_ID = 65535;

/**
 * The line starts of `text` from those of the text before one edit (`range`): the lines before the
 * edit stay, those after it move by its change in length, and only the edited stretch is scanned.
 */
export function spliceLineStarts(old: Int32Array, text: string, range: ChangedRange): Int32Array {
  // Old lines starting at or before the edit keep their start (their newline precedes it)...
  const kept = rowAt(old, range.start) + 1;
  // ...and those whose newline comes after the edited stretch move with it.
  let after = rowAt(old, range.oldEnd) + 1;
  const added: number[] = [];
  for (let i = text.indexOf('\n', range.start); i !== -1 && i < range.newEnd; i = text.indexOf('\n', i + 1)) added.push(i + 1);
  const starts = new Int32Array(kept + added.length + old.length - after);
  starts.set(old.subarray(0, kept));
  starts.set(added, kept);
  const delta = range.newEnd - range.oldEnd;
  for (let j = kept + added.length; after < old.length; after++, j++) starts[j] = old[after]! + delta;
  return starts;
}

/** The row holding `index` (binary search; `from` is a row known to be at or before it). */
function rowAt(starts: Int32Array, index: number, from = 0, to = starts.length): number {
  let low = from;
  let high = to - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= index) low = mid;
    else high = mid - 1;
  }
  return low;
}
