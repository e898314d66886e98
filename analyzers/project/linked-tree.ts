/**
 * The syntax tree of a linked program, assembled from the trees of the modules it copies from instead
 * of parsing the program again: the copied definitions' statements are taken over from their modules'
 * one-shot copies, the module's own statements from its own, and only the statements the linker edited
 * (stubbed imports, rewritten names) are parsed: inside a function or class, only the nested statement
 * holding the edit. Equal to a parse of the program's text when every
 * piece is free of errors; otherwise undefined, and the caller parses.
 */
import { assembledTree, editedPieces, type MirrorTree, type TreePiece } from '../python/syntax-tree.js';
import type { LinkedProgram } from './linked-program.js';

/** `own`: the module's one-shot copy (of its text as written); `treeOf`: a project file's, for its current text. */
export function linkedTree(program: LinkedProgram, own: MirrorTree, treeOf: (file: string) => MirrorTree | undefined, copy: (text: string) => MirrorTree): MirrorTree | undefined {
  const origin = program.origin;
  if (!origin) return undefined;
  const pieces: TreePiece[] = [];
  for (const { file, from, to, at } of origin.copies) {
    const source = treeOf(file);
    if (!source) return undefined;
    pieces.push({ source, from, to, at });
  }
  const ownPieces = editedPieces(own, origin.ownEdits, program.text, origin.ownAt, copy);
  return ownPieces ? assembledTree([...pieces, ...ownPieces], program.text) : undefined;
}
