/**
 * Text edits for quick fixes, computed by the tfjs front-end (which knows the syntax) and carried
 * in the facts: removing a layer or an option, wrapping a loop body in `tf.tidy`, adding `await`.
 */
import type { ts } from 'ts-morph';
import type { TextEdit } from '../core/findings.js';
import { TS } from './ts.js';
import type { SourceText } from './syntax.js';

/** Whether only whitespace (or a line comment) surrounds `[start, end)` on its lines. */
function aloneOnLines(src: SourceText, start: number, end: number): boolean {
  const before = src.text.slice(src.lineStarts[src.lineOf(start)]!, start);
  const lineEnd = src.text.indexOf('\n', end);
  const after = src.text.slice(end, lineEnd === -1 ? src.text.length : lineEnd).replace(/\r$/, '');
  return before.trim() === '' && (after.trim() === '' || after.trim().startsWith('//'));
}

function deleteLines(src: SourceText, start: number, end: number): TextEdit {
  const first = src.lineOf(start);
  const last = src.lineOf(end);
  return { span: { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } }, newText: '' };
}

/**
 * Removes one element of a comma-separated list (array elements, object properties, arguments)
 * with its comma, or its whole lines when it sits on lines of its own.
 */
export function removeListElement(src: SourceText, list: ts.NodeArray<ts.Node>, element: ts.Node): TextEdit | undefined {
  const index = list.indexOf(element);
  if (index < 0) return undefined;
  const start = src.start(element);
  let end = element.end;
  const comma = /^\s*,/.exec(src.text.slice(end, end + 200));
  if (comma) end += comma[0].length;
  if (aloneOnLines(src, start, end)) return deleteLines(src, start, end);
  const next = list[index + 1];
  if (next) return { span: src.range(start, src.start(next)), newText: '' };
  const previous = list[index - 1];
  if (previous) return { span: src.range(previous.end, element.end), newText: '' };
  return { span: src.range(start, end), newText: '' };
}

/** Deletes a statement: its whole lines when it is alone on them. */
export function deleteStatement(src: SourceText, statement: ts.Statement): TextEdit {
  const start = src.start(statement);
  if (aloneOnLines(src, start, statement.end)) return deleteLines(src, start, statement.end);
  return { span: src.range(start, statement.end), newText: '' };
}

/** Replaces a node's text. */
export function replaceNode(src: SourceText, node: ts.Node, newText: string): TextEdit {
  return { span: src.span(node), newText };
}

/** Inserts text before a node. */
export function insertBefore(src: SourceText, node: ts.Node, text: string): TextEdit {
  const at = src.pos(src.start(node));
  return { span: { start: at, end: at }, newText: text };
}

/** Offsets covered by template literals that span lines (re-indenting inside them would change the string). */
function multilineTemplates(src: SourceText, node: ts.Node): [number, number][] {
  const ranges: [number, number][] = [];
  const visit = (n: ts.Node, depth: number): void => {
    if (depth > 400) return;
    if ((TS.isTemplateExpression(n) || TS.isNoSubstitutionTemplateLiteral(n)) && src.nodeText(n).includes('\n')) {
      ranges.push([src.start(n), n.end]);
      return;
    }
    TS.forEachChild(n, (c) => visit(c, depth + 1));
  };
  visit(node, 0);
  return ranges;
}

/**
 * Wraps the statements of a block in `<tidy>(() => { ... });`, re-indenting them one level.
 * A block on one line is wrapped in place.
 */
export function wrapBlockInTidy(src: SourceText, block: ts.Block, tidy: string): TextEdit[] | undefined {
  if (block.statements.length === 0) return undefined;
  const open = src.start(block);
  const close = block.end - 1;
  if (src.text[open] !== '{' || src.text[close] !== '}') return undefined;
  const openLine = src.lineOf(open);
  const closeLine = src.lineOf(close);
  const afterOpen = src.text.slice(open + 1, src.lineStarts[openLine + 1] ?? src.text.length);
  const beforeClose = src.text.slice(src.lineStarts[closeLine]!, close);
  if (closeLine <= openLine + 1 || afterOpen.trim() !== '' || beforeClose.trim() !== '') {
    const inner = src.text.slice(open + 1, close).trim();
    return [{ span: src.range(open + 1, close), newText: ` ${tidy}(() => { ${inner} }); ` }];
  }
  const outer = src.indentOf(closeLine);
  const firstInner = src.lineOf(src.start(block.statements[0]!));
  const innerIndent = src.indentOf(firstInner);
  const unit = innerIndent.startsWith(outer) && innerIndent.length > outer.length ? innerIndent.slice(outer.length) : '  ';
  const templates = multilineTemplates(src, block);
  const lines: string[] = [];
  for (let line = openLine + 1; line < closeLine; line++) {
    const text = src.line(line);
    const lineStart = src.lineStarts[line]!;
    const insideTemplate = templates.some(([s, e]) => lineStart > s && lineStart < e);
    lines.push(text.trim() === '' || insideTemplate ? text : `${unit}${text}`);
  }
  const eol = src.text.includes('\r\n') ? '\r\n' : '\n';
  const newText = `${outer}${unit}${tidy}(() => {${eol}${lines.map((l) => `${l}${eol}`).join('')}${outer}${unit}});${eol}`;
  return [{ span: { start: { line: openLine + 1, character: 0 }, end: { line: closeLine, character: 0 } }, newText }];
}
