/**
 * One TensorFlow.js module linked with the declarations it imports from the project, found by
 * ts-morph's module resolution and symbol lookup (re-exports, aliases, default and namespace imports
 * followed by the type checker). Like the Python linker (linked-program.ts), the declarations come
 * first, whole lines as written, then the module with its project imports blanked out; the segments
 * send every finding and related place back to the file and line it came from.
 */
import type { Identifier, ImportDeclaration, Node, ObjectBindingPattern, SourceFile, ts, VariableStatement } from 'ts-morph';
import { TS } from '../tfjs/ts.js';
import type { ColumnShift, LinkedProgram, Segment } from './linked-program.js';

/** How the linker asks the project about a file. */
export interface ProjectFiles {
  /** The project's source file that an import declaration names, if it is one of the project's own. */
  importTarget(declaration: ImportDeclaration): SourceFile | undefined;
  /** The project's source file a module specifier written in `from` names (a CommonJS `require`), if it is one of the project's own. */
  specifierTarget(specifier: string, from: SourceFile): SourceFile | undefined;
}

/** A top-level `const … = require('<specifier>')` naming a project file: its statement and the local names it binds. */
interface ProjectRequire {
  statement: VariableStatement;
  /** `const { a, b: c } = require(…)`: the bound identifiers. */
  named: Identifier[];
  /** `const m = require(…)`: the module object's local name (its members are read as `m.name`, or it is the export itself). */
  whole: Identifier[];
}

/** Declarations followed through imports at most this deep (a model built from helpers built from helpers …). */
const MAX_FILES = 64;

interface Rename {
  line: number;
  column: number;
  oldLength: number;
  text: string;
}

/** What is copied from one dependency: its top-level statements, and declaration names given the importer's local names. */
interface Needed {
  file: SourceFile;
  statements: Set<ts.Statement>;
  renames: Rename[];
}

/** Links `own` with the project declarations it imports (directly or through the modules they come from). */
export function linkTfjsModule(own: SourceFile, files: ProjectFiles): LinkedProgram {
  const needed = new Map<string, Needed>();
  const queue: [SourceFile, ts.Statement][] = [];
  const ownPath = own.getFilePath();
  const requires = projectRequires(own, files);
  const ownNames = topLevelNames(own);
  // `const build = require('./model')` is blanked out: its name is the copied declaration's, not the module's own.
  for (const required of requires) for (const local of required.whole) ownNames.delete(local.getText());
  const need = (file: SourceFile, statement: ts.Statement) => {
    // A name the module declares itself stays its own: a copy would shadow it or be shadowed.
    if (file.getFilePath() === ownPath || declaredNames(statement).some((n) => ownNames.has(n))) return;
    let entry = needed.get(file.getFilePath());
    if (!entry) {
      if (needed.size >= MAX_FILES) return;
      needed.set(file.getFilePath(), (entry = { file, statements: new Set(), renames: [] }));
    }
    if (entry.statements.has(statement)) return;
    entry.statements.add(statement);
    queue.push([file, statement]);
  };
  /** Copies the declaration a local name is bound to, renamed to the local name when it is imported under an alias. */
  const bind = (local: string, target: Node | undefined, renameAllowed: boolean) => {
    const found = target && topLevelStatement(target);
    if (!found) return;
    need(found.file, found.statement);
    const name = declaredName(target);
    if (name && name.getText() !== local && renameAllowed) {
      const entry = needed.get(found.file.getFilePath());
      const start = found.file.getLineAndColumnAtPos(name.getStart());
      entry?.renames.push({ line: start.line - 1, column: start.column - 1, oldLength: name.getText().length, text: local });
    }
  };

  const blanks: [number, number][] = [];
  const ownRewrites: { start: number; end: number; text: string }[] = [];
  for (const declaration of own.getImportDeclarations()) {
    const target = files.importTarget(declaration);
    if (!target) continue;
    blanks.push([declaration.getStart(), declaration.getEnd()]);
    const defaultImport = declaration.getDefaultImport();
    if (defaultImport) bind(defaultImport.getText(), aliasTarget(defaultImport), !ownNames.has(defaultImport.getText()));
    for (const specifier of declaration.getNamedImports()) {
      const local = (specifier.getAliasNode() ?? specifier.getNameNode()) as Identifier;
      bind(local.getText(), aliasTarget(local), !ownNames.has(local.getText()));
    }
    const namespace = declaration.getNamespaceImport();
    if (namespace) {
      // `models.buildModel()` becomes `buildModel()`, pointing at the copied declaration.
      const exported = target.getExportedDeclarations();
      const sf = own.compilerNode;
      for (const access of namespaceAccesses(sf, namespace.getText())) {
        const name = access.name.text;
        const declarationNode = exported.get(name)?.[0];
        const start = access.getStart(sf);
        if (!declarationNode || ownNames.has(name) || sf.text.slice(start, access.name.end).includes('\n')) continue;
        bind(name, declarationNode, true);
        ownRewrites.push({ start, end: access.name.end, text: name });
      }
    }
  }

  for (const required of requires) {
    const statement = required.statement;
    blanks.push([statement.getStart(), statement.getEnd()]);
    for (const local of required.named) bind(local.getText(), aliasTarget(local), !ownNames.has(local.getText()));
    for (const local of required.whole) {
      const target = aliasTarget(local);
      // `module.exports = build`: the name stands for the declaration itself.
      if (target && declaredName(target)) {
        bind(local.getText(), target, !ownNames.has(local.getText()));
        continue;
      }
      // `module.exports = { build, … }`: `m.build()` becomes `build()`, pointing at the copied declaration.
      const sf = own.compilerNode;
      for (const access of namespaceAccesses(sf, local.getText())) {
        const name = access.name.text;
        const start = access.getStart(sf);
        if (ownNames.has(name) || sf.text.slice(start, access.name.end).includes('\n')) continue;
        const member = own.getDescendantAtPos(access.name.getStart(sf));
        const declarationNode = member && aliasTarget(member);
        if (!declarationNode || !declaredName(declarationNode)) continue;
        bind(name, declarationNode, true);
        ownRewrites.push({ start, end: access.name.end, text: name });
      }
    }
  }

  // What each copied statement mentions from its own module (or imports from the project) comes along,
  // and so do the statements that finish a copied variable (`model.add(...)` after `const model = ...`).
  const declarationsOf = new Map<SourceFile, Map<string, ts.Statement>>();
  const importsOf = new Map<SourceFile, Map<string, Identifier>>();
  while (queue.length > 0) {
    const [file, statement] = queue.shift()!;
    let names = declarationsOf.get(file);
    if (!names) declarationsOf.set(file, (names = topLevelDeclarations(file)));
    let imported = importsOf.get(file);
    if (!imported) importsOf.set(file, (imported = importedNames(file, files)));
    for (const text of identifiersIn(statement)) {
      const local = names.get(text);
      if (local && local !== statement) need(file, local);
      const binding = imported.get(text);
      if (binding) bind(text, aliasTarget(binding), true);
    }
    const declared = variableNames(statement);
    if (declared.size === 0) continue;
    for (const other of file.compilerNode.statements) {
      if (!TS.isExpressionStatement(other)) continue;
      const root = leftmostName(other.expression);
      if (root && declared.has(root)) need(file, other);
    }
  }

  const parts: string[] = [];
  const segments: Segment[] = [];
  let line = 0;
  // Dependencies of dependencies first: a declaration precedes what uses it.
  for (const entry of [...needed.values()].reverse()) {
    const lines = entry.file.getFullText().split('\n');
    const ranges: [number, number][] = [];
    // The module's own library imports (`import * as tf from '@tensorflow/tfjs'`) give the copied code its meaning.
    for (const declaration of entry.file.getImportDeclarations()) {
      if (!files.importTarget(declaration)) ranges.push([declaration.getStartLineNumber() - 1, declaration.getEndLineNumber() - 1]);
    }
    for (const statement of libraryRequires(entry.file, files)) ranges.push([statement.getStartLineNumber() - 1, statement.getEndLineNumber() - 1]);
    const sf = entry.file.compilerNode;
    for (const statement of entry.statements) ranges.push([sf.getLineAndCharacterOfPosition(statement.getStart(sf)).line, sf.getLineAndCharacterOfPosition(statement.end).line]);
    for (const [from, to] of mergeRanges(ranges)) {
      const renames = entry.renames.filter((r) => r.line >= from && r.line <= to);
      for (let at = from; at <= to; at++) parts.push(renameOnLine(lines[at] ?? '', renames.filter((r) => r.line === at)));
      const shifts: ColumnShift[] = renames.map((r) => ({ fileLine: r.line, column: r.column, oldLength: r.oldLength, newLength: r.text.length }))
        .filter((s) => s.oldLength !== s.newLength);
      segments.push({ programLine: line, lineCount: to - from + 1, file: entry.file.getFilePath(), fileLine: from, ...(shifts.length > 0 ? { shifts } : {}) });
      line += to - from + 1;
    }
  }
  const ownText = own.getFullText();
  const edits = [
    ...blanks.map(([start, end]) => ({ start, end, text: ownText.slice(start, end).replace(/[^\n]/g, ' ') })),
    ...ownRewrites,
  ].sort((a, b) => a.start - b.start);
  let text = '';
  let at = 0;
  for (const edit of edits) {
    if (edit.start < at) continue;
    text += ownText.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  text += ownText.slice(at);
  const shifts: ColumnShift[] = ownRewrites.map((r) => {
    const start = own.getLineAndColumnAtPos(r.start);
    return { fileLine: start.line - 1, column: start.column - 1, oldLength: r.end - r.start, newLength: r.text.length };
  }).sort((a, b) => a.fileLine - b.fileLine || a.column - b.column);
  segments.push({ programLine: line, lineCount: ownText.split('\n').length, file: ownPath, fileLine: 0, ...(shifts.length > 0 ? { shifts } : {}) });
  parts.push(text);
  return { text: parts.join('\n'), segments, dependencies: new Set(needed.keys()) };
}

/** The declaration an imported name stands for, through aliases and re-exports (the checker follows them). */
function aliasTarget(local: Node, depth = 0): Node | undefined {
  const symbol = local.getSymbol();
  const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
  const declaration = target?.getDeclarations().find((d) => !d.getSourceFile().isDeclarationFile());
  if (!declaration || depth > 8) return declaration;
  // CommonJS: `module.exports = { build }`, `{ make: build }` and `exports.make = build` name a declaration by its identifier.
  const compiler = declaration.compilerNode;
  const named = TS.isShorthandPropertyAssignment(compiler) ? compiler.name
    : TS.isPropertyAssignment(compiler) && TS.isIdentifier(compiler.initializer) ? compiler.initializer
      : TS.isBinaryExpression(compiler) && TS.isIdentifier(compiler.right) && TS.isPropertyAccessExpression(compiler.left) ? compiler.right
        : TS.isPropertyAccessExpression(compiler) && TS.isBinaryExpression(compiler.parent) && compiler.parent.left === compiler && TS.isIdentifier(compiler.parent.right) ? compiler.parent.right
          : undefined;
  if (!named) return declaration;
  const value = declaration.getSourceFile().getDescendantAtPos(named.getStart(declaration.getSourceFile().compilerNode));
  // A shorthand property's own symbol is the property: its value is the name's local declaration.
  if (TS.isShorthandPropertyAssignment(compiler)) {
    const local = value && declaration.getSourceFile().getLocal(named.text);
    return local?.getDeclarations().find((d) => !d.getSourceFile().isDeclarationFile()) ?? declaration;
  }
  return (value && aliasTarget(value, depth + 1)) ?? declaration;
}

/** The specifier of a `require('<string>')` call; undefined for any other node. */
export function requireSpecifier(node: ts.Node | undefined): string | undefined {
  if (!node || !TS.isCallExpression(node) || !TS.isIdentifier(node.expression) || node.expression.text !== 'require') return undefined;
  const [argument] = node.arguments;
  return argument && TS.isStringLiteralLike(argument) ? argument.text : undefined;
}

/** The top-level `const … = require(…)` statements of a file whose every declaration names a project file. */
function projectRequires(file: SourceFile, files: ProjectFiles): ProjectRequire[] {
  const out: ProjectRequire[] = [];
  for (const statement of file.getVariableStatements()) {
    const declarations = statement.getDeclarations();
    const required: ProjectRequire = { statement, named: [], whole: [] };
    const allProject = declarations.length > 0 && declarations.every((declaration) => {
      const specifier = requireSpecifier(declaration.getInitializer()?.compilerNode);
      if (specifier === undefined || !files.specifierTarget(specifier, file)) return false;
      const name = declaration.getNameNode();
      if (TS.isIdentifier(name.compilerNode)) required.whole.push(name as Identifier);
      else if (TS.isObjectBindingPattern(name.compilerNode)) {
        for (const element of (name as ObjectBindingPattern).getElements()) {
          const local = element.getNameNode();
          if (!TS.isIdentifier(local.compilerNode)) return false;
          required.named.push(local as Identifier);
        }
      } else return false;
      return true;
    });
    if (allProject) out.push(required);
  }
  return out;
}

/** The top-level `const tf = require('@tensorflow/tfjs')`-like statements of a file: requires of libraries, not of project files. */
function libraryRequires(file: SourceFile, files: ProjectFiles): VariableStatement[] {
  return file.getVariableStatements().filter((statement) => statement.getDeclarations().some((declaration) => {
    const specifier = requireSpecifier(declaration.getInitializer()?.compilerNode);
    return specifier !== undefined && !files.specifierTarget(specifier, file);
  }));
}

/** The statement directly in its source file that holds `node`, with that file. */
function topLevelStatement(node: Node): { file: SourceFile; statement: ts.Statement } | undefined {
  let at: ts.Node = node.compilerNode;
  while (at.parent && !TS.isSourceFile(at.parent)) at = at.parent;
  if (!at.parent) return undefined;
  // `export default <expression>` names nothing that can be copied under a name.
  if (TS.isExportAssignment(at)) return undefined;
  return { file: node.getSourceFile(), statement: at as ts.Statement };
}

/** The names of the identifiers in a statement (the statement's own words: what it may need from its module). */
function identifiersIn(statement: ts.Statement): Set<string> {
  const out = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (TS.isIdentifier(node)) out.add(node.text);
    else TS.forEachChild(node, visit);
  };
  visit(statement);
  return out;
}

/** `ns.X` property accesses whose object is the identifier `namespace`. */
function namespaceAccesses(sf: ts.SourceFile, namespace: string): (ts.PropertyAccessExpression & { name: ts.Identifier })[] {
  const out: (ts.PropertyAccessExpression & { name: ts.Identifier })[] = [];
  const visit = (node: ts.Node): void => {
    if (TS.isPropertyAccessExpression(node) && TS.isIdentifier(node.expression) && node.expression.text === namespace && TS.isIdentifier(node.name)) {
      out.push(node as ts.PropertyAccessExpression & { name: ts.Identifier });
    }
    TS.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The name node of a function, class or variable declaration. */
function declaredName(node: Node): Node | undefined {
  const compiler = node.compilerNode;
  if ((TS.isFunctionDeclaration(compiler) || TS.isClassDeclaration(compiler) || TS.isVariableDeclaration(compiler)) && compiler.name && TS.isIdentifier(compiler.name)) {
    return node.getChildren().find((c) => c.compilerNode === compiler.name);
  }
  return undefined;
}

/** Top-level function, class and variable names of a file, each with its statement. */
function topLevelDeclarations(file: SourceFile): Map<string, ts.Statement> {
  const out = new Map<string, ts.Statement>();
  for (const statement of file.compilerNode.statements) for (const name of declaredNames(statement)) out.set(name, statement);
  return out;
}

function topLevelNames(file: SourceFile): Set<string> {
  return new Set(topLevelDeclarations(file).keys());
}

function declaredNames(statement: ts.Statement): string[] {
  if ((TS.isFunctionDeclaration(statement) || TS.isClassDeclaration(statement)) && statement.name) return [statement.name.text];
  if (TS.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => (TS.isIdentifier(d.name) ? [d.name.text] : []));
  }
  return [];
}

function variableNames(statement: ts.Statement): Set<string> {
  return TS.isVariableStatement(statement) ? new Set(declaredNames(statement)) : new Set();
}

/** Local names a file binds by importing from the project, each with its binding identifier. */
function importedNames(file: SourceFile, files: ProjectFiles): Map<string, Identifier> {
  const out = new Map<string, Identifier>();
  for (const declaration of file.getImportDeclarations()) {
    if (!files.importTarget(declaration)) continue;
    const defaultImport = declaration.getDefaultImport();
    if (defaultImport) out.set(defaultImport.getText(), defaultImport);
    for (const specifier of declaration.getNamedImports()) {
      const local = (specifier.getAliasNode() ?? specifier.getNameNode()) as Identifier;
      out.set(local.getText(), local);
    }
  }
  for (const required of projectRequires(file, files)) for (const local of [...required.named, ...required.whole]) out.set(local.getText(), local);
  return out;
}

/** `model` in `model.add(...)`, `model.layers[0].trainable = false`, `await model.fit(...)`. */
function leftmostName(expression: ts.Expression): string | undefined {
  let at: ts.Node = expression;
  for (let depth = 0; depth < 64; depth++) {
    if (TS.isIdentifier(at)) return at.text;
    if (TS.isAwaitExpression(at) || TS.isParenthesizedExpression(at)) at = at.expression;
    else if (TS.isCallExpression(at) || TS.isPropertyAccessExpression(at) || TS.isElementAccessExpression(at)) at = at.expression;
    else if (TS.isBinaryExpression(at)) at = at.left;
    else return undefined;
  }
  return undefined;
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

function renameOnLine(text: string, renames: Rename[]): string {
  let out = text;
  for (const r of [...renames].sort((a, b) => b.column - a.column)) out = out.slice(0, r.column) + r.text + out.slice(r.column + r.oldLength);
  return out;
}
