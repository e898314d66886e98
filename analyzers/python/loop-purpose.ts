/**
 * What a loop or call is for, read from the code around it: a timed loop measures speed, a `fit` in a
 * `try` shows an error, `run_epoch(test, train=False)` evaluates. FC405 trusts these over loop shapes.
 */
import type { SyntaxNode } from './syntax-tree.js';
import { callArgs, unparen } from './node-queries.js';

/** Clocks and synchronisation points that only a measurement needs. */
const TIMING = /\b(?:perf_counter|process_time|monotonic)\s*\(|\btime\.time\s*\(|\btimeit\b|\bcuda\.synchronize\s*\(|\bEvent\s*\(\s*enable_timing|\bbenchmark\.Timer\b/;
/** A function whose name says it measures speed. */
const BENCH_NAME = /bench|profil|timing|throughput|speed|warm_?up/i;
/** Keywords that switch a helper between training and evaluation. */
const TRAIN_SWITCH = /^(?:is_)?train(?:ing)?(?:_mode)?$|^do_train$|^backprop$|^update$/;
const PHASE_SWITCH = /^(?:mode|phase|split|stage)$/;
const EVAL_PHASE = /^['"](?:val|valid|validation|eval|evaluation|test|testing|dev)['"]$/i;

/** A loop timed by the statements around it (or inside it), or inside a benchmark function. */
export function isTimedLoop(loop: SyntaxNode): boolean {
  if (TIMING.test(loop.text)) return true;
  const around: SyntaxNode[] = [];
  for (let s = loop.previousSibling, n = 0; s && n < 3; s = s.previousSibling, n++) around.push(s);
  for (let s = loop.nextSibling, n = 0; s && n < 3; s = s.nextSibling, n++) around.push(s);
  if (around.some((s) => TIMING.test(s.text))) return true;
  for (let p = loop.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return BENCH_NAME.test(p.childForFieldName('name')?.text ?? '');
  }
  return false;
}

/** The name of the class whose method holds the node, if any. */
export function enclosingClassName(node: SyntaxNode): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'class_definition') return p.childForFieldName('name')?.text;
  }
  return undefined;
}

/**
 * A call inside the body of a `try` whose handlers catch errors other than an interrupt: code that
 * shows an error (`try: model.fit(bad) except ValueError as e: print(e)`), not a training run.
 * `except KeyboardInterrupt:` around a real run does not count.
 */
export function insideDemonstrationTry(node: SyntaxNode): boolean {
  for (let p: SyntaxNode | null = node.parent, child: SyntaxNode = node; p; child = p, p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition') return false;
    if (p.type !== 'try_statement' || p.childForFieldName('body')?.id !== child.id) continue;
    const handlers = p.namedChildren.filter((c) => c?.type === 'except_clause');
    return handlers.length > 0 && handlers.every((h) => {
      const header = h!.text.slice(0, h!.text.indexOf(':'));
      // A bare `except:`, an interrupt, or a handler that re-raises guards a real run.
      return /^except\s*\*?\s*\S/.test(header) && !/KeyboardInterrupt|SystemExit|BaseException/.test(header) && !/\braise\b/.test(h!.text);
    });
  }
  return false;
}

/** `run_epoch(test_loader, train=False)`, `step(batch, mode="val")`: a call that asks a helper to evaluate. */
export function asksForEvaluation(call: SyntaxNode): boolean {
  for (const [keyword, value] of callArgs(call).keywords) {
    const text = unparen(value).text;
    if (TRAIN_SWITCH.test(keyword) && text === 'False') return true;
    if (PHASE_SWITCH.test(keyword) && EVAL_PHASE.test(text)) return true;
  }
  return false;
}
