/**
 * One module linked with the definitions it imports from the project: the definitions (and what they
 * need from their own modules, transitively) come first, whole lines as written, then the module
 * itself with its project imports stubbed out. The single-file analysis then sees a model class from
 * `nets.py` or an `evaluate()` from `engine.py` as if defined beside the code that uses it, and the
 * line map sends every finding and related place back to the file it came from.
 */
import type { TextChange } from '../python/syntax-tree.js';
import type { ImportStatement, ModuleSummary, NameReference, TopLevelDefinition } from './module-summary.js';

/** A name in the module rewritten in the linked program (`nets.Net` → `Net`, alias `N` → `Net`). */
export interface ColumnShift {
  /** 0-based line and column in the file. */
  fileLine: number;
  column: number;
  oldLength: number;
  newLength: number;
}

/** A run of lines of the linked program copied from one file. */
export interface Segment {
  /** First line in the linked program. */
  programLine: number;
  lineCount: number;
  file: string;
  /** First line in that file. */
  fileLine: number;
  /** Rewritten names, in file order; columns after them move by the difference in length. */
  shifts?: ColumnShift[];
}

export interface LinkedProgram {
  text: string;
  segments: Segment[];
  /** Project files whose definitions were copied in. */
  dependencies: Set<string>;
  /** Where the text came from, by character offsets: its tree can be built from the modules' trees (see linked-tree.ts). */
  origin?: LinkOrigin;
}

/** The stretches of project files copied into a linked program, then the module with its edits. */
export interface LinkOrigin {
  /** [from, to) of `file`'s text, at offset `at` of the program. */
  copies: { file: string; from: number; to: number; at: number }[];
  /** Where the module's own text starts in the program. */
  ownAt: number;
  /** Edits made to the module's text (sorted, in its own offsets). */
  ownEdits: TextChange[];
}

/** How the linker reads the project: summaries by file and import resolution. */
export interface ModuleSource {
  summary(file: string): ModuleSummary | undefined;
  resolve(module: string, fromFile: string): string | undefined;
}

/** Re-exports followed at most this deep (`__init__.py` importing from a submodule that imports …). */
const MAX_HOPS = 8;

/**
 * Characters of project definitions one linked program copies in at most. Nearest first: what the
 * module imports, then what those definitions mention, and so on; past the budget a definition stays
 * unknown, as it would be unlinked. A training script's model and helpers fit many times over; an
 * `__init__.py` re-exporting a package would otherwise copy megabytes into every module that imports it.
 */
export const LINK_BUDGET = 64 * 1024;

/** Links `file` (summarised as `own`) with the project definitions it imports. */
export function linkModule(file: string, own: ModuleSummary, source: ModuleSource, budget = LINK_BUDGET): LinkedProgram {
  const needed = new Map<string, Set<string>>();
  const queue: [string, string][] = [];
  /** Definitions left out for the budget, by `file#name`. */
  const over = new Set<string>();
  let copied = 0;
  const need = (target: string, name: string) => {
    let names = needed.get(target);
    if (names?.has(name)) return;
    const summary = source.summary(target);
    const definition = summary?.definitions.get(name);
    if (!summary || !definition) return;
    const key = `${target}#${name}`;
    if (over.has(key)) return;
    const size = target === file ? 0 : definitionSize(summary, definition);
    if (copied + size > budget) {
      over.add(key);
      return;
    }
    copied += size;
    if (!names) needed.set(target, (names = new Set()));
    names.add(name);
    queue.push([target, name]);
  };
  // Bound names that come from the project, and the import statements to stub out.
  const stubbed: ImportStatement[] = [];
  /** Local names bound to a project module (`import nets`, `from pkg import nets`), to the module as importable from `file`. */
  const moduleLocals = new Map<string, string>();
  /** Aliased definitions (`from nets import Net as N`): local name to the definition's own name. */
  const aliases = new Map<string, string>();
  for (const statement of own.imports) {
    if (statement.form === 'import') {
      for (const { name, local } of statement.names) {
        // `import a.b` binds `a` (its uses spell `a.b.X`); `import a.b as m` binds `m` to `a.b`.
        const module = name === local || name.startsWith(`${local}.`) ? local : name;
        if (statement.topLevel && source.resolve(name, file)) moduleLocals.set(local, module);
      }
      continue;
    }
    const target = source.resolve(statement.module, file);
    let fromProject = !!target;
    if (target && statement.star) {
      stubbed.push(statement);
      for (const name of source.summary(target)?.definitions.keys() ?? []) need(target, name);
      continue;
    }
    for (const { name, local } of statement.names) {
      const found = target ? findDefinition(target, name, source, 0) : undefined;
      if (found) {
        need(found.file, found.definition.name);
        if (local !== name) aliases.set(local, name);
        continue;
      }
      // `from . import nets` names a submodule: its definitions are reached as `nets.X`.
      const submodule = statement.module.endsWith('.') ? `${statement.module}${name}` : `${statement.module}.${name}`;
      if (statement.topLevel && source.resolve(submodule, file)) {
        moduleLocals.set(local, submodule);
        fromProject = true;
      }
    }
    if (fromProject) stubbed.push(statement);
  }
  const rewrites = rewriteReferences(file, own, moduleLocals, aliases, source, need);
  // What each copied definition mentions from its own module comes along. Definitions of one module
  // mention many of the same names (`nn`, `torch`, `self`): where each comes from is looked up once.
  const imported = new Map<string, Map<string, ReturnType<typeof importedDefinition> | null>>();
  for (let next = 0; next < queue.length; next++) {
    const [target, name] = queue[next]!;
    const summary = source.summary(target);
    const definition = summary?.definitions.get(name);
    if (!summary || !definition) continue;
    let origins = imported.get(target);
    if (!origins) imported.set(target, (origins = new Map()));
    for (const mention of definition.mentions) {
      if (mention === name) continue;
      if (summary.definitions.has(mention)) need(target, mention);
      else {
        let found = origins.get(mention);
        if (found === undefined) origins.set(mention, (found = importedDefinition(target, summary, mention, source, 0) ?? null));
        if (found && found.file !== file) need(found.file, found.definition.name);
      }
    }
  }
  needed.delete(file);

  const parts: string[] = [];
  const segments: Segment[] = [];
  const copies: LinkOrigin['copies'] = [];
  let line = 0;
  let offset = 0;
  const copy = (target: string, summary: ModuleSummary, from: number, to: number) => {
    const at = offset;
    const starts = summary.lineStarts;
    const start = starts[from]!;
    // Where line `to` ends, before its newline (the module's lines need not be split for that).
    const end = to + 1 < starts.length ? starts[to + 1]! - 1 : summary.text.length;
    // The lines as one slice (their newlines inside it): joining a part per line cost more than the rest of the link.
    parts.push(summary.text.slice(start, end));
    offset += end - start + 1;
    copies.push({ file: target, from: start, to: end, at });
    segments.push({ programLine: line, lineCount: to - from + 1, file: target, fileLine: from });
    line += to - from + 1;
  };
  for (const [target, names] of needed) {
    const summary = source.summary(target)!;
    // The module's own imports of libraries (`torch.nn as nn`) give the copied code its meaning.
    for (const statement of summary.imports) {
      if (statement.topLevel && !source.resolve(statement.module, target)) copy(target, summary, statement.startLine, statement.endLine);
    }
    const chosen = [...names].map((n) => summary.definitions.get(n)).filter((d): d is TopLevelDefinition => !!d);
    for (const definition of chosen.sort((a, b) => a.startLine - b.startLine)) copy(target, summary, definition.startLine, definition.endLine);
  }
  const ownText = own.text;
  const edits: TextEdit[] = [
    ...stubbed.map((st) => ({ startIndex: st.startIndex, endIndex: st.endIndex, text: stubText(ownText.slice(st.startIndex, st.endIndex)) })),
    ...rewrites.map((r) => r.edit),
  ];
  const shifts = rewrites.map((r) => r.shift).filter((shift) => shift.oldLength !== shift.newLength);
  segments.push({ programLine: line, lineCount: own.lineCount, file, fileLine: 0, ...(shifts.length > 0 ? { shifts } : {}) });
  const edited = applyEdits(ownText, edits);
  parts.push(edited.text);
  // A module that needs nothing from the project is linked as written (no copy of a long file per keystroke).
  return {
    text: parts.length === 1 ? parts[0]! : parts.join('\n'),
    segments,
    dependencies: new Set(needed.keys()),
    origin: { copies, ownAt: offset, ownEdits: edited.applied },
  };
}

/** Characters of a definition's lines, newlines included. */
function definitionSize(summary: ModuleSummary, definition: TopLevelDefinition): number {
  const starts = summary.lineStarts;
  const end = definition.endLine + 1 < starts.length ? starts[definition.endLine + 1]! : summary.text.length + 1;
  return end - starts[definition.startLine]!;
}

/** Where `name`, imported from `file`, is defined: there, or behind its re-exports. */
function findDefinition(file: string, name: string, source: ModuleSource, hops: number): { file: string; definition: TopLevelDefinition } | undefined {
  const summary = source.summary(file);
  if (!summary) return undefined;
  const definition = summary.definitions.get(name);
  if (definition) return { file, definition };
  return importedDefinition(file, summary, name, source, hops);
}

function importedDefinition(file: string, summary: ModuleSummary, name: string, source: ModuleSource, hops: number): { file: string; definition: TopLevelDefinition } | undefined {
  if (hops >= MAX_HOPS) return undefined;
  const { byLocal, stars } = fromImportsOf(summary);
  const named = byLocal.get(name) ?? [];
  // The statements that may bind the name, in the module's order: those naming it, and star imports.
  const candidates = stars.length === 0 ? named : [...named, ...stars.map((statement) => ({ statement, name }))].sort((a, b) => a.statement - b.statement);
  for (const { statement: k, name: imported } of candidates) {
    const statement = summary.imports[k]!;
    const target = source.resolve(statement.module, file);
    if (!target || target === file) continue;
    const found = findDefinition(target, imported, source, hops + 1);
    if (found) return found;
  }
  return undefined;
}

/** A module's top-level `from` imports: by the local name each binds (the name imported, first per statement), and its star imports, as indexes into its imports. */
interface FromImports {
  byLocal: Map<string, { statement: number; name: string }[]>;
  stars: number[];
}

const fromImports = new WeakMap<ModuleSummary, FromImports>();

/**
 * {@link FromImports} of a summary, read once: the linker asks a copied definition's module where
 * each name the definition mentions comes from, and going through every import statement for every
 * name made linking quadratic (transformers' modelling files: dozens of imports, hundreds of names).
 */
function fromImportsOf(summary: ModuleSummary): FromImports {
  let index = fromImports.get(summary);
  if (index) return index;
  index = { byLocal: new Map(), stars: [] };
  summary.imports.forEach((statement, k) => {
    if (statement.form !== 'from' || !statement.topLevel) return;
    if (statement.star) {
      if (statement.names.length === 0) index!.stars.push(k);
      return;
    }
    const seen = new Set<string>();
    for (const { name, local } of statement.names) {
      if (seen.has(local)) continue;
      seen.add(local);
      let list = index!.byLocal.get(local);
      if (!list) index!.byLocal.set(local, (list = []));
      list.push({ statement: k, name });
    }
  });
  fromImports.set(summary, index);
  return index;
}

interface TextEdit {
  startIndex: number;
  endIndex: number;
  text: string;
}

/**
 * Rewrites the module's uses of project names to the names the copied definitions carry:
 * `nets.Net` and `pkg.nets.Net` to `Net`, an alias `N` to `Net`. A name the module binds itself, or
 * that two project modules would both supply, is left as written (unknown, as before).
 */
function rewriteReferences(
  file: string, own: ModuleSummary, moduleLocals: Map<string, string>, aliases: Map<string, string>, source: ModuleSource,
  need: (target: string, name: string) => void,
): { edit: TextEdit; shift: ColumnShift }[] {
  const taken = new Set(own.definitions.keys());
  for (const statement of own.imports) for (const { local } of statement.names) if (!aliases.has(local)) taken.add(local);
  const supplier = new Map<string, string>();
  const ownText = own.text;
  const references = own.referencesTo([...aliases.keys(), ...moduleLocals.keys()]);
  const out: { edit: TextEdit; shift: ColumnShift }[] = [];
  const rewrite = (reference: NameReference, endIndex: number, name: string) => {
    const oldLength = endIndex - reference.startIndex;
    out.push({
      edit: { startIndex: reference.startIndex, endIndex, text: name },
      shift: { fileLine: reference.row, column: reference.column, oldLength, newLength: name.length },
    });
  };
  for (const [local, name] of aliases) {
    if (taken.has(name)) continue;
    for (const reference of references.get(local) ?? []) rewrite(reference, reference.ends[0]!, name);
  }
  for (const [local, module] of moduleLocals) {
    for (const reference of references.get(local) ?? []) {
      for (let k = 1; k <= reference.chain.length; k++) {
        const target = source.resolve([module, ...reference.chain.slice(0, k - 1)].join('.'), file);
        const name = reference.chain[k - 1]!;
        const found = target ? findDefinition(target, name, source, 0) : undefined;
        if (!found) continue;
        const at = `${found.file}#${found.definition.name}`;
        if (taken.has(name) || (supplier.get(name) ?? at) !== at) break;
        // A chain written across lines cannot be rewritten in place; it stays unknown.
        if (ownText.slice(reference.startIndex, reference.ends[k]!).includes('\n')) break;
        supplier.set(name, at);
        need(found.file, found.definition.name);
        rewrite(reference, reference.ends[k]!, found.definition.name);
        break;
      }
    }
  }
  return out;
}

/** A project import replaced by `pass` padded to the same lines and columns, so an import alone in a block still leaves a statement there. */
function stubText(original: string): string {
  const blank = original.replace(/[^\n]/g, ' ');
  return blank.length >= 4 ? `pass${blank.slice(4)}` : blank;
}

/** The text with the edits made (one overlapping an earlier edit is dropped), and those made. */
function applyEdits(text: string, edits: TextEdit[]): { text: string; applied: TextChange[] } {
  if (edits.length === 0) return { text, applied: [] };
  let out = '';
  let at = 0;
  const applied: TextChange[] = [];
  for (const edit of [...edits].sort((a, b) => a.startIndex - b.startIndex)) {
    if (edit.startIndex < at) continue;
    out += text.slice(at, edit.startIndex) + edit.text;
    at = edit.endIndex;
    applied.push({ startIndex: edit.startIndex, endIndex: edit.endIndex, length: edit.text.length });
  }
  return { text: out + text.slice(at), applied };
}
