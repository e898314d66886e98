/**
 * What one Python module offers the project and asks of it: its top-level definitions (with the names
 * they mention) and its import statements, read from one parse and cached by text.
 */
import { lineStarts } from '../core/line-starts.js';
import { lastAtOrBefore } from '../core/sorted-search.js';
import type { SyntaxNode } from '../python/syntax-tree.js';

/** A top-level class, function or assignment, by whole lines. */
export interface TopLevelDefinition {
  name: string;
  kind: 'class' | 'function' | 'assignment';
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
  /** Every identifier its text mentions: what it may need from the rest of its module. */
  mentions: Set<string>;
}

/** One import statement: `from M import a as b`, `from . import x`, `from M import *` or `import M`. */
export interface ImportStatement {
  form: 'from' | 'import';
  /** The module as written (`.nets`, `pkg.models`, `torch`). */
  module: string;
  /** Imported names with their local aliases; `star` for `from M import *`. */
  names: { name: string; local: string }[];
  star: boolean;
  topLevel: boolean;
  startIndex: number;
  endIndex: number;
  startLine: number;
  endLine: number;
}

/**
 * One use of a name bound by an import, outside import statements: `N` in `N()`, or the dotted chain
 * `nets.Net` / `pkg.nets.Net` starting at a module's local name.
 */
export interface NameReference {
  startIndex: number;
  /** 0-based line and column of the first character. */
  row: number;
  column: number;
  /** The attribute names after the local one (`['Net']` for `nets.Net`), empty for a bare name. */
  chain: string[];
  /** End index of the local name and of each attribute of the chain, in order. */
  ends: number[];
}

export interface ModuleSummary {
  /** Definitions by name; the last binding wins, as in Python. */
  definitions: Map<string, TopLevelDefinition>;
  imports: ImportStatement[];
  /**
   * Uses of the import-bound names among `locals` that may come from the project (well-known libraries
   * left out), by local name; the map may hold other names too.
   */
  referencesTo(locals: Iterable<string>): ReadonlyMap<string, NameReference[]>;
  /** How many lines it has. */
  readonly lineCount: number;
  /** Where each of its lines starts in `text` (worked out when first read: only modules copied from need them). */
  readonly lineStarts: Int32Array;
  /** The text it was read from. */
  text: string;
}

/** What a summary reads from one top-level statement, apart from where it sits. */
interface StatementReading {
  /** The name it binds at module level, how, and every identifier its text mentions (or the text, read when first asked). */
  definition?: { name: string; kind: TopLevelDefinition['kind']; mentions: Set<string> | string };
  /** Whether it holds an import below itself (in an `if`, `try` or function). */
  nestedImports: boolean;
}

/**
 * What summaries of one module read from each top-level statement, kept between summaries as it is
 * edited, by statement node id (an open document's copy keeps a statement's id, and its text, while
 * edits elsewhere take it over): a keystroke changes one statement, and reading every identifier of a
 * 10,000-line module again, or walking all its nodes for imports, cost more than the rest of its summary.
 */
export class SummaryCache {
  statements = new Map<number, StatementReading>();
}

/** Import roots that are never project modules: their names' uses are not collected. */
const LIBRARY_ROOTS = new Set([
  'torch', 'torchvision', 'torchaudio', 'torchtext', 'tensorflow', 'keras', 'tf_keras', 'numpy', 'jax', 'flax', 'sklearn', 'pandas',
  'matplotlib', 'scipy', 'os', 'sys', 'math', 'typing', 'collections', 'functools', 'itertools', 'random', 'time', 'json',
  'argparse', 'pathlib', 'logging', 're', 'copy', 'dataclasses', 'abc', '__future__', 'tqdm', 'transformers', 'lightning',
  'pytorch_lightning', 'einops', 'timm', 'wandb', 'datasets', 'PIL', 'cv2', 'shutil', 'glob', 'pickle', 'warnings',
]);

const IDENTIFIER = /[A-Za-z_]\w*/g;

const IMPORTS = ['import_statement', 'import_from_statement'];

/** Calls `read` with the root of a tree of the summary's text (a kept copy), when a summary reads it again. */
export type ReadTree = (read: (root: SyntaxNode) => void) => void;

/**
 * Reads the summary from a parsed module (its `module` node) and the text it was parsed from. With
 * `cache`, the previous summary's (of a document's copy): statements kept from it are not read again,
 * and the cache is left holding this module's statements only. With `readTree`, the uses of imported
 * names are found when first asked for, and only those of the names asked for: only the module being
 * linked is asked, for the names bound to project modules, while most summaries are read for their
 * definitions only.
 */
export function summarizeModule(root: SyntaxNode, text: string, cache?: SummaryCache, readTree?: ReadTree): ModuleSummary {
  const definitions = new Map<string, TopLevelDefinition>();
  const imports: ImportStatement[] = [];
  const used = new Map<number, StatementReading>();
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    // A summary without a cache is read once: it reads a definition's mentions only if it is copied.
    const reading = cache?.statements.get(statement.id) ?? readStatement(statement, !cache);
    used.set(statement.id, reading);
    if (reading.definition) {
      const { name, kind, mentions } = reading.definition;
      const startLine = statement.startPosition.row;
      // A node ending at column 0 ends on the line before (tree-sitter puts a block's end after its newline).
      const end = statement.endPosition;
      const endLine = end.column === 0 && end.row > startLine ? end.row - 1 : end.row;
      definitions.set(name, new Definition(name, kind, startLine, endLine, mentions));
    }
    if (IMPORTS.includes(statement.type)) imports.push(...readImport(statement, true));
    else if (reading.nestedImports) {
      for (const node of statement.descendantsOfType(IMPORTS)) imports.push(...readImport(node, node.parent?.type === 'module'));
    }
  }
  if (cache) cache.statements = used;
  // A module node that ends with the text knows its last line: no scan of the text per keystroke. Read
  // now: a one-shot tree is deleted once the summary is read.
  const lineCount = root.endIndex === text.length ? root.endPosition.row + 1 : undefined;
  const locals = referenceable(imports);
  const references = readTree ? { locals, readTree, found: new Map<string, NameReference[]>() } : collectReferences(root, text, locals);
  return new Summary(definitions, imports, references, text, lineCount);
}

/** Uses of names found when first asked for: the names that may have uses, a tree of the text, and the uses found so far. */
interface LaterReferences {
  locals: ReadonlySet<string>;
  readTree: ReadTree;
  found: Map<string, NameReference[]>;
}

/**
 * A summary whose line starts are found when first read. A class, not an object literal with getters: such
 * literals are dictionary objects, and the linker reads summaries in its inner loops.
 */
class Summary implements ModuleSummary {
  private starts: Int32Array | undefined;

  constructor(
    readonly definitions: Map<string, TopLevelDefinition>,
    readonly imports: ImportStatement[],
    private readonly references: Map<string, NameReference[]> | LaterReferences,
    readonly text: string,
    private knownLineCount: number | undefined,
  ) {}

  referencesTo(locals: Iterable<string>): ReadonlyMap<string, NameReference[]> {
    const later = this.references;
    if (later instanceof Map) return later;
    const wanted = [...locals].filter((local) => later.locals.has(local) && !later.found.has(local));
    if (wanted.length === 0) return later.found;
    later.readTree((root) => {
      const found = collectReferences(root, this.text, new Set(wanted));
      for (const local of wanted) later.found.set(local, found.get(local) ?? []);
    });
    return later.found;
  }

  get lineCount(): number {
    return (this.knownLineCount ??= this.starts?.length ?? countLines(this.text));
  }

  get lineStarts(): Int32Array {
    return (this.starts ??= lineStarts(this.text));
  }
}

/**
 * A top-level definition. Most are never copied into another module's linked program, so the
 * identifiers of a one-shot summary's definitions are read from their text when first asked for.
 */
class Definition implements TopLevelDefinition {
  constructor(
    readonly name: string,
    readonly kind: TopLevelDefinition['kind'],
    readonly startLine: number,
    readonly endLine: number,
    /** The identifiers, or the text to read them from. */
    private mentioned: Set<string> | string,
  ) {}

  get mentions(): Set<string> {
    if (typeof this.mentioned === 'string') this.mentioned = identifiersOf(this.mentioned);
    return this.mentioned;
  }
}

/** Every identifier a text mentions. */
function identifiersOf(text: string): Set<string> {
  return new Set(text.match(IDENTIFIER) ?? []);
}

/** `lazy`: keep a definition's text rather than its identifiers (the text must be the summary's own, not kept across edits). */
function readStatement(statement: SyntaxNode, lazy: boolean): StatementReading {
  const text = statement.text;
  // Walking a statement for imports costs more than looking for the word.
  const nestedImports = !IMPORTS.includes(statement.type) && text.includes('import') && statement.descendantsOfType(IMPORTS).length > 0;
  const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
  let head: { name: string; kind: TopLevelDefinition['kind'] } | undefined;
  if (definition?.type === 'class_definition' || definition?.type === 'function_definition') {
    const name = definition.childForFieldName('name')?.text;
    if (name) head = { name, kind: definition.type === 'class_definition' ? 'class' : 'function' };
  } else {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    // `A = B = x` and tuple targets are rare at module level; plain names carry constants, configs and instances.
    if (left?.type === 'identifier' && assignment?.childForFieldName('right')) head = { name: left.text, kind: 'assignment' };
  }
  return { nestedImports, ...(head ? { definition: { ...head, mentions: lazy ? text : identifiersOf(text) } } : {}) };
}

function countLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The local names of imports that may come from the project (well-known libraries and star imports left out). */
function referenceable(imports: ImportStatement[]): Set<string> {
  const locals = new Set<string>();
  for (const statement of imports) {
    if (statement.star || LIBRARY_ROOTS.has(statement.module.split('.')[0]!)) continue;
    for (const { local } of statement.names) locals.add(local);
  }
  return locals;
}

/** Finds the uses of `locals` by a text scan checked against the tree (cheaper than walking every identifier). */
function collectReferences(root: SyntaxNode, text: string, locals: ReadonlySet<string>): Map<string, NameReference[]> {
  const references = new Map<string, NameReference[]>();
  if (locals.size === 0) return references;
  const pattern = new RegExp(`(?<![\\w.])(?:${[...locals].join('|')})\\b`, 'g');
  // Read once: for tree-sitter's own nodes every \`children\` read copies the list out of wasm memory.
  const statements = root.children;
  for (const match of text.matchAll(pattern)) {
    const start = match.index;
    const top = childCovering(statements, start, start + match[0].length);
    const node = top && identifierAt(top, start, start + match[0].length);
    if (!node || !isReference(node)) continue;
    const chain: string[] = [];
    const ends = [node.endIndex];
    let outer = node;
    while (outer.parent?.type === 'attribute' && outer.parent.childForFieldName('object')?.startIndex === outer.startIndex && outer.parent.childForFieldName('object')?.endIndex === outer.endIndex) {
      const attribute = outer.parent.childForFieldName('attribute');
      if (!attribute) break;
      chain.push(attribute.text);
      ends.push(attribute.endIndex);
      outer = outer.parent;
    }
    let list = references.get(node.text);
    if (!list) references.set(node.text, (list = []));
    list.push({ startIndex: start, row: node.startPosition.row, column: node.startPosition.column, chain, ends });
  }
  return references;
}

/** The identifier node spanning exactly [start, end), descending from `node` by position. */
function identifierAt(node: SyntaxNode | undefined, start: number, end: number): SyntaxNode | undefined {
  while (node) {
    if (node.startIndex === start && node.endIndex === end && node.type === 'identifier') return node;
    node = childCovering(node.children, start, end);
  }
  return undefined;
}

/**
 * The child spanning [start, end): siblings are in order and do not overlap, so it is the last one
 * starting at or before `start`, if it reaches `end` (a binary search: a module has hundreds of
 * statements, and reading a tree-sitter node's end is a call into wasm).
 */
function childCovering(children: readonly SyntaxNode[], start: number, end: number): SyntaxNode | undefined {
  const found = children[lastAtOrBefore(children, start, (c) => c.startIndex)];
  return found && found.endIndex >= end ? found : undefined;
}

/** A use of the name itself: not an attribute of something else, a keyword argument's name, a parameter or part of an import. */
function isReference(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === node.startIndex) return false;
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.startIndex === node.startIndex) return false;
  if (['parameters', 'default_parameter', 'typed_parameter', 'function_definition', 'class_definition'].includes(parent.type)) return false;
  for (let p: SyntaxNode | null = parent; p; p = p.parent) {
    if (p.type === 'import_statement' || p.type === 'import_from_statement') return false;
  }
  return true;
}

function readImport(node: SyntaxNode, topLevel: boolean): ImportStatement[] {
  const where = {
    topLevel, startIndex: node.startIndex, endIndex: node.endIndex,
    startLine: node.startPosition.row, endLine: node.endPosition.row,
  };
  if (node.type === 'import_statement') {
    // `import a.b as c` binds c to a.b; `import a.b` binds a: neither brings definitions by name.
    return node.childrenForFieldName('name').flatMap((item) => {
      if (!item) return [];
      const module = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
      const local = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : item.text.split('.')[0];
      return module && local ? [{ form: 'import' as const, module, names: [{ name: module, local }], star: false, ...where }] : [];
    });
  }
  const module = node.childForFieldName('module_name')?.text;
  if (!module) return [];
  const star = node.descendantsOfType('wildcard_import').length > 0;
  const names = star ? [] : node.childrenForFieldName('name').flatMap((item) => {
    if (!item) return [];
    if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name')?.text;
      const local = item.childForFieldName('alias')?.text;
      return name && local ? [{ name, local }] : [];
    }
    return [{ name: item.text, local: item.text }];
  });
  return [{ form: 'from', module, names, star, ...where }];
}
