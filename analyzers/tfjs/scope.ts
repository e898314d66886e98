/**
 * Lexical scopes of one file: every declared name (variables, parameters, functions, classes,
 * imports) with what it is bound to, resolved the way JavaScript resolves names. No type checker:
 * a file is understood on its own, without resolving other files.
 */
import type { ts } from 'ts-morph';
import { TS } from './ts.js';
import { isFunctionLike, propertyName, unwrap, walk, type FunctionLike } from './syntax.js';

export interface Binding {
  name: string;
  /** The declaring identifier. */
  id: ts.Identifier;
  kind: 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'catch';
  /** `const x = <init>`. */
  init?: ts.Expression;
  /** `x = <value>` assignments, in source order. */
  assigned: ts.Expression[];
  /** `const { a: x } = <from>`: the object destructured and the property read (`''` for array patterns). */
  destructured?: { from: ts.Expression | undefined; property: string };
  /** An import: the module and the name imported (`*` for a namespace, `default`). */
  imported?: { module: string; name: string };
  /** A function declaration, or a variable initialised with a function. */
  fn?: FunctionLike;
  /** The node whose scope holds the binding. */
  scope: ts.Node;
}

export interface FileIndex {
  /** Every call and `new` expression, in source order. */
  calls: (ts.CallExpression | ts.NewExpression)[];
  /** Assignments `this.name = value` by property name (to follow `this.model`). */
  thisAssignments: Map<string, ts.Expression[]>;
}

/** Builds the scopes of a file in one walk. */
export class Scopes {
  private readonly scopes = new Map<ts.Node, Map<string, Binding>>();
  private readonly references = new Map<Binding, ts.Identifier[]>();
  readonly index: FileIndex = { calls: [], thisAssignments: new Map() };

  constructor(readonly sf: ts.SourceFile) {
    const assignments: ts.BinaryExpression[] = [];
    walk(sf, (node) => {
      switch (node.kind) {
        case TS.SyntaxKind.CallExpression:
        case TS.SyntaxKind.NewExpression:
          this.index.calls.push(node as ts.CallExpression);
          break;
        case TS.SyntaxKind.VariableDeclaration:
          this.declareVariable(node as ts.VariableDeclaration);
          break;
        case TS.SyntaxKind.Parameter: {
          const parameter = node as ts.ParameterDeclaration;
          const fn = parameter.parent;
          if (fn && isFunctionLike(fn)) this.declarePattern(parameter.name, fn, 'param', undefined, undefined);
          break;
        }
        case TS.SyntaxKind.FunctionDeclaration: {
          const fn = node as ts.FunctionDeclaration;
          if (fn.name) this.declare(fn.name, blockScope(fn), 'function', { fn });
          break;
        }
        case TS.SyntaxKind.FunctionExpression: {
          const fn = node as ts.FunctionExpression;
          if (fn.name) this.declare(fn.name, fn, 'function', { fn });
          break;
        }
        case TS.SyntaxKind.ClassDeclaration: {
          const cls = node as ts.ClassDeclaration;
          if (cls.name) this.declare(cls.name, blockScope(cls), 'class', {});
          break;
        }
        case TS.SyntaxKind.CatchClause: {
          const clause = node as ts.CatchClause;
          if (clause.variableDeclaration) this.declarePattern(clause.variableDeclaration.name, clause, 'catch', undefined, undefined);
          return true;
        }
        case TS.SyntaxKind.ImportDeclaration:
          this.declareImport(node as ts.ImportDeclaration);
          return false;
        case TS.SyntaxKind.ImportEqualsDeclaration: {
          const decl = node as ts.ImportEqualsDeclaration;
          const ref = decl.moduleReference;
          if (TS.isExternalModuleReference(ref) && TS.isStringLiteral(ref.expression)) {
            this.declare(decl.name, this.sf, 'import', { imported: { module: ref.expression.text, name: '*' } });
          }
          return false;
        }
        case TS.SyntaxKind.BinaryExpression: {
          const binary = node as ts.BinaryExpression;
          if (binary.operatorToken.kind === TS.SyntaxKind.EqualsToken) {
            const left = unwrap(binary.left);
            if (TS.isIdentifier(left)) assignments.push(binary);
            else if (TS.isPropertyAccessExpression(left) && left.expression.kind === TS.SyntaxKind.ThisKeyword) {
              const list = this.index.thisAssignments.get(left.name.text) ?? [];
              list.push(binary.right);
              this.index.thisAssignments.set(left.name.text, list);
            }
          }
          break;
        }
        // Type-only syntax declares nothing we read; skipping it keeps the walk short.
        case TS.SyntaxKind.InterfaceDeclaration:
        case TS.SyntaxKind.TypeAliasDeclaration:
          return false;
        default:
          break;
      }
      return true;
    });
    for (const assignment of assignments) {
      const binding = this.resolve(unwrap(assignment.left) as ts.Identifier);
      if (binding) {
        binding.assigned.push(assignment.right);
        const fn = unwrap(assignment.right);
        if (!binding.fn && (TS.isArrowFunction(fn) || TS.isFunctionExpression(fn))) binding.fn = fn;
      }
    }
  }

  /** The binding an identifier refers to, or undefined for globals and unknown names. */
  resolve(id: ts.Identifier): Binding | undefined {
    return this.lookup(id.text, id);
  }

  /** The binding `name` would refer to if written at `at`. */
  lookup(name: string, at: ts.Node): Binding | undefined {
    for (let node: ts.Node | undefined = at; node; node = node.parent) {
      const binding = this.scopes.get(node)?.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  /** The bindings declared at the top level of the file. */
  fileBindings(): Binding[] {
    return [...(this.scopes.get(this.sf)?.values() ?? [])];
  }

  /** Identifiers that read or write `binding`, in source order (declaration excluded). */
  referencesOf(binding: Binding): ts.Identifier[] {
    let refs = this.references.get(binding);
    if (refs) return refs;
    refs = [];
    const found = refs;
    walk(binding.scope, (node) => {
      if (TS.isIdentifier(node) && node.text === binding.name && node !== binding.id && isReference(node) && this.resolve(node) === binding) {
        found.push(node);
      }
    });
    this.references.set(binding, refs);
    return refs;
  }

  private declare(id: ts.Identifier, scope: ts.Node, kind: Binding['kind'], extra: Partial<Binding>): Binding {
    let table = this.scopes.get(scope);
    if (!table) this.scopes.set(scope, (table = new Map()));
    const existing = table.get(id.text);
    // `var x` twice, or a function declared twice: the later one wins (JavaScript semantics).
    const binding: Binding = { name: id.text, id, kind, assigned: existing?.assigned ?? [], scope, ...extra };
    table.set(id.text, binding);
    return binding;
  }

  private declareVariable(decl: ts.VariableDeclaration): void {
    const list = decl.parent;
    if (!list || !TS.isVariableDeclarationList(list)) return;
    const flags = list.flags;
    const kind: Binding['kind'] = flags & TS.NodeFlags.Const ? 'const' : flags & (TS.NodeFlags.Let | TS.NodeFlags.Using | TS.NodeFlags.AwaitUsing) ? 'let' : 'var';
    const scope = kind === 'var' ? functionScope(decl) : blockScope(decl);
    this.declarePattern(decl.name, scope, kind, decl.initializer, undefined);
  }

  private declarePattern(name: ts.BindingName, scope: ts.Node, kind: Binding['kind'], init: ts.Expression | undefined, from: { from: ts.Expression | undefined; property: string } | undefined): void {
    if (TS.isIdentifier(name)) {
      const extra: Partial<Binding> = {};
      if (init) {
        extra.init = init;
        const fn = unwrap(init);
        if (TS.isArrowFunction(fn) || TS.isFunctionExpression(fn)) extra.fn = fn;
      }
      if (from) extra.destructured = from;
      this.declare(name, scope, kind, extra);
      return;
    }
    if (TS.isObjectBindingPattern(name)) {
      for (const element of name.elements) {
        const property = element.dotDotDotToken ? '' : propertyName(element.propertyName) ?? (TS.isIdentifier(element.name) ? element.name.text : '');
        this.declarePattern(element.name, scope, kind, undefined, { from: from ? undefined : init, property });
      }
      return;
    }
    for (const element of name.elements) {
      if (TS.isBindingElement(element)) this.declarePattern(element.name, scope, kind, undefined, { from: undefined, property: '' });
    }
  }

  private declareImport(decl: ts.ImportDeclaration): void {
    if (!TS.isStringLiteral(decl.moduleSpecifier)) return;
    const module = decl.moduleSpecifier.text;
    const clause = decl.importClause;
    if (!clause) return;
    if (clause.name) this.declare(clause.name, this.sf, 'import', { imported: { module, name: 'default' } });
    const bindings = clause.namedBindings;
    if (!bindings) return;
    if (TS.isNamespaceImport(bindings)) {
      this.declare(bindings.name, this.sf, 'import', { imported: { module, name: '*' } });
      return;
    }
    for (const specifier of bindings.elements) {
      const imported = specifier.propertyName ? propertyName(specifier.propertyName as ts.Identifier) ?? specifier.name.text : specifier.name.text;
      this.declare(specifier.name, this.sf, 'import', { imported: { module, name: imported } });
    }
  }
}

/** Where `let`, `const`, classes and block functions live. */
function blockScope(node: ts.Node): ts.Node {
  for (let p = node.parent; p; p = p.parent) {
    if (TS.isBlock(p) || TS.isSourceFile(p) || TS.isModuleBlock(p) || TS.isCaseBlock(p) ||
      TS.isForStatement(p) || TS.isForOfStatement(p) || TS.isForInStatement(p) || isFunctionLike(p)) return p;
  }
  return node.getSourceFile();
}

/** Where `var` lives. */
function functionScope(node: ts.Node): ts.Node {
  for (let p = node.parent; p; p = p.parent) if (isFunctionLike(p) || TS.isSourceFile(p) || TS.isModuleBlock(p)) return p;
  return node.getSourceFile();
}

/** Whether an identifier is a use of a name (not a property name, a key, a label or a declaration). */
export function isReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (!parent) return false;
  switch (parent.kind) {
    case TS.SyntaxKind.PropertyAccessExpression:
      return (parent as ts.PropertyAccessExpression).expression === id;
    case TS.SyntaxKind.PropertyAssignment:
      return (parent as ts.PropertyAssignment).initializer === id;
    case TS.SyntaxKind.VariableDeclaration:
      return (parent as ts.VariableDeclaration).initializer === id;
    case TS.SyntaxKind.Parameter:
      return (parent as ts.ParameterDeclaration).initializer === id;
    case TS.SyntaxKind.BindingElement:
      return (parent as ts.BindingElement).initializer === id;
    case TS.SyntaxKind.PropertyDeclaration:
      return (parent as ts.PropertyDeclaration).initializer === id;
    case TS.SyntaxKind.FunctionDeclaration:
    case TS.SyntaxKind.FunctionExpression:
    case TS.SyntaxKind.ClassDeclaration:
    case TS.SyntaxKind.ClassExpression:
    case TS.SyntaxKind.MethodDeclaration:
    case TS.SyntaxKind.GetAccessor:
    case TS.SyntaxKind.SetAccessor:
    case TS.SyntaxKind.ImportSpecifier:
    case TS.SyntaxKind.ImportClause:
    case TS.SyntaxKind.NamespaceImport:
    case TS.SyntaxKind.ExportSpecifier:
    case TS.SyntaxKind.LabeledStatement:
    case TS.SyntaxKind.BreakStatement:
    case TS.SyntaxKind.ContinueStatement:
    case TS.SyntaxKind.QualifiedName:
    case TS.SyntaxKind.TypeReference:
    case TS.SyntaxKind.JsxAttribute:
    case TS.SyntaxKind.EnumMember:
    case TS.SyntaxKind.PropertySignature:
    case TS.SyntaxKind.MethodSignature:
      return false;
    default:
      return true;
  }
}
