/**
 * Facts of an open document, worked out per group of statements that share no names (see
 * statement-groups.ts) and kept between edits: an edit re-analyses only the groups whose text
 * changed. Each group is analysed as a small program of its own (its lines and the imports, in file
 * order); its facts, keyed by that program's text, are moved to the group's current lines.
 */
import { lastAtOrBefore } from '../core/sorted-search.js';
import { emptyFacts, type TrainingFacts } from '../facts.js';
import { mentionsFramework, moduleFacts, paradigmOf } from './frontend.js';
import { groupProgram, groupStatements, type GroupProgram, type StatementNames } from './statement-groups.js';
import { programTree, type MirrorTree, type SyntaxNode } from './syntax-tree.js';
import type { Tree } from 'web-tree-sitter';

interface CachedGroup {
  facts: TrainingFacts;
  rlImport: boolean;
  /** The facts moved to the file's lines, for the placement they were last moved to. */
  placed?: { placement: string; facts: TrainingFacts };
}

export class GroupFacts {
  private names = new Map<string, StatementNames>();
  private groups = new Map<string, CachedGroup>();

  constructor(private readonly parse: (text: string) => Tree) {}

  /**
   * The facts of the module `root` (of `text`), re-analysing only the groups not seen before. With
   * `source`, the document's copy whose root `root` is, a group's program is copied from its rows
   * rather than parsed where that gives the same tree.
   */
  facts(root: SyntaxNode, text: string, source?: MirrorTree): TrainingFacts {
    if (!mentionsFramework(text)) return emptyFacts();
    const usedNames = new Map<string, StatementNames>();
    const groups = groupStatements(root, text, this.names, usedNames);
    this.names = usedNames;
    const kept = new Map<string, CachedGroup>();
    const parts: CachedGroup[] = [];
    for (const group of groups) {
      const program = groupProgram(group, text);
      let cached = kept.get(program.text) ?? this.groups.get(program.text);
      if (!cached) cached = this.analyse(program, source);
      kept.set(program.text, cached);
      if (cached.placed?.placement !== program.placement) {
        cached.placed = { placement: program.placement, facts: moveLines(cached.facts, lineMap(program.segments)) };
      }
      parts.push(cached);
    }
    this.groups = kept;
    return mergeFacts(parts.map((p) => p.placed!.facts), paradigmOf(parts.some((p) => p.rlImport), text));
  }

  /** Forgets everything (the document is idle, or closed). */
  clear(): void {
    this.names = new Map();
    this.groups = new Map();
  }

  private analyse(program: GroupProgram, source: MirrorTree | undefined): CachedGroup {
    // No parse, and no wasm call per node while the facts are read.
    const copy = source && programTree(source, program.stretches, program.text);
    if (copy) return moduleFacts(copy.root, program.text, true);
    const tree = this.parse(program.text);
    try {
      return moduleFacts(tree.rootNode, program.text, true);
    } finally {
      tree.delete();
    }
  }
}

/** Program line → file line: by the last segment starting at or before it (a line just past a unit follows that unit). */
function lineMap(segments: [number, number][]): (line: number) => number {
  return (line) => {
    const found = Math.max(0, lastAtOrBefore(segments, line, (s) => s[0]));
    const [programLine, fileLine] = segments[found]!;
    return fileLine + line - programLine;
  };
}

/**
 * A copy of plain fact data with every line number (`line`, `endLine`, and the line in an id such as
 * `model@12:4`) mapped; objects shared within the facts stay shared in the copy (rules may compare
 * facts by identity).
 */
export function moveLines<T>(value: T, map: (line: number) => number, copies = new Map<object, unknown>()): T {
  if (typeof value === 'string') return (value.indexOf('@') > 0 ? moveId(value, map) : value) as T;
  if (value === null || typeof value !== 'object') return value;
  const done = copies.get(value);
  if (done !== undefined) return done as T;
  // Plain loops, not entries(): every group below an edit that adds lines is copied on each keystroke.
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    copies.set(value, copy);
    for (let i = 0; i < value.length; i++) copy[i] = moveLines(value[i], map, copies);
    return copy as T;
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>();
    copies.set(value, copy);
    for (const item of value) copy.add(moveLines(item, map, copies));
    return copy as T;
  }
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    copy[key] = typeof item === 'number' ? ((key === 'line' || key === 'endLine') ? map(item) : item) : moveLines(item, map, copies);
  }
  return copy as T;
}

/** Fact ids name where their call is (`model@12:4`): moved with it, they stay unique across groups. */
const ID = /^(\w+)@(\d+):(\d+)$/;

function moveId(text: string, map: (line: number) => number): string {
  const id = ID.exec(text);
  return id ? `${id[1]}@${map(Number(id[2]))}:${id[3]}` : text;
}

/** The facts of a whole module from those of its groups: lists joined, flags combined. */
function mergeFacts(parts: TrainingFacts[], paradigm: TrainingFacts['paradigm']): TrainingFacts {
  const merged = emptyFacts() as unknown as Record<string, unknown>;
  const frameworks = new Set<string>();
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'frameworks') for (const f of value as string[]) frameworks.add(f);
      else if (Array.isArray(value)) {
        let list = merged[key] as unknown[] | undefined;
        if (!list) merged[key] = list = [];
        for (const item of value) list.push(item);
      }
      else if (typeof value === 'boolean') merged[key] = merged[key] === true || value;
    }
    if (part.regularization.kernelRegularizer) merged['regularization'] = { kernelRegularizer: true };
  }
  const facts = merged as unknown as TrainingFacts;
  facts.frameworks = (['pytorch', 'keras'] as const).filter((f) => frameworks.has(f));
  facts.paradigm = paradigm;
  return facts;
}
