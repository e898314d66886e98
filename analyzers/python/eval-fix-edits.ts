/** Where the evaluation quick fixes put `model.eval()` and `with torch.no_grad():`. */
import type { SyntaxNode } from './syntax-tree.js';
import type { TextEdit } from '../core/findings.js';
import { enclosingStatement, insertLine } from './edits.js';

/**
 * Where `model.eval()` belongs for an evaluation call: the outermost statement around it, in the
 * same function, that holds no training step (so `with torch.no_grad():` inside an epoch loop, not the loop).
 */
export function topStatement(node: SyntaxNode): SyntaxNode | undefined {
  let statement = enclosingStatement(node);
  while (statement) {
    const owner = statement.parent?.type === 'block' ? statement.parent.parent : undefined;
    if (!owner || owner.type === 'function_definition' || owner.type === 'class_definition') return statement;
    const ownerStatement = owner.type.endsWith('_clause') ? owner.parent : owner;
    if (!ownerStatement || /\.backward\s*\(/.test(ownerStatement.text)) return statement;
    statement = ownerStatement;
  }
  return undefined;
}

/** Edits wrapping a statement in `with <context>:` (indenting its lines by four spaces). */
export function wrapInWith(statement: SyntaxNode, context: string, lines: string[]): TextEdit[] {
  const indent = ' '.repeat(statement.startPosition.column);
  const edits: TextEdit[] = [insertLine({ line: statement.startPosition.row, indent }, `with ${context}:`)];
  for (let line = statement.startPosition.row; line <= statement.endPosition.row; line++) {
    if ((lines[line] ?? '').trim() === '') continue;
    const at = { line, character: 0 };
    edits.push({ span: { start: at, end: at }, newText: '    ' });
  }
  return edits;
}
