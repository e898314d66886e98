/**
 * A Python document kept between edits as compact rows (no tree-sitter tree is held): an edit
 * re-parses only the module statements around it and takes over the rest (see `spliceTree`), and
 * its facts are kept per group of statements (see group-facts.ts). Only the document being typed in
 * keeps the lookups it has made; an idle one keeps its text and rows.
 */
import type { LintConfig } from '../config.js';
import type { Finding } from '../core/findings.js';
import { PartFindings } from '../part-findings.js';
import type { Suppressions } from '../suppressions.js';
import { changedRange } from './changed-range.js';
import { GroupFacts } from './group-facts.js';
import type { PythonParser } from './parser.js';
import { mirrorDeeperThan, parseToCopy, spliceTree, type MirrorTree, type SyntaxNode } from './syntax-tree.js';

export class PythonDocument {
  /** The document updated last: it keeps its node objects across updates; the others let go of theirs. */
  private static active: PythonDocument | undefined;
  /**
   * The document whose text changed last: it keeps its cached lookups and group facts for the next edit.
   * Analysing another document again without a change to its text (a dependent in the project) leaves it.
   */
  private static editing: PythonDocument | undefined;
  private state: { text: string; mirror: MirrorTree } | undefined;
  /** The copy the last edit replaced: the next edit's copy may take over its memory (see spliceTree). */
  private replaced: MirrorTree | undefined;
  /** Facts kept per group of statements between edits. */
  private readonly groups: GroupFacts;
  /** Findings kept per group between edits. */
  private readonly partFindings = new PartFindings();

  /**
   * `background`: a document read only for its module node (a project module's summary), which
   * leaves the one being typed in its nodes and cached facts; its caller releases its nodes after use.
   */
  constructor(private readonly parser: PythonParser, private readonly background = false) {
    this.groups = new GroupFacts((text) => parser.parse(text));
  }

  /** Parses `text`, reusing the previous copy; returns the module node (owned by this document). */
  update(text: string): SyntaxNode {
    if (this.background) return this.splice(text);
    if (PythonDocument.active !== this) {
      PythonDocument.active?.releaseNodes();
      PythonDocument.active = this;
    }
    if (this.state?.text === text) return this.state.mirror.root;
    if (PythonDocument.editing !== this) {
      PythonDocument.editing?.idle();
      PythonDocument.editing = this;
    }
    return this.splice(text);
  }

  /** The new text's rows, from the statements around the change and the previous rows. */
  private splice(text: string): SyntaxNode {
    const previous = this.state;
    if (previous?.text === text) return previous.mirror.root;
    try {
      const parse = (part: string) => this.parser.parse(part);
      let mirror = previous && spliceTree(previous.mirror, text, changedRange(previous.text, text), parse, this.replaced);
      this.replaced = undefined;
      mirror ??= parseToCopy(parse, text);
      this.state = { text, mirror };
      // A background document (read for its summary) keeps no spare: it may stay open untouched for long.
      this.replaced = this.background ? undefined : previous?.mirror;
      return mirror.root;
    } catch (error) {
      this.state = undefined;
      this.replaced = undefined;
      throw error;
    }
  }

  /** The copy of the text last given to {@link update}. */
  copy(): MirrorTree | undefined {
    return this.state?.mirror;
  }

  /** Whether the text last given to {@link update} nests deeper than `limit` (kept per statement: no walk of the tree). */
  deeperThan(limit: number): boolean {
    return !!this.state && mirrorDeeperThan(this.state.mirror, limit);
  }

  /**
   * The findings of the text last given to {@link update} (its module node `root`), re-analysing only what
   * the edit touched, as {@link runRules} gives them for the whole text's facts.
   */
  findings(root: SyntaxNode, text: string, config: LintConfig, suppressions: Suppressions, docsBase: string): Finding[] {
    const { facts, parts } = this.groups.facts(root, text, this.state?.text === text ? this.state.mirror : undefined);
    return this.partFindings.findings(parts, facts, config, suppressions, docsBase);
  }

  /** Another document is being edited: drops this one's cached lookups, group facts and spare rows, keeping the text and rows. */
  private idle(): void {
    // Only the document being typed in keeps a spare copy's memory.
    this.replaced = undefined;
    if (!this.state) return;
    // Rebuilt when next asked for.
    this.state.mirror.tree.found.clear();
    this.groups.clear();
    this.partFindings.clear();
  }

  /**
   * Lets go of the node objects handed out, keeping only the compact rows: an idle open document
   * then holds ~24 bytes per node. Nodes read later are new objects with the same ids.
   */
  releaseNodes(): void {
    this.state?.mirror.tree.releaseViews();
  }

  /** Forgets the document. */
  dispose(): void {
    if (PythonDocument.active === this) PythonDocument.active = undefined;
    if (PythonDocument.editing === this) PythonDocument.editing = undefined;
    this.state = undefined;
    this.replaced = undefined;
    this.groups.clear();
    this.partFindings.clear();
  }
}
