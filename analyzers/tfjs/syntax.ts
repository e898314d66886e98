/** Small syntax helpers over TypeScript compiler nodes: spans, unwrapping, literals, object options. */
import type { ts } from 'ts-morph';
import type { Pos, Span } from '../core/span.js';
import { TS } from './ts.js';

export type FunctionLike =
  | ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration
  | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  switch (node.kind) {
    case TS.SyntaxKind.FunctionDeclaration:
    case TS.SyntaxKind.FunctionExpression:
    case TS.SyntaxKind.ArrowFunction:
    case TS.SyntaxKind.MethodDeclaration:
    case TS.SyntaxKind.Constructor:
    case TS.SyntaxKind.GetAccessor:
    case TS.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

export type LoopStatement = ts.ForStatement | ts.ForOfStatement | ts.ForInStatement | ts.WhileStatement | ts.DoStatement;

export function isLoop(node: ts.Node): node is LoopStatement {
  switch (node.kind) {
    case TS.SyntaxKind.ForStatement:
    case TS.SyntaxKind.ForOfStatement:
    case TS.SyntaxKind.ForInStatement:
    case TS.SyntaxKind.WhileStatement:
    case TS.SyntaxKind.DoStatement:
      return true;
    default:
      return false;
  }
}

/** Positions in the analysed text (UTF-16 code units, 0-based lines, as LSP counts them). */
export class SourceText {
  readonly lineStarts: readonly number[];

  constructor(readonly sf: ts.SourceFile, readonly text: string) {
    this.lineStarts = sf.getLineStarts();
  }

  pos(offset: number): Pos {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - starts[low]! };
  }

  /** The node without its leading trivia. */
  span(node: ts.Node): Span {
    return { start: this.pos(node.getStart(this.sf)), end: this.pos(node.end) };
  }

  range(start: number, end: number): Span {
    return { start: this.pos(start), end: this.pos(end) };
  }

  start(node: ts.Node): number {
    return node.getStart(this.sf);
  }

  nodeText(node: ts.Node): string {
    return this.text.slice(node.getStart(this.sf), node.end);
  }

  lineOf(offset: number): number {
    return this.pos(offset).line;
  }

  /** The text of a 0-based line, without its line break. */
  line(line: number): string {
    const start = this.lineStarts[line] ?? this.text.length;
    const end = this.lineStarts[line + 1] ?? this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, '');
  }

  /** The leading whitespace of a line. */
  indentOf(line: number): string {
    return /^[ \t]*/.exec(this.line(line))![0];
  }
}

/** Strips parentheses, type assertions, `!` and `satisfies` (not `await`). */
export function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (TS.isParenthesizedExpression(current) || TS.isAsExpression(current) || TS.isNonNullExpression(current) ||
      TS.isTypeAssertionExpression(current) || TS.isSatisfiesExpression(current)) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

/** The parent of an expression, skipping the wrappers {@link unwrap} strips; `node` becomes the outermost wrapper. */
export function outerContext(node: ts.Expression): { node: ts.Expression; parent: ts.Node } {
  let current: ts.Expression = node;
  for (;;) {
    const parent = current.parent;
    if (parent && (TS.isParenthesizedExpression(parent) || TS.isAsExpression(parent) || TS.isNonNullExpression(parent) ||
      TS.isTypeAssertionExpression(parent) || TS.isSatisfiesExpression(parent))) {
      current = parent;
    } else {
      return { node: current, parent };
    }
  }
}

/** The name of a property, when it is written literally. */
export function propertyName(name: ts.PropertyName | ts.MemberName | undefined): string | undefined {
  if (!name) return undefined;
  if (TS.isIdentifier(name) || TS.isPrivateIdentifier(name) || TS.isStringLiteral(name) || TS.isNumericLiteral(name) ||
    TS.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/** A property of an object literal: its whole element (for removal) and its value. Later ones win, as in JavaScript. */
export function objectProperty(object: ts.ObjectLiteralExpression, key: string): { element: ts.ObjectLiteralElementLike; value: ts.Expression } | undefined {
  let found: { element: ts.ObjectLiteralElementLike; value: ts.Expression } | undefined;
  for (const element of object.properties) {
    if (TS.isPropertyAssignment(element) && propertyName(element.name) === key) found = { element, value: element.initializer };
    else if (TS.isShorthandPropertyAssignment(element) && element.name.text === key) found = { element, value: element.name };
    else if (TS.isMethodDeclaration(element) && propertyName(element.name) === key) found = undefined;
  }
  return found;
}

/** The callee's last name: `fit` in `model.fit(...)`, `tidy` in `tidy(...)`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (TS.isIdentifier(callee)) return callee.text;
  if (TS.isPropertyAccessExpression(callee)) return callee.name.text;
  if (TS.isElementAccessExpression(callee) && TS.isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression.text;
  return undefined;
}

/** The receiver of a method call (`model` in `model.fit(...)`). */
export function receiverOf(call: ts.CallExpression): ts.Expression | undefined {
  const callee = unwrap(call.expression);
  if (TS.isPropertyAccessExpression(callee) || TS.isElementAccessExpression(callee)) return callee.expression;
  return undefined;
}

/** The nearest function-like ancestor of a node. */
export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let p = node.parent; p; p = p.parent) if (isFunctionLike(p)) return p;
  return undefined;
}

export function isAsync(fn: FunctionLike): boolean {
  return !!fn.modifiers?.some((m) => m.kind === TS.SyntaxKind.AsyncKeyword);
}

/** The statement holding `node` (a child of a block, a case clause or the file). */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && !TS.isBlock(current.parent) && !TS.isSourceFile(current.parent) && !TS.isCaseClause(current.parent) &&
    !TS.isDefaultClause(current.parent) && !TS.isModuleBlock(current.parent)) {
    current = current.parent;
  }
  return current.parent ? current as ts.Statement : undefined;
}

/** Visits `node` and its descendants depth-first, in source order; `visit` returns false to skip a subtree. */
export function walk(node: ts.Node, visit: (node: ts.Node) => boolean | void, maxDepth = 600): void {
  const step = (n: ts.Node, depth: number): void => {
    if (depth > maxDepth) return;
    if (visit(n) === false) return;
    TS.forEachChild(n, (child) => step(child, depth + 1));
  };
  step(node, 0);
}

export function isAncestor(ancestor: ts.Node, node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

/** A function written as an argument of a call (a callback), which runs where the call runs. */
export function isCallArgument(fn: ts.Node): boolean {
  const { parent } = outerContext(fn as ts.Expression);
  return !!parent && (TS.isCallExpression(parent) || TS.isNewExpression(parent)) && parent.expression !== fn;
}

export function enclosingLoop(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (isLoop(p)) return true;
    if (isFunctionLike(p) && !isCallArgument(p)) return false;
  }
  return false;
}

export function isAssignmentTarget(id: ts.Identifier): boolean {
  const { node, parent } = outerContext(id);
  return !!parent && TS.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === TS.SyntaxKind.EqualsToken;
}
