/** Quick-fix edits a layer carries: removing an output activation, passing `training=self.training`. */
import type { SyntaxNode } from './syntax-tree.js';
import type { TextEdit } from '../core/findings.js';
import { deleteStatementLines, removeListElement, replaceCallWith } from './edits.js';
import type { LayerList } from './model-builder.js';
import { spanOf } from './node-queries.js';

/** `, training=self.training` before the closing parenthesis of a call made inside a method taking `self`. */
export function trainingEditInMethod(call: SyntaxNode): TextEdit | undefined {
  let node: SyntaxNode | null = call.parent;
  while (node && node.type !== 'function_definition') node = node.parent;
  const first = node?.childForFieldName('parameters')?.namedChildren[0];
  const args = call.childForFieldName('arguments');
  if (first?.text !== 'self' || !args || args.type !== 'argument_list') return undefined;
  const close = spanOf(args).end;
  const at = { line: close.line, character: close.character - 1 };
  const last = args.namedChildren[args.namedChildren.length - 1];
  const trailingComma = last !== undefined && args.text.replace(/\s+/g, '').endsWith(',)');
  return { span: { start: at, end: at }, newText: trailingComma ? ' training=self.training' : ', training=self.training' };
}

/** Output activations get the edits that remove them (quick fixes for FC101, FC103, FC106). */
export function attachRemoval(list: LayerList, output: number, lines: string[]): void {
  let index = output;
  while (index >= 0 && ['dropout', 'reshape'].includes(list.layers[index]!.kind) && list.layers[index]!.inputs.length === 1) {
    index = list.layers[index]!.inputs[0]!;
  }
  const layer = list.layers[index];
  const origin = list.origins.get(index);
  if (!layer || layer.kind !== 'activation' || !origin) return;
  let edit;
  switch (origin.type) {
    case 'element':
    case 'keyword':
      edit = removeListElement(origin.node, lines);
      break;
    case 'statement':
      edit = deleteStatementLines(origin.node);
      break;
    case 'wrap':
      edit = replaceCallWith(origin.node, origin.operand);
      break;
  }
  if (edit) layer.removal = [edit];
}
