import type { Span } from './span.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** A text edit computed together with a finding. */
export interface TextEdit {
  span: Span;
  newText: string;
}

/** A named, self-contained fix: applying all its edits resolves the finding. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /**
   * Set when applying the fix changes what training computes (adds zero_grad, swaps a loss or an
   * activation): offered as a quick fix, never applied by fix-all or `fitcheck lint --fix`.
   */
  unsafe?: true;
}

/** Extra location that explains a finding (e.g. the loss a softmax feeds). */
export interface RelatedInfo {
  span: Span;
  message: string;
  /** The file it sits in (absolute path) when that is not the finding's file (project analysis). */
  file?: string;
}

/** One problem found by a rule, positioned in the analysed text. */
export interface Finding {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  span: Span;
  docsUrl: string;
  fixes: Fix[];
  related: RelatedInfo[];
}
