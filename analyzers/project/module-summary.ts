/**
 * What one Python module offers the project and asks of it: its top-level definitions (with the names
 * they mention) and its import statements, read from one parse and cached by text.
 */
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

export interface ModuleSummary {
  /** Definitions by name; the last binding wins, as in Python. */
  definitions: Map<string, TopLevelDefinition>;
  imports: ImportStatement[];
  lines: string[];
}

const IDENTIFIER = /[A-Za-z_]\w*/g;

/** Reads the summary from a parsed module (its `module` node) and the text it was parsed from. */
export function summarizeModule(root: SyntaxNode, text: string): ModuleSummary {
  const definitions = new Map<string, TopLevelDefinition>();
  const lines = text.split('\n');
  const define = (name: string, kind: TopLevelDefinition['kind'], node: SyntaxNode) => {
    const startLine = node.startPosition.row;
    // A node ending at column 0 ends on the line before (tree-sitter puts a block's end after its newline).
    const endLine = node.endPosition.column === 0 && node.endPosition.row > startLine ? node.endPosition.row - 1 : node.endPosition.row;
    definitions.set(name, { name, kind, startLine, endLine, mentions: new Set(node.text.match(IDENTIFIER) ?? []) });
  };
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'class_definition' || definition?.type === 'function_definition') {
      const name = definition.childForFieldName('name')?.text;
      if (name) define(name, definition.type === 'class_definition' ? 'class' : 'function', statement);
      continue;
    }
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    // `A = B = x` and tuple targets are rare at module level; plain names carry constants, configs and instances.
    if (left?.type === 'identifier' && assignment?.childForFieldName('right')) define(left.text, 'assignment', statement);
  }
  const imports: ImportStatement[] = [];
  for (const node of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (node) imports.push(...readImport(node, node.parent?.type === 'module'));
  }
  return { definitions, imports, lines };
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
