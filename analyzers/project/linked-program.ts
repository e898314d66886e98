/**
 * One module linked with the definitions it imports from the project: the definitions (and what they
 * need from their own modules, transitively) come first, whole lines as written, then the module
 * itself with its project imports stubbed out. The single-file analysis then sees a model class from
 * `nets.py` or an `evaluate()` from `engine.py` as if defined beside the code that uses it, and the
 * line map sends every finding and related place back to the file it came from.
 */
import type { ImportStatement, ModuleSummary, TopLevelDefinition } from './module-summary.js';

/** A run of lines of the linked program copied from one file. */
export interface Segment {
  /** First line in the linked program. */
  programLine: number;
  lineCount: number;
  file: string;
  /** First line in that file. */
  fileLine: number;
}

export interface LinkedProgram {
  text: string;
  segments: Segment[];
  /** Project files whose definitions were copied in. */
  dependencies: Set<string>;
}

/** How the linker reads the project: summaries by file and import resolution. */
export interface ModuleSource {
  summary(file: string): ModuleSummary | undefined;
  resolve(module: string, fromFile: string): string | undefined;
}

/** Re-exports followed at most this deep (`__init__.py` importing from a submodule that imports …). */
const MAX_HOPS = 8;

/** Links `file` (summarised as `own`) with the project definitions it imports. */
export function linkModule(file: string, own: ModuleSummary, source: ModuleSource): LinkedProgram {
  const needed = new Map<string, Set<string>>();
  const queue: [string, string][] = [];
  const need = (target: string, name: string) => {
    let names = needed.get(target);
    if (!names) needed.set(target, (names = new Set()));
    if (names.has(name)) return;
    names.add(name);
    queue.push([target, name]);
  };
  // Bound names that come from the project, and the import statements to stub out.
  const stubbed: ImportStatement[] = [];
  for (const statement of own.imports) {
    if (statement.form !== 'from') continue;
    const target = source.resolve(statement.module, file);
    if (!target) continue;
    stubbed.push(statement);
    if (statement.star) {
      for (const name of source.summary(target)?.definitions.keys() ?? []) need(target, name);
      continue;
    }
    for (const { name } of statement.names) {
      const found = findDefinition(target, name, source, 0);
      if (found) need(found.file, found.definition.name);
      else {
        // `from . import nets` names a submodule: its definitions are reached as `nets.X`, which the
        // analysis does not follow; nothing to copy.
      }
    }
  }
  // What each copied definition mentions from its own module comes along.
  while (queue.length > 0) {
    const [target, name] = queue.shift()!;
    const summary = source.summary(target);
    const definition = summary?.definitions.get(name);
    if (!summary || !definition) continue;
    for (const mention of definition.mentions) {
      if (mention === name) continue;
      if (summary.definitions.has(mention)) need(target, mention);
      else {
        const found = importedDefinition(target, summary, mention, source, 0);
        if (found && found.file !== file) need(found.file, found.definition.name);
      }
    }
  }
  needed.delete(file);

  const parts: string[] = [];
  const segments: Segment[] = [];
  let line = 0;
  const copy = (target: string, lines: string[], from: number, to: number) => {
    parts.push(...lines.slice(from, to + 1));
    segments.push({ programLine: line, lineCount: to - from + 1, file: target, fileLine: from });
    line += to - from + 1;
  };
  for (const [target, names] of needed) {
    const summary = source.summary(target)!;
    // The module's own imports of libraries (`torch.nn as nn`) give the copied code its meaning.
    for (const statement of summary.imports) {
      if (statement.topLevel && !source.resolve(statement.module, target)) copy(target, summary.lines, statement.startLine, statement.endLine);
    }
    const chosen = [...names].map((n) => summary.definitions.get(n)).filter((d): d is TopLevelDefinition => !!d);
    for (const definition of chosen.sort((a, b) => a.startLine - b.startLine)) copy(target, summary.lines, definition.startLine, definition.endLine);
  }
  segments.push({ programLine: line, lineCount: own.lines.length, file, fileLine: 0 });
  parts.push(stubImports(own.lines.join('\n'), stubbed));
  return { text: parts.join('\n'), segments, dependencies: new Set(needed.keys()) };
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
  for (const statement of summary.imports) {
    if (statement.form !== 'from' || !statement.topLevel) continue;
    const imported = statement.star ? (statement.names.length === 0 ? name : undefined) : statement.names.find((n) => n.local === name)?.name;
    if (!imported) continue;
    const target = source.resolve(statement.module, file);
    if (!target || target === file) continue;
    const found = findDefinition(target, imported, source, hops + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Replaces project imports by `pass` padded to the same lines and columns, so positions in the module
 * stay where they were and an import alone in a block still leaves a statement there.
 */
function stubImports(text: string, statements: ImportStatement[]): string {
  let out = '';
  let at = 0;
  for (const statement of [...statements].sort((a, b) => a.startIndex - b.startIndex)) {
    const original = text.slice(statement.startIndex, statement.endIndex);
    const blank = original.replace(/[^\n]/g, ' ');
    out += text.slice(at, statement.startIndex) + (blank.length >= 4 ? `pass${blank.slice(4)}` : blank);
    at = statement.endIndex;
  }
  return out + text.slice(at);
}
