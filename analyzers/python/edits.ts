/**
 * Text edits for quick fixes, computed by the Python front-end (which knows the syntax) and
 * carried in the facts, so rules can offer fixes without seeing syntax trees.
 */
import type { SyntaxNode } from './syntax-tree.js';
import type { TextEdit } from '../core/findings.js';
import type { Pos } from '../core/span.js';
import { callArgs, spanOf, unparen } from './node-queries.js';

/** Where to insert a new statement before the statement at `node`, and with which indentation. */
export interface InsertionPoint {
  line: number;
  indent: string;
}

/** The statement (child of a block or the module) that contains `node`. */
export function enclosingStatement(node: SyntaxNode): SyntaxNode | undefined {
  let current: SyntaxNode | null = node;
  while (current?.parent && current.parent.type !== 'block' && current.parent.type !== 'module') current = current.parent;
  return current ?? undefined;
}

/** Insertion point before the statement holding `node`. */
export function insertionBefore(node: SyntaxNode): InsertionPoint | undefined {
  const statement = enclosingStatement(node);
  if (!statement) return undefined;
  return { line: statement.startPosition.row, indent: ' '.repeat(statement.startPosition.column) };
}

/** An edit inserting `code` as a new line at an insertion point. */
export function insertLine(point: InsertionPoint, code: string): TextEdit {
  const at: Pos = { line: point.line, character: 0 };
  return { span: { start: at, end: at }, newText: `${point.indent}${code}\n` };
}

/** An edit deleting the whole lines of a statement. */
export function deleteStatementLines(statement: SyntaxNode): TextEdit {
  return {
    span: { start: { line: statement.startPosition.row, character: 0 }, end: { line: statement.endPosition.row + 1, character: 0 } },
    newText: '',
  };
}

/** An edit adding `keyword=value` as the last argument of a call. */
export function addKeywordArgument(call: SyntaxNode, keyword: string, value: string): TextEdit | undefined {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return undefined;
  const existing = callArgs(call).keywords.get(keyword);
  if (existing) return { span: spanOf(existing), newText: value };
  const close = list.lastChild;
  if (!close || close.type !== ')') return undefined;
  const named = list.namedChildren.filter((n) => n && n.type !== 'comment');
  const last = list.children[list.childCount - 2];
  const needsComma = named.length > 0 && last?.type !== ',';
  const at = spanOf(close).start;
  return { span: { start: at, end: at }, newText: `${needsComma ? ', ' : ''}${keyword}=${value}` };
}

/**
 * Edits that remove one element of a comma-separated list (`nn.Sequential(a, b, c)`, `[a, b]`),
 * together with its comma, or whole lines when the element sits on lines of its own.
 */
export function removeListElement(element: SyntaxNode, lines: string[]): TextEdit | undefined {
  const parent = element.parent;
  if (!parent) return undefined;
  const next = element.nextSibling;
  const previous = element.previousSibling;
  const endNode = next?.type === ',' ? next : element;
  const startNode = next?.type === ',' ? element : previous?.type === ',' ? previous : element;
  const start = spanOf(startNode).start;
  const end = spanOf(endNode).end;
  // Alone on its line(s): remove the lines (and a trailing comment such as `# expect: ...`).
  const before = (lines[start.line] ?? '').slice(0, start.character);
  const after = (lines[end.line] ?? '').slice(end.character);
  if (startNode === element && before.trim() === '' && (after.trim() === '' || after.trim().startsWith('#'))) {
    return { span: { start: { line: start.line, character: 0 }, end: { line: end.line + 1, character: 0 } }, newText: '' };
  }
  return { span: { start, end }, newText: '' };
}

/** Replace a call by one of its operands: `F.softmax(x, dim=1)` → `x`, `x.softmax(1)` → `x`. */
export function replaceCallWith(call: SyntaxNode, operand: SyntaxNode): TextEdit {
  return { span: spanOf(call), newText: unparen(operand).text };
}
