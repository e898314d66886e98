/**
 * Facts of an open document, worked out per group of statements that share no names (see
 * statement-groups.ts) and kept between edits: an edit re-analyses only the groups whose text
 * changed. Each group is analysed as a small program of its own (its lines and the imports, in file
 * order); its facts, kept by the ids of its statements (and found by the program's text when those
 * were parsed again), are moved to the group's current lines.
 */
import { lastAtOrBefore } from '../core/sorted-search.js';
import { emptyFacts, type TrainingFacts } from '../facts.js';
import { mentionsFramework, moduleFacts, paradigmOf } from './frontend.js';
import { groupIdentity, groupModule, groupProgram, groupSegments, hasSegments, type GroupProgram, type Grouping, type StatementNames } from './statement-groups.js';
import { PlacedFacts } from './placed-facts.js';
import type { FactsPart } from '../part-findings.js';
import { parseToCopy, programTree, type MirrorTree, type SyntaxNode } from './syntax-tree.js';
import type { Tree } from 'web-tree-sitter';

interface CachedGroup {
  /** See {@link groupIdentity}. */
  identity?: number[];
  facts: TrainingFacts;
  rlImport: boolean;
  /** The group's program text. */
  program: string;
  /** The {@link GroupFacts.calls} that met it last. */
  usedIn?: number;
  /** The facts at the file's lines, for the segments they were last moved to. */
  placed?: { segments: [number, number][]; facts: PlacedFacts<TrainingFacts> };
}

export class GroupFacts {
  /** By statement node id; see groupStatements. */
  private names = new Map<number, StatementNames>();
  /** Calls so far, to tell a group met twice in one call. */
  private calls = 0;
  /** The groups of the last call, which the next one may keep (see groupModule). */
  private grouping: Grouping | undefined;
  /** By the hash of {@link groupIdentity} (a group whose identity differs from the entry's is new). */
  private groups = new Map<number, CachedGroup>();

  constructor(private readonly parse: (text: string) => Tree) {}

  /**
   * The facts of the module `root` (of `text`, a document's copy: its statements keep their ids while
   * edits elsewhere take them over), re-analysing only the groups not seen before. With `source`, the
   * copy whose root `root` is, a group's program is copied from its rows rather than parsed where that
   * gives the same tree. The facts are the document's own: the next call may move their lines in place
   * (findings copy their spans; see runRules). Also returns them group by group (see part-findings.ts).
   */
  facts(root: SyntaxNode, text: string, source?: MirrorTree): { facts: TrainingFacts; parts: FactsPart[] } {
    if (!mentionsFramework(text)) return { facts: emptyFacts(), parts: [] };
    const usedNames = new Map<number, StatementNames>();
    this.grouping = groupModule(root, text, this.names, usedNames, this.grouping);
    const groups = this.grouping.groups;
    this.names = usedNames;
    const kept = new Map<number, CachedGroup>();
    const identity: number[] = [];
    const call = ++this.calls;
    const parts: FactsPart[] = [];
    let rlImport = false;
    for (const group of groups) {
      const key = groupIdentity(group, identity);
      let cached = this.groups.get(key);
      if (cached && !sameIdentity(cached.identity, identity)) cached = undefined;
      if (!cached) {
        // Statements parsed again (those an edit touched, and their neighbours) have new ids: their
        // group's program is looked up by its text, and analysed when it is new.
        const program = groupProgram(group, text);
        // Few groups are new on an edit: a scan, not a map of every program.
        for (const other of this.groups.values()) {
          if (other.program === program.text) {
            cached = other;
            break;
          }
        }
        cached ??= this.analyse(program, source);
        cached.identity = [...identity];
      }
      rlImport ||= cached.rlImport;
      if (cached.usedIn === call) {
        // Two groups with the same program at different places: the second gets a copy of its own.
        const segments = groupSegments(group);
        parts.push({ facts: new PlacedFacts(cached.facts, lineMap(segments)).facts, segments });
        continue;
      }
      cached.usedIn = call;
      kept.set(key, cached);
      if (!cached.placed) {
        const segments = groupSegments(group);
        cached.placed = { segments, facts: new PlacedFacts(cached.facts, lineMap(segments)) };
      } else if (!hasSegments(group, cached.placed.segments)) {
        cached.placed.segments = groupSegments(group);
        cached.placed.facts.move(lineMap(cached.placed.segments));
      }
      parts.push({ facts: cached.placed.facts.facts, segments: cached.placed.segments });
    }
    this.groups = kept;
    return { facts: mergeFacts(parts.map((p) => p.facts), paradigmOf(rlImport, text)), parts };
  }

  /** Forgets everything (the document is idle, or closed). */
  clear(): void {
    this.names = new Map();
    this.grouping = undefined;
    this.groups = new Map();
  }

  private analyse(program: GroupProgram, source: MirrorTree | undefined): CachedGroup {
    // No parse, and no wasm call per node while the facts are read.
    // Else parsed (a group holding an error, or read after one) and copied: the analysis reads plain JS either way.
    const copy = (source && programTree(source, program.stretches, program.text)) ?? parseToCopy(this.parse, program.text);
    return { ...moduleFacts(copy.root, program.text, true), program: program.text };
  }
}

function sameIdentity(a: readonly number[] | undefined, b: readonly number[]): boolean {
  return !!a && a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Program line → file line: by the last segment starting at or before it (a line just past a unit follows that unit). */
function lineMap(segments: [number, number][]): (line: number) => number {
  return (line) => {
    const found = Math.max(0, lastAtOrBefore(segments, line, (s) => s[0]));
    const [programLine, fileLine] = segments[found]!;
    return fileLine + line - programLine;
  };
}

/** What a group's facts add to a module's: its lists that hold something, and its flags that are set. */
interface Contribution {
  /** Names of its non-empty lists, and the lists, in the same order. */
  keys: string[];
  lists: unknown[][];
  flags: string[];
  pytorch: boolean;
  keras: boolean;
  kernelRegularizer: boolean;
}

/** By a group's facts object: its lists are never changed after it is made (only the lines in their items move). */
const contributions = new WeakMap<TrainingFacts, Contribution>();

function contributionOf(part: TrainingFacts): Contribution {
  let contribution = contributions.get(part);
  if (!contribution) {
    contribution = {
      keys: [], lists: [], flags: [],
      pytorch: part.frameworks.includes('pytorch'), keras: part.frameworks.includes('keras'), kernelRegularizer: part.regularization.kernelRegularizer,
    };
    const record = part as unknown as Record<string, unknown>;
    for (const key in record) {
      const value = record[key];
      if (key === 'frameworks') continue;
      if (Array.isArray(value)) {
        if (value.length > 0) {
          contribution.keys.push(key);
          contribution.lists.push(value);
        }
      } else if (value === true) contribution.flags.push(key);
    }
    contributions.set(part, contribution);
  }
  return contribution;
}

/** The facts of a whole module from those of its groups: lists joined, flags combined. */
function mergeFacts(parts: TrainingFacts[], paradigm: TrainingFacts['paradigm']): TrainingFacts {
  const merged = emptyFacts() as unknown as Record<string, unknown>;
  // Joined in a map, set on the facts once: hundreds of groups are merged on every keystroke.
  const lists = new Map<string, unknown[]>();
  let pytorch = false;
  let keras = false;
  for (const part of parts) {
    const contribution = contributionOf(part);
    pytorch ||= contribution.pytorch;
    keras ||= contribution.keras;
    for (let k = 0; k < contribution.keys.length; k++) {
      const key = contribution.keys[k]!;
      let list = lists.get(key);
      if (!list) lists.set(key, (list = []));
      for (const item of contribution.lists[k]!) list.push(item);
    }
    for (const key of contribution.flags) merged[key] = true;
    if (contribution.kernelRegularizer) merged['regularization'] = { kernelRegularizer: true };
  }
  for (const [key, list] of lists) merged[key] = list;
  const facts = merged as unknown as TrainingFacts;
  facts.frameworks = [...(pytorch ? ['pytorch' as const] : []), ...(keras ? ['keras' as const] : [])];
  facts.paradigm = paradigm;
  return facts;
}
