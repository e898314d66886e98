/**
 * Splits a module into groups of top-level statements that share no names, so that an open document's
 * facts can be worked out group by group and an edit re-analyses only the group it touches. Imports
 * belong to every group. Two statements land in one group when one mentions a name the other binds at
 * module level (by the text: a name in a comment or string counts too, which only makes groups larger),
 * when they bind the same name, when they share a line, or when both are module-level code (read as one
 * script); a statement with a syntax error joins the statements after it up to a sound definition or
 * import at the margin (error recovery reads on: those after it are pieces, not what they seem) and
 * that one, and the statement before it unless that is a sound definition at the margin, which recovery
 * does not reach back into; a function or class at the margin holding the error is read on its own, its
 * error within it. Names a function or class defines inside itself are its own,
 * as in Python: the whole-file analysis (one-shot lints) also links a nested `def evaluate` to calls
 * elsewhere by name.
 */
import type { Stretch, SyntaxNode } from './syntax-tree.js';

/** What one top-level statement binds and mentions; worked out once per statement (see {@link groupStatements}). */
export interface StatementNames {
  /** Names it binds at module level, or that the whole-file analysis reads file-wide (nested functions, classes, imports). */
  binds: string[];
  /** Every name its text mentions. */
  mentions: string[];
  /** Holds a syntax error. */
  broken: boolean;
  /** Text error recovery could not place in a statement (a top-level `ERROR` node). */
  stray: boolean;
  /** An import statement: copied into every group. */
  isImport: boolean;
  /** A function or class definition (other statements are script code, read in order as one group). */
  isDefinition: boolean;
}

/** Whole lines of the file: one or more top-level statements that share lines. */
export interface StatementUnit {
  /** Its place among the module's units: neighbours in a group are copied with the lines between them. */
  index: number;
  /** The module's last unit: copied with the comments after it. */
  last: boolean;
  /** Its statements' node ids. */
  ids: number[];
  /** First and last line (0-based) and the offsets of the start of the first and the end of the last (before its newline). */
  firstLine: number;
  lastLine: number;
  start: number;
  end: number;
}

/** A part of the module to analyse on its own: its units, imports included, in file order. */
export type StatementGroup = StatementUnit[];

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);
const DEFINITIONS = ['function_definition', 'class_definition'];
/** A name as written, not as an attribute (`x.train` does not mention a global `train`). */
const NAME = /(?<!\w)(?<!\.\s*)[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The groups of `root`'s statements. `names` caches {@link StatementNames} by statement node id (an
 * open document's copy keeps a statement's id, and its text, while edits elsewhere take it over); the
 * entries this module still uses are moved to `usedNames`, so the cache never outgrows the file.
 */
export function groupStatements(root: SyntaxNode, text: string, names: Map<number, StatementNames>, usedNames: Map<number, StatementNames>): StatementGroup[] {
  return groupModule(root, text, names, usedNames).groups;
}

/** A module's groups, and what tells whether the next version of the module groups alike (see {@link groupModule}). */
export interface Grouping {
  groups: StatementGroup[];
  /** Each group's units, by index. */
  members: number[][];
  /** Each unit's statements' names, and whether it starts indented. */
  units: { names: StatementNames[]; indented: boolean }[];
  /** The names that join units: bound at module level by a statement that is neither a shared import nor stray. */
  linking: ReadonlySet<string>;
}

/**
 * {@link groupStatements}, also returning what the next call needs: given `previous`, the grouping of
 * the version before an edit, the statements are grouped as before without working the groups out
 * again when every unit holds as many statements, alike in all that decides the groups (the same
 * names, or for a statement parsed again the same binds, flags, and mentions of the names that join
 * units) — typing inside a function leaves the groups as they were.
 */
export function groupModule(root: SyntaxNode, text: string, names: Map<number, StatementNames>, usedNames: Map<number, StatementNames>, previous?: Grouping): Grouping {
  const units: (StatementUnit & { names: StatementNames[]; indented: boolean })[] = [];
  for (const statement of root.namedChildren) {
    if (statement.type === 'comment') continue;
    const info = names.get(statement.id) ?? statementNames(statement);
    usedNames.set(statement.id, info);
    const first = statement.startPosition.row;
    let last = statement.endPosition.row;
    let end = statement.endIndex;
    // A statement ending with its newline ends on the line before.
    if (last > first && statement.endPosition.column === 0) {
      last--;
      end--;
    }
    const lineEnd = text.indexOf('\n', end);
    end = lineEnd === -1 ? text.length : lineEnd;
    const previousUnit = units.at(-1);
    if (previousUnit && first <= previousUnit.lastLine) {
      previousUnit.lastLine = Math.max(previousUnit.lastLine, last);
      previousUnit.end = Math.max(previousUnit.end, end);
      previousUnit.names.push(info);
      previousUnit.ids.push(statement.id);
      continue;
    }
    const column = statement.startPosition.column;
    units.push({ index: units.length, last: false, ids: [statement.id], firstLine: first, lastLine: last, start: statement.startIndex - column, end, names: [info], indented: column > 0 });
  }
  if (units.length > 0) units[units.length - 1]!.last = true;
  if (previous && groupsAlike(previous, units)) {
    return { groups: previous.members.map((list) => list.map((i) => units[i]!)), members: previous.members, units, linking: previous.linking };
  }
  const { members, linking } = partition(units);
  return { groups: members.map((list) => list.map((i) => units[i]!)), members, units, linking };
}

/** Whether `units` group as `previous`'s did: see {@link groupModule}. */
function groupsAlike(previous: Grouping, units: readonly { names: StatementNames[]; indented: boolean }[]): boolean {
  if (previous.units.length !== units.length) return false;
  for (let i = 0; i < units.length; i++) {
    const before = previous.units[i]!;
    const now = units[i]!;
    if (before.indented !== now.indented || before.names.length !== now.names.length) return false;
    for (let k = 0; k < now.names.length; k++) {
      if (before.names[k] !== now.names[k] && !namesAlike(before.names[k]!, now.names[k]!, previous.linking)) return false;
    }
  }
  return true;
}

/** Whether two statements' names decide the groups alike: binds and flags, and their mentions of the names in `linking`. */
function namesAlike(a: StatementNames, b: StatementNames, linking: ReadonlySet<string>): boolean {
  if (a.broken !== b.broken || a.stray !== b.stray || a.isImport !== b.isImport || a.isDefinition !== b.isDefinition) return false;
  if (a.binds.length !== b.binds.length || a.binds.some((name, i) => name !== b.binds[i])) return false;
  const linked = (names: StatementNames) => names.mentions.filter((name) => linking.has(name));
  const x = linked(a);
  const y = linked(b);
  return x.length === y.length && x.every((name, i) => name === y[i]);
}

/** Each group's units by index, in file order with the shared imports merged in, and the names that joined units. */
function partition(units: readonly (StatementUnit & { names: StatementNames[]; indented: boolean })[]): { members: number[][]; linking: ReadonlySet<string> } {
  const shared = units.map((u) => u.names.every((n) => n.isImport && !n.broken));
  // Names the shared imports bind are the same in every group: using one joins nothing.
  const imported = new Set<string>();
  units.forEach((u, i) => {
    if (shared[i]) for (const n of u.names) for (const name of n.binds) imported.add(name);
  });

  const parent = units.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const join = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  // Error recovery can break a function into pieces at module level: after a statement with a syntax
  // error, up to the next sound definition or import at the margin, statements are not what they seem
  // (an indented one always is a piece). They bind nothing and are read as one group with the statements
  // on either side, but for a sound definition at the margin before them.
  const broken = units.map((u) => u.names.some((n) => n.broken));
  const stray = units.map(() => false);
  const sound = units.map(() => false);
  let inStray = false;
  units.forEach((u, i) => {
    const definitionOrImport = u.names.every((n) => n.isDefinition || n.isImport);
    sound[i] = definitionOrImport && !broken[i] && !u.indented;
    if (sound[i]) inStray = false;
    stray[i] = inStray || u.indented || (broken[i]! && !definitionOrImport);
    if (broken[i]) inStray = true;
  });
  const binder = new Map<string, number>();
  units.forEach((u, i) => {
    if (shared[i]) return;
    for (const n of u.names) {
      // What is not what it seems binds nothing, but for a sound import sharing a line with broken code: it imports.
      if (stray[i] && !(n.isImport && !n.broken)) continue;
      for (const name of n.binds) {
        if (imported.has(name)) continue;
        const other = binder.get(name);
        if (other === undefined) binder.set(name, i);
        else join(other, i);
      }
    }
  });
  let previous = -1;
  let script = -1;
  units.forEach((u, i) => {
    if (shared[i]) return;
    // Module-level code is read as one script: rules look at the statements before and after a loop.
    if (!stray[i] && !u.names.every((n) => n.isDefinition)) {
      if (script >= 0) join(script, i);
      script = i;
    }
    for (const n of u.names) {
      for (const name of n.mentions) {
        const other = binder.get(name);
        if (other !== undefined) join(other, i);
      }
    }
    if (previous >= 0 && (stray[i] || stray[previous]) && !sound[previous]) join(previous, i);
    // Code with a syntax error is read with the statement after it (error recovery reads on), and with the one
    // before it but for a sound definition at the margin. A function or class at the margin holding the error is read alone.
    if (broken[i] && (stray[i] || !u.names.every((n) => n.isDefinition))) {
      if (previous >= 0 && !sound[previous]) join(previous, i);
      const next = shared.indexOf(false, i + 1);
      if (next >= 0) join(i, next);
    }
    previous = i;
  });

  const members = new Map<number, number[]>();
  units.forEach((_, i) => {
    if (shared[i]) return;
    const root = find(i);
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  });
  const importIndexes = units.map((_, i) => i).filter((i) => shared[i]);
  const linking = new Set(binder.keys());
  // A module of imports alone is still read (for its frameworks).
  if (members.size === 0) return { members: [importIndexes], linking };
  return {
    members: [...members.values()].map((list) => {
      const group: number[] = [];
      let s = 0;
      let m = 0;
      // Merge the imports and the members back into file order.
      while (s < importIndexes.length || m < list.length) {
        const takeImport = m >= list.length || (s < importIndexes.length && importIndexes[s]! < list[m]!);
        group.push(takeImport ? importIndexes[s++]! : list[m++]!);
      }
      return group;
    }),
    linking,
  };
}

/** A group's program: its text, and where each of its runs of lines sits in the file. */
export interface GroupProgram {
  text: string;
  /** The stretches of the file's text the program is made of, where each starts in the program. */
  stretches: Stretch[];
}

/**
 * A group's identity while its document is edited: the ids of its statements, unit by unit, and
 * whether it holds the module's last unit. A statement keeps its id only while edits leave it and its
 * neighbours alone (see spliceTree), so the same identity means the same program text, gaps between
 * neighbouring units included. Written into `into` (cleared first); returns a hash of it to look it up by.
 */
export function groupIdentity(group: StatementGroup, into: number[]): number {
  into.length = 0;
  // FNV-1a over the ids, with -1 closing each unit and -2 marking the last.
  let hash = 0x811c9dc5;
  const add = (value: number) => {
    into.push(value);
    hash = Math.imul(hash ^ value, 0x01000193);
  };
  for (const unit of group) {
    for (const id of unit.ids) add(id);
    add(-1);
  }
  if (group.at(-1)?.last) add(-2);
  return hash;
}

/**
 * Calls `visit` with [first line in the program, first line in the file] of each of a group's runs of
 * neighbouring units, in order, until it returns false; returns whether every call returned true.
 */
function eachSegment(group: StatementGroup, visit: (programLine: number, fileLine: number) => boolean): boolean {
  let line = 0;
  let shift = 0;
  let previous: StatementUnit | undefined;
  for (const unit of group) {
    if (!previous || previous.index + 1 !== unit.index) {
      if (!visit(line, unit.firstLine)) return false;
      shift = line - unit.firstLine;
    }
    line = unit.lastLine + shift + 1;
    previous = unit;
  }
  return true;
}

/** Where a group's runs of neighbouring units sit: [first line in its program, first line in the file] per run. */
export function groupSegments(group: StatementGroup): [number, number][] {
  const segments: [number, number][] = [];
  eachSegment(group, (programLine, fileLine) => segments.push([programLine, fileLine]) > 0);
  return segments;
}

/** Whether {@link groupSegments} of `group` would be `segments` (compared without building them: most groups do not move). */
export function hasSegments(group: StatementGroup, segments: readonly [number, number][]): boolean {
  let count = 0;
  const same = eachSegment(group, (programLine, fileLine) => {
    const segment = segments[count++];
    return segment !== undefined && segment[0] === programLine && segment[1] === fileLine;
  });
  return same && count === segments.length;
}

/**
 * The program of one group: its units' lines one after the other, with the blank lines and comments
 * between neighbouring units as in the file (a group holding every statement is the file itself, bar
 * comments before the first).
 */
export function groupProgram(group: StatementGroup, text: string): GroupProgram {
  const pieces: string[] = [];
  const stretches: Stretch[] = [];
  let length = 0;
  const push = (piece: string) => {
    pieces.push(piece);
    length += piece.length;
  };
  let previous: StatementGroup[number] | undefined;
  for (const unit of group) {
    if (previous && previous.index + 1 === unit.index) {
      push(text.slice(previous.end, unit.end));
      stretches.at(-1)!.to = unit.end;
    } else {
      if (previous) push('\n');
      stretches.push({ from: unit.start, to: unit.end, at: length });
      push(text.slice(unit.start, unit.end));
    }
    previous = unit;
  }
  // After the module's last statement, its comments (a directive) and whatever error recovery left.
  if (previous?.last) {
    push(text.slice(previous.end));
    stretches.at(-1)!.to = text.length;
  } else push('\n');
  return { text: pieces.join(''), stretches };
}

/** The names one top-level statement binds and mentions. */
function statementNames(statement: SyntaxNode): StatementNames {
  let mentions = [...new Set(statement.text.match(NAME) ?? [])];
  const broken = statement.type === 'ERROR' || statement.descendantsOfType('ERROR').length > 0;
  if (IMPORT_TYPES.has(statement.type)) return { binds: importedNames(statement), mentions, broken, stray: false, isImport: true, isDefinition: false };
  const binds = new Set<string>();
  const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
  const isDefinition = !!definition && DEFINITIONS.includes(definition.type);
  if (isDefinition) {
    const name = definition!.childForFieldName('name')?.text;
    if (name) binds.add(name);
    // A function's own names are not the module's: `def f(model)` mentions no module-level `model`.
    if (definition!.type === 'function_definition') {
      const locals = functionLocals(definition!);
      mentions = mentions.filter((m) => !locals.has(m));
    }
  } else {
    for (const node of statement.descendantsOfType(['assignment', 'augmented_assignment', 'for_statement', 'named_expression', 'as_pattern', 'global_statement'])) {
      if (insideScope(node, statement)) continue;
      const target = node.type === 'named_expression' ? node.childForFieldName('name')
        : node.type === 'as_pattern' ? node.childForFieldName('alias')
          : node.type === 'global_statement' ? node : node.childForFieldName('left');
      if (target) for (const name of boundNames(target)) binds.add(name);
    }
  }
  // Functions, classes and imports in a module-level block (`if`, `try`) bind module-level names; inside a
  // function or class they are that scope's own.
  for (const node of statement.descendantsOfType([...DEFINITIONS, 'import_statement', 'import_from_statement', 'global_statement'])) {
    if (node.id === definition?.id) continue;
    if (node.type === 'global_statement') for (const name of boundNames(node)) binds.add(name);
    else if (isDefinition || insideScope(node, statement)) continue;
    else if (IMPORT_TYPES.has(node.type)) for (const name of importedNames(node)) binds.add(name);
    else {
      const name = node.childForFieldName('name')?.text;
      if (name) binds.add(name);
    }
  }
  return { binds: [...binds], mentions, broken, stray: statement.type === 'ERROR', isImport: false, isDefinition };
}

/**
 * The names a top-level function binds in its own scope: its parameters, what its body assigns, loops
 * over, imports and defines (outside functions and classes nested in it), less those it declares `global`.
 */
function functionLocals(fn: SyntaxNode): Set<string> {
  const locals = new Set<string>();
  for (const parameter of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = parameter.type === 'identifier' ? parameter
      : parameter.childForFieldName('name') ?? parameter.namedChildren.find((c) => c.type === 'identifier');
    if (name?.type === 'identifier') locals.add(name.text);
  }
  const globals = new Set<string>();
  const body = fn.childForFieldName('body');
  const types = ['assignment', 'augmented_assignment', 'for_statement', 'named_expression', 'as_pattern', 'global_statement', 'nonlocal_statement', ...DEFINITIONS, 'import_statement', 'import_from_statement'];
  for (const node of body?.descendantsOfType(types) ?? []) {
    if (insideScope(node, fn)) continue;
    if (node.type === 'global_statement' || node.type === 'nonlocal_statement') {
      for (const name of node.namedChildren) globals.add(name.text);
    } else if (IMPORT_TYPES.has(node.type)) {
      for (const name of importedNames(node)) locals.add(name);
    } else if (DEFINITIONS.includes(node.type)) {
      const name = node.childForFieldName('name')?.text;
      if (name) locals.add(name);
    } else {
      const target = node.type === 'named_expression' ? node.childForFieldName('name')
        : node.type === 'as_pattern' ? node.childForFieldName('alias') : node.childForFieldName('left');
      if (target) for (const name of patternNames(target)) locals.add(name);
    }
  }
  for (const name of globals) locals.delete(name);
  return locals;
}

/** The plain names a binding target binds (`a`, `a, (b, *c)`); `a.b = …` and `a[i] = …` bind none. */
function patternNames(target: SyntaxNode): string[] {
  if (target.type === 'identifier') return [target.text];
  if (target.type === 'attribute' || target.type === 'subscript') return [];
  return target.namedChildren.flatMap(patternNames);
}

/** The names a binding target binds: the base object of `a.b = …` and `a[i] = …` (mutated), every name of a pattern. */
function boundNames(target: SyntaxNode): string[] {
  if (target.type === 'identifier') return [target.text];
  if (target.type === 'attribute') {
    const object = target.childForFieldName('object');
    return object ? boundNames(object) : [];
  }
  if (target.type === 'subscript') {
    const value = target.childForFieldName('value');
    return value ? boundNames(value) : [];
  }
  return target.namedChildren.flatMap(boundNames);
}

/** The names an import binds: `import a.b` binds `a`, `… as c` binds `c`, `from m import x` binds `x`. */
function importedNames(node: SyntaxNode): string[] {
  const module = node.childForFieldName('module_name');
  const names: string[] = [];
  for (const child of node.namedChildren) {
    if (child.id === module?.id) continue;
    if (child.type === 'aliased_import') {
      const alias = child.childForFieldName('alias')?.text;
      if (alias) names.push(alias);
    } else if (child.type === 'dotted_name') {
      const first = child.namedChildren[0]?.text;
      if (first) names.push(first);
    }
  }
  return names;
}

/** Whether `node` sits inside a function, lambda or class defined within `statement` (its names are that scope's own). */
function insideScope(node: SyntaxNode, statement: SyntaxNode): boolean {
  for (let p = node.parent; p && p.id !== statement.id; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return true;
  }
  return false;
}
