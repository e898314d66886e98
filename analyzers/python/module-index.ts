/** An index of one Python file: imports, classes, functions and literal constants. */
import type { SyntaxNode } from './syntax-tree.js';
import { ImportTable } from './imports.js';
import { isKnownName } from './catalog.js';
import { unparen } from './node-queries.js';
import { lastAtOrBefore } from '../core/sorted-search.js';
import { groupProgram, groupStatements, type StatementGroup, type StatementUnit } from './statement-groups.js';

export interface ClassInfo {
  name: string;
  node: SyntaxNode;
  /** Qualified names of the bases (imported ones resolved; same-file ones by plain name). */
  bases: string[];
  methods: Map<string, SyntaxNode>;
  /** `self.x = <expr>` assignments in `__init__`, in order. */
  attributes: Map<string, SyntaxNode>;
}

/** A call with the last name of its callee (`nn.Linear(...)` → `Linear`), read once. */
export interface CallSite {
  node: SyntaxNode;
  callee: SyntaxNode;
  name: string | undefined;
}

const INDEXED_TYPES = ['class_definition', 'function_definition', 'import_statement', 'import_from_statement'];

export class ModuleIndex {
  readonly imports: ImportTable;
  private callSites: CallSite[] | undefined;
  private sourceLines: string[] | undefined;
  /** Every function definition, methods and nested functions included, in source order. */
  readonly allFunctions: SyntaxNode[] = [];
  /** Source ranges [start, end) of classes that define models. */
  private modelClassRanges: [number, number][] | undefined;
  readonly classes = new Map<string, ClassInfo>();
  /** Every function definition in the file, by name (last one wins), methods excluded. */
  readonly functions = new Map<string, SyntaxNode>();
  /** Module-level `NAME = <literal>` bindings, so `nn.Dropout(P_DROP)` resolves. */
  readonly constants = new Map<string, SyntaxNode>();

  /** A whole file's groups, its units (imports left out) by start with their group, and the programs built so far. */
  private scopes: { groups: StatementGroup[]; units: { unit: StatementUnit; group: number }[]; texts: Map<number, string> } | undefined;

  /**
   * `inGroup`: the text is one group's program (an open document's part, see group-facts.ts), not a
   * whole file, so every lookup already stays within the group.
   */
  constructor(readonly root: SyntaxNode, readonly text: string, private readonly inGroup = false) {
    // One walk in wasm collects the definitions and imports; separate walks cost several times more.
    const classes: SyntaxNode[] = [];
    const imports: SyntaxNode[] = [];
    for (const node of root.descendantsOfType(INDEXED_TYPES)) {
      if (!node) continue;
      switch (node.type) {
        case 'function_definition':
          this.allFunctions.push(node);
          break;
        case 'class_definition':
          classes.push(node);
          break;
        default:
          imports.push(node);
      }
    }
    this.imports = new ImportTable(imports);
    for (const node of classes) this.addClass(node);
    for (const node of this.allFunctions) {
      if (enclosingClass(node)) continue;
      const name = node.childForFieldName('name')?.text;
      if (name) this.functions.set(name, node);
    }
    for (const statement of root.namedChildren) {
      const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type === 'identifier' && right && isLiteral(unparen(right))) this.constants.set(left.text, right);
    }
  }

  /** Resolves a name through the imports, with star imports checked against the catalog. */
  qualify(node: SyntaxNode | null | undefined): string | undefined {
    return this.imports.qualify(node, isKnownName);
  }

  /** A literal expression, looking through module-level constant names. */
  literal(node: SyntaxNode | null | undefined): SyntaxNode | undefined {
    if (!node) return undefined;
    const inner = unparen(node);
    if (inner.type === 'identifier') return this.constants.get(inner.text);
    return inner;
  }

  /** The source split into lines (for edits), on first use. */
  get lines(): string[] {
    this.sourceLines ??= this.text.split('\n');
    return this.sourceLines;
  }

  /** Every call in the file, in source order; collected on first use (most files need only a few). */
  get calls(): CallSite[] {
    if (!this.callSites) {
      this.callSites = [];
      for (const node of this.root.descendantsOfType('call')) {
        const callee = node?.childForFieldName('function');
        if (node && callee) this.callSites.push({ node, callee, name: lastCalleeName(callee) });
      }
    }
    return this.callSites;
  }

  /**
   * The text to search for what a node names (`normalize = T.Normalize(...)` for a listed `normalize`,
   * `self.norm = ...` for `self.norm`): the statements linked to the node's by names, as an open
   * document's group holds them, so a one-shot lint and the editor find the same.
   */
  scopeText(node: SyntaxNode): string {
    const group = this.groupAt(node.startIndex);
    if (group === undefined) return this.text;
    let text = this.scopes!.texts.get(group);
    if (text === undefined) this.scopes!.texts.set(group, (text = groupProgram(this.scopes!.groups[group]!, this.text).text));
    return text;
  }

  /** Whether two nodes lie in statements linked by names (the same group, see {@link scopeText}). */
  sameScope(a: SyntaxNode, b: SyntaxNode): boolean {
    return this.groupAt(a.startIndex) === this.groupAt(b.startIndex);
  }

  private groupAt(offset: number): number | undefined {
    if (this.inGroup) return undefined;
    if (!this.scopes) {
      const groups = groupStatements(this.root, this.text, new Map(), new Map());
      // A unit in more than one group is an import (shared by all): it belongs to none.
      const owner = new Map<number, { unit: StatementUnit; group: number }>();
      groups.forEach((group, g) => {
        for (const unit of group) owner.set(unit.index, { unit, group: owner.has(unit.index) ? -1 : g });
      });
      const units = [...owner.values()].filter((o) => o.group >= 0).sort((a, b) => a.unit.start - b.unit.start);
      this.scopes = { groups, units, texts: new Map() };
    }
    const at = this.scopes.units[lastAtOrBefore(this.scopes.units, offset, (o) => o.unit.start)];
    return at && offset <= at.unit.end ? at.group : undefined;
  }

  /** Whether a node lies inside the body of a model class. */
  insideModelClass(node: SyntaxNode): boolean {
    this.modelClassRanges ??= [...this.classes.values()]
      .filter((c) => this.isModelClass(c.name))
      .map((c) => [c.node.startIndex, c.node.endIndex]);
    const at = node.startIndex;
    return this.modelClassRanges.some(([start, end]) => at >= start && at < end);
  }

  /** Whether `name` is (transitively) a subclass of a known model base class. */
  isModelClass(name: string, seen = new Set<string>()): boolean {
    const info = this.classes.get(name);
    if (!info || seen.has(name)) return false;
    seen.add(name);
    return info.bases.some((base) => isModelBase(base) || this.isModelClass(base, seen));
  }

  private addClass(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const bases: string[] = [];
    const superclasses = node.childForFieldName('superclasses');
    for (const base of superclasses?.namedChildren ?? []) {
      if (!base || base.type === 'keyword_argument') continue;
      bases.push(this.qualify(base) ?? base.text);
    }
    const methods = new Map<string, SyntaxNode>();
    const body = node.childForFieldName('body');
    for (const member of body?.namedChildren ?? []) {
      const fn = member?.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
      if (fn?.type !== 'function_definition') continue;
      const methodName = fn.childForFieldName('name')?.text;
      if (methodName) methods.set(methodName, fn);
    }
    const attributes = new Map<string, SyntaxNode>();
    const init = methods.get('__init__') ?? methods.get('build');
    for (const assignment of init?.descendantsOfType('assignment') ?? []) {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      if (left?.type !== 'attribute' || !right) continue;
      if (left.childForFieldName('object')?.text !== 'self') continue;
      const attr = left.childForFieldName('attribute')?.text;
      if (attr) attributes.set(attr, right);
    }
    this.classes.set(name, { name, node, bases, methods, attributes });
  }
}

function lastCalleeName(callee: SyntaxNode): string | undefined {
  if (callee.type === 'identifier') return callee.text;
  if (callee.type === 'attribute') return callee.childForFieldName('attribute')?.text;
  return undefined;
}

function isModelBase(qualified: string): boolean {
  return /^(torch\.nn\.Module|keras\.(models\.)?Model|keras\.layers\.Layer|(pytorch_)?lightning(\.pytorch)?\.LightningModule)$/.test(qualified);
}

function isLiteral(node: SyntaxNode): boolean {
  if (['integer', 'float', 'string', 'true', 'false', 'none'].includes(node.type)) return true;
  return node.type === 'unary_operator' && ['integer', 'float'].includes(node.childForFieldName('argument')?.type ?? '');
}

/** The class a function is defined in, if it is a method. */
export function enclosingClass(fn: SyntaxNode): SyntaxNode | undefined {
  let parent = fn.parent;
  while (parent) {
    if (parent.type === 'class_definition') return parent;
    if (parent.type === 'function_definition') return undefined;
    parent = parent.parent;
  }
  return undefined;
}
