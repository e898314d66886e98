/** What a rule is: data (code, name, severity, docs) plus one check over the training facts. */
import type { Fix, RelatedInfo, Severity } from '../core/findings.js';
import type { Span } from '../core/span.js';
import type { Framework, TrainingFacts } from '../facts.js';

/** Thresholds rules read; set from configuration. */
export interface RuleOptions {
  /** FC201: how many hidden sigmoid/tanh layers make a vanishing-gradient stack. */
  saturatingDepth: number;
  /** FC206: how many linear/conv layers make a deep stack that needs normalization or residuals. */
  deepNetDepth: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = { saturatingDepth: 3, deepNetDepth: 8 };

/** One problem a rule found, before configuration and suppressions apply. */
export interface RuleHit {
  span: Span;
  message: string;
  /** Overrides the rule's default severity for this hit (e.g. dropout p ≥ 1 is an error). */
  severity?: Severity;
  related?: RelatedInfo[];
  fixes?: Fix[];
}

export interface Rule {
  code: string;
  name: string;
  severity: Severity;
  /** One line for `fitcheck rules` and the docs index. */
  summary: string;
  frameworks: Framework[];
  fixable: boolean;
  /** The training lesson behind the rule, in the lessons' terms (markdown), shown on hover. */
  lesson: string;
  /**
   * Its findings depend only on the file they lie in (a call, an assignment): the file's own analysis,
   * which links what that file imports, reports them; a module that copies the code in does not, since
   * its copy may lack the definitions the verdict rests on.
   */
  ownFileOnly?: boolean;
  /**
   * Each hit is judged from one model, loop, optimizer, loader or call and what it names, never from the
   * file as a whole (no "anywhere in the file", no count of models): the hits for a file made of parts
   * that share no names are the union of each part's. An open document then keeps them per part between
   * edits and checks again only the parts an edit touched (see part-findings.ts).
   */
  local?: boolean;
  check(facts: TrainingFacts, options: RuleOptions): RuleHit[];
}
