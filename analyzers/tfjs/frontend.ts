/** The TensorFlow.js front-end: a TypeScript/JavaScript syntax tree in, the shared training facts out. */
import type { ts } from 'ts-morph';
import { emptyFacts, type TrainingFacts } from '../facts.js';
import { TFJS_HINT } from './catalog.js';
import { analyzeLoops } from './loops.js';
import { extractModels } from './models.js';
import { extractObjectives } from './objectives.js';
import { TfjsFile } from './program.js';
import { TS } from './ts.js';

/** Cheap test on the text, before any parsing: only files that name a tfjs module in a string are parsed. */
export function mentionsTfjs(text: string): boolean {
  return text.includes('@tensorflow/tfjs') && TFJS_HINT.test(text);
}

/** Extracts models, objectives, loops and the tfjs-specific facts from a parsed file. */
export function tfjsFacts(sf: ts.SourceFile, text: string): TrainingFacts {
  const file = new TfjsFile(sf, text);
  if (!file.importsTfjs()) return emptyFacts();
  const models = extractModels(file);
  const objectives = extractObjectives(file, models.models);
  const loops = analyzeLoops(file, objectives);
  return {
    ...emptyFacts(),
    frameworks: ['tfjs'],
    models: models.models,
    losses: objectives.losses,
    optimizers: objectives.optimizers,
    trainingLoops: loops.trainingLoops,
    fits: objectives.fits,
    compiles: objectives.compiles,
    evaluateCalls: objectives.evaluateCalls,
    evaluationSeen: objectives.evaluateCalls.length > 0,
    regularization: { kernelRegularizer: models.kernelRegularizer },
    tensorLeaks: loops.tensorLeaks,
    syncReads: loops.syncReads,
    unawaitedFits: loops.unawaitedFits,
  };
}

/**
 * Comments that hold a `fitcheck:` directive, with their start: `// fitcheck: ignore[FC601]` and
 * `/* fitcheck: ignore-file *\/`. Only the places where the text says `fitcheck` are looked at.
 */
export function directiveComments(sf: ts.SourceFile, text: string): { line: number; character: number; text: string }[] {
  const out: { line: number; character: number; text: string }[] = [];
  const seen = new Set<number>();
  for (let at = text.indexOf('fitcheck'); at !== -1; at = text.indexOf('fitcheck', at + 8)) {
    const comment = commentAt(sf, text, at);
    if (!comment || seen.has(comment.pos)) continue;
    seen.add(comment.pos);
    const { line, character } = sf.getLineAndCharacterOfPosition(comment.pos);
    out.push({ line, character, text: text.slice(comment.pos, comment.end) });
  }
  return out;
}

/** The comment covering offset `at`, if `at` is inside one (not inside a string or template). */
function commentAt(sf: ts.SourceFile, text: string, at: number): ts.CommentRange | undefined {
  let node: ts.Node = sf;
  for (let depth = 0; depth < 1000; depth++) {
    let next: ts.Node | undefined;
    for (const child of node.getChildren(sf)) {
      if (child.pos <= at && at < child.end) {
        next = child;
        break;
      }
    }
    if (!next) break;
    if (at < next.getStart(sf)) return commentIn(text, next.pos, at);
    node = next;
  }
  // Trivia at the very end of the file belongs to the end-of-file token.
  return commentIn(text, sf.endOfFileToken.pos, at);
}

/** The comment covering `at` in the trivia starting at `pos`: on the line of the previous token, or on lines of its own. */
function commentIn(text: string, pos: number, at: number): ts.CommentRange | undefined {
  const ranges = [...(TS.getTrailingCommentRanges(text, pos) ?? []), ...(TS.getLeadingCommentRanges(text, pos) ?? [])];
  return ranges.find((r) => r.pos <= at && at < r.end);
}
