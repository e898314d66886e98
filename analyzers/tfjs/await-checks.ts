/**
 * The `await` checks of repeated code: synchronous tensor reads in training steps (FC602), with the
 * `await` fix in async functions, and `fit()` promises nobody awaits (FC603).
 */
import { ownEntry } from '../core/own-entry.js';
import type { ts } from 'ts-morph';
import type { SyncReadFact, UnawaitedFitFact } from '../facts.js';
import { SYNC_READS } from './catalog.js';
import { insertBefore, replaceNode } from './edits.js';
import type { TfjsFile } from './program.js';
import { MAX_FOLLOW, type Context, type Repeat } from './repeat.js';
import { TS } from './ts.js';
import {
  calleeName, enclosingFunction, enclosingLoop, isAssignmentTarget, isAsync, isCallArgument, isFunctionLike, isLoop, outerContext, receiverOf, walk,
} from './syntax.js';

const STEP_METHODS = new Set(['minimize', 'applyGradients', 'trainOnBatch']);

/** Checks the calls the walk in loops.ts hands it; one per file. */
export class AwaitChecks {
  private readonly ownSteps = new Map<Repeat, boolean>();
  private readonly seen = new Set<ts.Node>();
  private topLevelAwait: boolean | undefined;

  constructor(
    private readonly file: TfjsFile,
    private readonly result: { syncReads: SyncReadFact[]; unawaitedFits: UnawaitedFitFact[] },
    private readonly managedFunctions: Set<ts.Node>,
  ) {}

  // ---- FC602 --------------------------------------------------------------------------------

  syncRead(call: ts.CallExpression, method: string, ctx: Context): void {
    const repeat = ctx.repeat!;
    if (!this.stepsEachIteration(repeat) || this.seen.has(call)) return;
    this.seen.add(call);
    const fact: SyncReadFact = { span: this.file.src.span(call), method, loop: repeat.header };
    const fn = enclosingFunction(call);
    const receiver = receiverOf(call)!;
    if (fn && isAsync(fn) && !this.managedFunctions.has(fn)) {
      const replacement = `(await ${this.file.src.nodeText(receiver)}.${ownEntry(SYNC_READS, method)}())`;
      fact.asyncFix = { edit: replaceNode(this.file.src, call, replacement), replacement };
    }
    this.result.syncReads.push(fact);
  }

  /** Whether a repeat performs a training step itself (not only inside a nested loop). */
  private stepsEachIteration(repeat: Repeat): boolean {
    if (repeat.perStep) return true;
    let known = this.ownSteps.get(repeat);
    if (known !== undefined) return known;
    const visitBody = (body: ts.Node, depth: number, stack: Set<ts.Node>): boolean => {
      let found = false;
      walk(body, (node) => {
        if (found) return false;
        if (node !== body && (isLoop(node) || (isFunctionLike(node) && !isCallArgument(node)))) return false;
        if (!TS.isCallExpression(node)) return true;
        const method = calleeName(node);
        if (method && STEP_METHODS.has(method) && receiverOf(node)) found = true;
        else if (!receiverOf(node) && depth < MAX_FOLLOW) {
          const fn = this.file.functionOf(node.expression);
          if (fn?.body && !stack.has(fn)) {
            stack.add(fn);
            found = visitBody(fn.body, depth + 1, stack);
            stack.delete(fn);
          }
        }
        return true;
      });
      return found;
    };
    known = visitBody(repeat.body, 0, new Set());
    this.ownSteps.set(repeat, known);
    return known;
  }

  // ---- FC603 --------------------------------------------------------------------------------

  unawaitedFit(call: ts.CallExpression, ctx: Context): void {
    if (this.seen.has(call) || this.promiseHandled(call, 0)) return;
    this.seen.add(call);
    const fact: UnawaitedFitFact = { span: this.file.src.span(call), method: calleeName(call)!, inLoop: !!ctx.repeat || enclosingLoop(call) };
    const fn = enclosingFunction(call);
    if (fn ? isAsync(fn) : this.hasTopLevelAwait()) fact.awaitFix = insertBefore(this.file.src, call, 'await ');
    this.result.unawaitedFits.push(fact);
  }

  /** Whether a promise is awaited, chained, returned, stored or handed to someone (who may await it). */
  private promiseHandled(expr: ts.Expression, depth: number): boolean {
    const { node, parent } = outerContext(expr);
    if (!parent || depth > 4) return true;
    if (TS.isExpressionStatement(parent)) return false;
    if (TS.isVariableDeclaration(parent) && parent.initializer === node) {
      if (!TS.isIdentifier(parent.name)) return true;
      const binding = this.file.scopes.resolve(parent.name);
      if (!binding) return true;
      return this.file.scopes.referencesOf(binding).some((ref) => !isAssignmentTarget(ref) && this.promiseHandled(ref, depth + 1));
    }
    if (TS.isPropertyAccessExpression(parent)) return ['then', 'catch', 'finally'].includes(parent.name.text);
    if (TS.isBinaryExpression(parent) && parent.operatorToken.kind === TS.SyntaxKind.CommaToken && parent.left === node) return false;
    return true;
  }

  private hasTopLevelAwait(): boolean {
    if (this.topLevelAwait === undefined) {
      let found = false;
      walk(this.file.sf, (node) => {
        if (found || isFunctionLike(node) || TS.isClassLike(node)) return false;
        if (TS.isAwaitExpression(node) || (TS.isForOfStatement(node) && node.awaitModifier)) found = true;
        return true;
      });
      this.topLevelAwait = found;
    }
    return this.topLevelAwait;
  }
}
