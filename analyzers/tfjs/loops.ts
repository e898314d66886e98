/**
 * Loops: custom training loops (`optimizer.minimize`, `tf.variableGrads` + `applyGradients`,
 * `trainOnBatch`) as loop events, and what runs once per iteration or per frame — one walk that hands
 * each call to the tensor-lifetime check (FC601, tensor-lifetime.ts) and the `await` checks
 * (FC602, FC603, await-checks.ts).
 */
import { ownEntry } from '../core/own-entry.js';
import type { ts } from 'ts-morph';
import type { Span } from '../core/span.js';
import type { LoopEvent, LoopEventKind, SyncReadFact, TensorLeakFact, TrainingLoopFact, UnawaitedFitFact } from '../facts.js';
import { AwaitChecks } from './await-checks.js';
import { lossFunction, MANAGING_FUNCTIONS, optimizerFamily, SYNC_READS } from './catalog.js';
import type { ObjectiveTable } from './objectives.js';
import type { TfjsFile } from './program.js';
import { MAX_FOLLOW, type Context, type Repeat } from './repeat.js';
import { TensorLifetime } from './tensor-lifetime.js';
import { TS } from './ts.js';
import {
  calleeName, isAncestor, isCallArgument, isFunctionLike, isLoop, receiverOf, unwrap, walk, type FunctionLike, type LoopStatement,
} from './syntax.js';

export interface LoopTable {
  trainingLoops: TrainingLoopFact[];
  tensorLeaks: TensorLeakFact[];
  syncReads: SyncReadFact[];
  unawaitedFits: UnawaitedFitFact[];
}

const BATCH_CALLBACKS = new Set(['onBatchBegin', 'onBatchEnd', 'onYield']);
const FIT_CALLBACKS = new Set(['onBatchBegin', 'onBatchEnd', 'onYield', 'onEpochBegin', 'onEpochEnd']);
const STOPS_EARLY = /\bbreak\b|\.save\w*\s*\(|\bbest\w*\s*=|early_?stop|stopTraining|patience/i;

export function analyzeLoops(file: TfjsFile, objectives: ObjectiveTable): LoopTable {
  return new LoopAnalysis(file, objectives).run();
}

class LoopAnalysis {
  private readonly result: LoopTable = { trainingLoops: [], tensorLeaks: [], syncReads: [], unawaitedFits: [] };
  private readonly repeats = new Map<ts.Node, Repeat>();
  private readonly managedFunctions = new Set<ts.Node>();
  private readonly followed = new Set<string>();
  private readonly fitCalls: Set<ts.Node>;
  private readonly lifetime: TensorLifetime;
  private readonly awaits: AwaitChecks;

  constructor(private readonly file: TfjsFile, objectives: ObjectiveTable) {
    this.fitCalls = new Set(objectives.fitCalls);
    this.lifetime = new TensorLifetime(file, this.result);
    this.awaits = new AwaitChecks(file, this.result, this.managedFunctions);
  }

  run(): LoopTable {
    this.findRepeats();
    this.trainingLoops();
    this.visit(this.file.sf, { repeat: undefined, managed: false, root: undefined }, 0);
    this.lifetime.flushLeaks();
    return this.result;
  }

  // ---- what repeats ---------------------------------------------------------------------------

  private findRepeats(): void {
    const src = this.file.src;
    walk(this.file.sf, (node) => {
      if (isLoop(node)) this.addRepeat(node, node.statement, this.loopHeader(node), 'loop', false);
      return true;
    });
    for (const call of this.file.calls) {
      if (!TS.isCallExpression(call)) continue;
      const name = calleeName(call);
      const path = this.file.callPath(call);
      if (path !== undefined && MANAGING_FUNCTIONS.has(path)) {
        for (const arg of call.arguments) if (isFunctionLike(unwrap(arg))) this.managedFunctions.add(unwrap(arg));
      }
      if (name === 'minimize' && call.arguments[0] && isFunctionLike(unwrap(call.arguments[0]))) this.managedFunctions.add(unwrap(call.arguments[0]));
      if (!name) continue;
      if ((name === 'forEach' || name === 'forEachAsync') && receiverOf(call)) {
        const fn = this.file.functionOf(call.arguments[0]);
        if (fn?.body) this.addRepeat(fn, fn.body, src.span(call.expression), 'each', false);
      } else if (name === 'setInterval' && !receiverOrWindow(call)) {
        const fn = this.file.functionOf(call.arguments[0]);
        if (fn?.body) this.addRepeat(fn, fn.body, src.span(call.expression), 'callback', false);
      } else if ((name === 'requestAnimationFrame' || name === 'setTimeout') && !receiverOrWindow(call)) {
        // `function loop() { ...; requestAnimationFrame(loop); }` (or `(() => loop())`): the function runs once per frame.
        const fn = this.rescheduled(call);
        if (fn?.body) this.addRepeat(fn, fn.body, src.span(call), 'callback', false);
      }
    }
    for (const fit of this.fitCalls) this.fitCallbacks(fit as ts.CallExpression);
  }

  /** The function that schedules itself again with this call, if it does. */
  private rescheduled(call: ts.CallExpression): FunctionLike | undefined {
    const fn = this.file.functionOf(call.arguments[0]);
    if (!fn) return undefined;
    if (isAncestor(fn, call)) return fn;
    // An inline wrapper that calls the enclosing function: `requestAnimationFrame(() => loop(model))`.
    const body = fn.body && !TS.isBlock(fn.body) ? unwrap(fn.body as ts.Expression) : undefined;
    const inner = body && TS.isCallExpression(body) ? this.file.functionOf(body.expression) : undefined;
    return inner && isAncestor(inner, call) ? inner : undefined;
  }

  private fitCallbacks(fit: ts.CallExpression): void {
    const options = this.file.options(fit.arguments[calleeName(fit) === 'fit' ? 2 : 1]);
    const callbacks = this.file.literal(this.file.option(options, 'callbacks')?.value);
    const items = callbacks ? (TS.isArrayLiteralExpression(callbacks) ? [...callbacks.elements] : [callbacks]) : [];
    for (const item of items) {
      const object = this.file.options(item);
      for (const property of object?.properties ?? []) {
        const name = property.name && TS.isIdentifier(property.name) ? property.name.text : undefined;
        if (!name || !FIT_CALLBACKS.has(name)) continue;
        const fn = TS.isMethodDeclaration(property) ? property : TS.isPropertyAssignment(property) ? this.file.functionOf(property.initializer) : undefined;
        if (fn?.body) this.addRepeat(fn, fn.body, this.file.src.span(property.name!), 'callback', BATCH_CALLBACKS.has(name));
      }
    }
  }

  private addRepeat(node: ts.Node, body: ts.Node, header: Span, kind: Repeat['kind'], perStep: boolean): void {
    if (this.repeats.has(body)) return;
    this.repeats.set(body, { node, body, header, kind, perStep, manualScope: /\bendScope\s*\(/.test(this.file.src.nodeText(body)) });
  }

  private loopHeader(loop: LoopStatement): Span {
    const src = this.file.src;
    const start = src.start(loop);
    const line = src.lineOf(start);
    const lineEnd = (src.lineStarts[line + 1] ?? src.text.length + 1) - 1;
    const bodyStart = TS.isDoStatement(loop) ? start + 2 : src.start(loop.statement);
    return src.range(start, Math.max(start, Math.min(lineEnd, bodyStart)));
  }

  // ---- custom training loops -----------------------------------------------------------------

  private trainingLoops(): void {
    const loops: { repeat: Repeat; fact: TrainingLoopFact }[] = [];
    for (const repeat of this.repeats.values()) {
      const isLoopStatement = repeat.kind === 'loop';
      if (repeat.kind === 'callback') continue;
      const events: LoopEvent[] = [];
      this.collectEvents(repeat.body, events, 0, new Set());
      if (!events.some((e) => e.kind === 'backward')) continue;
      const fact: TrainingLoopFact = {
        span: repeat.header, events, outermost: true, loaders: [],
        stopsEarly: STOPS_EARLY.test(this.file.src.nodeText(repeat.body)),
      };
      const epochs = isLoopStatement ? this.epochCount(repeat.node as LoopStatement) : undefined;
      if (epochs) fact.epochs = epochs;
      loops.push({ repeat, fact });
    }
    for (const { repeat, fact } of loops) {
      fact.outermost = !loops.some((other) => other.repeat !== repeat && isAncestor(other.repeat.body, repeat.node));
      this.result.trainingLoops.push(fact);
    }
    this.result.trainingLoops.sort((a, b) => a.span.start.line - b.span.start.line || a.span.start.character - b.span.start.character);
  }

  /** `for (let epoch = 0; epoch < 100; epoch++)`: the literal (or constant) bound. */
  private epochCount(loop: LoopStatement): TrainingLoopFact['epochs'] {
    const condition = TS.isForStatement(loop) ? loop.condition : TS.isWhileStatement(loop) ? loop.expression : undefined;
    if (!condition || !TS.isBinaryExpression(condition)) return undefined;
    const op = condition.operatorToken.kind;
    if (op !== TS.SyntaxKind.LessThanToken && op !== TS.SyntaxKind.LessThanEqualsToken) return undefined;
    const value = this.file.numberOf(condition.right);
    if (value === undefined || !Number.isInteger(value)) return undefined;
    // The counter's start, when the loop declares it (`let epoch = 1`); 0 otherwise.
    const declared = TS.isForStatement(loop) && loop.initializer && TS.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations[0] : undefined;
    const start = (declared && this.file.numberOf(declared.initializer)) ?? 0;
    const count = value - start + (op === TS.SyntaxKind.LessThanEqualsToken ? 1 : 0);
    return count > 0 ? { value: count, span: this.file.src.span(condition.right) } : undefined;
  }

  /** The loop events of a body in source order, following calls of functions defined in this file. */
  private collectEvents(body: ts.Node, events: LoopEvent[], depth: number, stack: Set<ts.Node>): void {
    const file = this.file;
    walk(body, (node) => {
      if (isFunctionLike(node) && node !== body && !isCallArgument(node)) return false;
      if (!TS.isCallExpression(node) && !TS.isNewExpression(node)) return true;
      const event = (kind: LoopEventKind, extra: Partial<LoopEvent> = {}) => events.push({ kind, span: file.src.span(node), ...extra });
      const path = file.callPath(node);
      if (path !== undefined) {
        if (['variableGrads', 'grads', 'grad', 'valueAndGrad', 'valueAndGrads'].includes(path)) event('backward');
        else if (optimizerFamily(path) && (TS.isNewExpression(node) || path.startsWith('train.'))) event('optimizer_created');
        else if (path === 'sequential' || path === 'model') event('model_created');
        else if (lossFunction(path)) event('loss');
        return true;
      }
      if (!TS.isCallExpression(node)) return true;
      const method = calleeName(node);
      const receiver = receiverOf(node);
      if (method && receiver) {
        const receiverText = file.src.nodeText(receiver);
        if (method === 'minimize') {
          event('backward', { receiver: receiverText });
          event('step', { receiver: receiverText });
        } else if (method === 'applyGradients') {
          event('step', { receiver: receiverText });
        } else if (method === 'trainOnBatch' && file.isModelish(receiver)) {
          const target = file.modelOf(receiver)?.id;
          event('backward', target ? { target } : {});
          event('step', target ? { target } : {});
        } else if ((method === 'predict' || method === 'apply' || method === 'predictOnBatch') && file.modelOf(receiver)) {
          event('forward', { target: file.modelOf(receiver)!.id });
        }
        return true;
      }
      const fn = TS.isIdentifier(unwrap(node.expression)) ? file.functionOf(node.expression) : undefined;
      if (fn && file.returnedExpressions(fn).some((value) => file.modelOf(value))) event('model_created');
      else if (fn?.body && depth < MAX_FOLLOW && !stack.has(fn)) {
        stack.add(fn);
        this.collectEvents(fn.body, events, depth + 1, stack);
        stack.delete(fn);
      }
      return true;
    });
  }

  // ---- one walk with the context of each node ------------------------------------------------

  private visit(node: ts.Node, outer: Context, depth: number): void {
    if (depth > 500) return;
    let ctx = outer;
    const repeat = this.repeats.get(node);
    if (repeat) {
      ctx = { repeat, managed: outer.managed || repeat.manualScope, root: node };
    } else if (isFunctionLike(node)) {
      if (this.managedFunctions.has(node)) ctx = { ...outer, managed: true };
      else if (!isCallArgument(node) && !this.repeats.has(node.body as ts.Node)) ctx = { repeat: undefined, managed: false, root: undefined };
    }
    if (TS.isCallExpression(node)) this.call(node, ctx, depth);
    TS.forEachChild(node, (child) => this.visit(child, ctx, depth + 1));
  }

  private call(call: ts.CallExpression, ctx: Context, depth: number): void {
    const method = calleeName(call);
    if (this.fitCalls.has(call)) this.awaits.unawaitedFit(call, ctx);
    if (!ctx.repeat) return;
    if (method && ownEntry(SYNC_READS, method) && receiverOf(call) && call.arguments.length === 0) this.awaits.syncRead(call, method, ctx);
    if (!ctx.managed && this.lifetime.creates(call)) this.lifetime.leak(call, ctx);
    // Helpers called from the loop run once per iteration too.
    if (!receiverOf(call)) {
      const fn = this.file.functionOf(call.expression);
      const key = fn ? `${fn.pos}:${ctx.managed}` : '';
      if (fn?.body && !isAncestor(fn, call) && depth < 400 && !this.followed.has(key) && !this.repeats.has(fn.body)) {
        this.followed.add(key);
        TS.forEachChild(fn.body, (child) => this.visit(child, { repeat: ctx.repeat, managed: ctx.managed, root: fn.body }, depth + 1));
      }
    }
  }
}

/** `window.setInterval` and plain `setInterval`, but not `timer.setInterval`. */
function receiverOrWindow(call: ts.CallExpression): boolean {
  const receiver = receiverOf(call);
  return !!receiver && !(TS.isIdentifier(receiver) && (receiver.text === 'window' || receiver.text === 'globalThis' || receiver.text === 'self'));
}
