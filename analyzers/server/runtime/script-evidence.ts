/** Runtime evidence placed on a script's lines: each layer's finding with the span that built the layer. */
import type { Span } from '../../core/span.js';
import type { PythonParser } from '../../python/parser.js';
import type { SyntaxNode } from '../../python/syntax-tree.js';
import { lineOfModule, moduleLines } from './module-lines.js';
import { runEvidence, type LayerEvidence, type MonitoredRun } from './run-evidence.js';

export interface PlacedEvidence extends LayerEvidence {
  /** Where the layer's module is created in the script; undefined when it is made elsewhere. */
  span?: Span;
}

/** The run's evidence, each with the span of the module it is about when the script creates it. */
export function placeEvidence(parser: PythonParser, source: string, run: MonitoredRun): PlacedEvidence[] {
  const evidence = runEvidence(run);
  if (evidence.length === 0) return [];
  const tree = parser.parse(source);
  try {
    const lines = moduleLines(tree.rootNode as unknown as SyntaxNode);
    return evidence.map((e) => {
      const span = lineOfModule(lines, e.layer);
      return span ? { ...e, span } : { ...e };
    });
  } finally {
    tree.delete();
  }
}
