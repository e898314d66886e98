/**
 * Loops: custom training loops (`optimizer.minimize`, `tf.variableGrads` + `applyGradients`,
 * `trainOnBatch`) as loop events, and what runs once per iteration or per frame — tensors that
 * leak (FC601), synchronous reads in training steps (FC602) and `fit()` promises nobody awaits (FC603).
 */
import type { ts } from 'ts-morph';
import type { TextEdit } from '../core/findings.js';
import type { Span } from '../core/span.js';
import type { LoopEvent, LoopEventKind, SyncReadFact, TensorLeakFact, TrainingLoopFact, UnawaitedFitFact } from '../facts.js';
import {
  createsTensor, lossFunction, MANAGING_FUNCTIONS, MODEL_TENSOR_METHODS, optimizerFamily, READ_METHODS, SYNC_READS, TENSOR_METHODS,
} from './catalog.js';
import { insertBefore, replaceNode, wrapBlockInTidy } from './edits.js';
import type { ObjectiveTable } from './objectives.js';
import type { TfjsFile } from './program.js';
import type { Binding } from './scope.js';
import { TS } from './ts.js';
import {
  calleeName, enclosingFunction, enclosingStatement, isAsync, isFunctionLike, isLoop, outerContext, receiverOf, unwrap, walk,
  type FunctionLike, type LoopStatement,
} from './syntax.js';

export interface LoopTable {
  trainingLoops: TrainingLoopFact[];
  tensorLeaks: TensorLeakFact[];
  syncReads: SyncReadFact[];
  unawaitedFits: UnawaitedFitFact[];
}

/** Code that runs again and again: a loop body, or a callback run per element, per frame or per batch. */
interface Repeat {
  /** The loop statement, or the function run repeatedly. */
  node: ts.Node;
  body: ts.Node;
  header: Span;
  /** `loop`: a loop statement; `each`: a `forEach`/`forEachAsync` callback; `callback`: frames, timers, fit callbacks. */
  kind: 'loop' | 'each' | 'callback';
  /** `onBatchEnd`-style fit callbacks: every call is a training step. */
  perStep: boolean;
  /** The body manages tensors itself (`tf.engine().startScope()` / `endScope()`). */
  manualScope: boolean;
}

interface Context {
  repeat: Repeat | undefined;
  /** Inside `tf.tidy`, `optimizer.minimize` or `tf.variableGrads`: intermediate tensors are disposed for us. */
  managed: boolean;
  /** Variables declared under this node live for one iteration (the repeat body, or a helper's body). */
  root: ts.Node | undefined;
}

type Sink = 'handled' | 'leak' | { bindings: Binding[] };

const MAX_FOLLOW = 4;
/** How far `a.b().c()` chains and variables are followed to decide that a value is a tensor. */
const MAX_VALUE_DEPTH = 40;
const STEP_METHODS = new Set(['minimize', 'applyGradients', 'trainOnBatch']);
const BATCH_CALLBACKS = new Set(['onBatchBegin', 'onBatchEnd', 'onYield']);
const FIT_CALLBACKS = new Set(['onBatchBegin', 'onBatchEnd', 'onYield', 'onEpochBegin', 'onEpochEnd']);
const STORE_METHODS = new Set(['push', 'unshift', 'splice', 'set']);
/** Calls whose completion comes later: tensors they use must outlive a synchronous `tf.tidy`. */
const ASYNC_METHODS = new Set(['then', 'catch', 'finally', 'fit', 'fitDataset', 'trainOnBatch', 'data', 'array', 'executeAsync', 'save', 'fromPixelsAsync', 'evaluateDataset']);
/** Calls that only ever return plain numbers and strings. */
const PLAIN_RECEIVERS = new Set(['Math', 'Number', 'String', 'JSON', 'console', 'Date', 'Object', 'Array']);
const PLAIN_FUNCTIONS = new Set(['Number', 'String', 'Boolean', 'parseFloat', 'parseInt', 'isNaN', 'isFinite']);
const STOPS_EARLY = /\bbreak\b|\.save\w*\s*\(|\bbest\w*\s*=|early_?stop|stopTraining|patience/i;

export function analyzeLoops(file: TfjsFile, objectives: ObjectiveTable): LoopTable {
  return new LoopAnalysis(file, objectives).run();
}

class LoopAnalysis {
  private readonly result: LoopTable = { trainingLoops: [], tensorLeaks: [], syncReads: [], unawaitedFits: [] };
  private readonly repeats = new Map<ts.Node, Repeat>();
  private readonly managedFunctions = new Set<ts.Node>();
  private readonly ownSteps = new Map<Repeat, boolean>();
  private readonly tidyFixes = new Map<Repeat, TextEdit[] | undefined>();
  private readonly leakStatements = new Map<ts.Node, { calls: { call: ts.CallExpression; variable?: string }[]; repeat: Repeat }>();
  private readonly seen = new Set<ts.Node>();
  private readonly followed = new Set<string>();
  private readonly fitCalls: Set<ts.Node>;
  private topLevelAwait: boolean | undefined;

  constructor(private readonly file: TfjsFile, objectives: ObjectiveTable) {
    this.fitCalls = new Set(objectives.fitCalls);
  }

  run(): LoopTable {
    this.findRepeats();
    this.trainingLoops();
    this.visit(this.file.sf, { repeat: undefined, managed: false, root: undefined }, 0);
    this.flushLeaks();
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
    if (this.fitCalls.has(call)) this.unawaitedFit(call, ctx);
    if (!ctx.repeat) return;
    if (method && SYNC_READS[method] && receiverOf(call) && call.arguments.length === 0) this.syncRead(call, method, ctx);
    if (!ctx.managed && this.creates(call)) this.leak(call, ctx);
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

  // ---- FC602 --------------------------------------------------------------------------------

  private syncRead(call: ts.CallExpression, method: string, ctx: Context): void {
    const repeat = ctx.repeat!;
    if (!this.stepsEachIteration(repeat) || this.seen.has(call)) return;
    this.seen.add(call);
    const fact: SyncReadFact = { span: this.file.src.span(call), method, loop: repeat.header };
    const fn = enclosingFunction(call);
    const receiver = receiverOf(call)!;
    if (fn && isAsync(fn) && !this.managedFunctions.has(fn)) {
      const replacement = `(await ${this.file.src.nodeText(receiver)}.${SYNC_READS[method]}())`;
      fact.asyncFix = { edit: replaceNode(this.file.src, call, replacement), replacement };
    }
    this.result.syncReads.push(fact);
  }

  // ---- FC603 --------------------------------------------------------------------------------

  private unawaitedFit(call: ts.CallExpression, ctx: Context): void {
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

  // ---- FC601 --------------------------------------------------------------------------------

  /** Whether a call returns new tensors. */
  private creates(call: ts.CallExpression, depth = 0): boolean {
    if (depth > MAX_VALUE_DEPTH) return false;
    const path = this.file.callPath(call);
    if (path !== undefined) {
      if (path === 'tidy') return this.tidyReturnsTensor(call, depth);
      return createsTensor(path);
    }
    const method = calleeName(call);
    const receiver = receiverOf(call);
    if (!method || !receiver) return false;
    if (method === 'minimize') return this.file.boolOf(call.arguments[1]) === true;
    if (MODEL_TENSOR_METHODS.has(method)) return method !== 'apply' ? this.file.isModelish(receiver) : !!this.file.modelOf(receiver);
    if (TENSOR_METHODS.has(method)) return this.tensorValued(receiver, depth + 1);
    return false;
  }

  private tidyReturnsTensor(call: ts.CallExpression, depth: number): boolean {
    const fn = this.file.functionOf(call.arguments[call.arguments.length - 1]);
    return !!fn && this.file.returnedExpressions(fn).some((value) => this.tensorValued(value, depth + 1));
  }

  /** Whether an expression is (known to be) a tensor. */
  private tensorValued(expr: ts.Expression, depth: number): boolean {
    if (depth > MAX_VALUE_DEPTH) return false;
    let node = unwrap(expr);
    if (TS.isAwaitExpression(node)) node = unwrap(node.expression);
    if (TS.isCallExpression(node)) return this.creates(node, depth + 1);
    if (TS.isIdentifier(node)) {
      const binding = this.file.scopes.resolve(node);
      const value = binding ? this.file.valueOf(binding, node) : undefined;
      return !!value && this.tensorValued(value, depth + 1);
    }
    return false;
  }

  private leak(call: ts.CallExpression, ctx: Context): void {
    const sink = this.sinkOf(call, ctx.root, 0);
    if (sink === 'handled') return;
    let variable: string | undefined;
    if (sink !== 'leak') {
      if (sink.bindings.some((b) => this.bindingHandled(b, ctx.root, 0))) return;
      variable = sink.bindings.map((b) => b.name).join(', ');
    }
    const statement = enclosingStatement(call) ?? call;
    const group = this.leakStatements.get(statement) ?? { calls: [], repeat: ctx.repeat! };
    if (group.calls.some((c) => c.call === call)) return;
    group.calls.push(variable ? { call, variable } : { call });
    this.leakStatements.set(statement, group);
  }

  /** Where a tensor value goes: disposed or handed on (`handled`), dropped (`leak`), or into variables. */
  private sinkOf(expr: ts.Expression, root: ts.Node | undefined, depth: number): Sink {
    if (depth > 8) return 'handled';
    const { node, parent } = outerContext(expr);
    if (!parent) return 'handled';
    const up = () => this.sinkOf(parent as ts.Expression, root, depth + 1);
    switch (parent.kind) {
      case TS.SyntaxKind.AwaitExpression:
        return up();
      case TS.SyntaxKind.ConditionalExpression:
        return (parent as ts.ConditionalExpression).condition === node ? 'handled' : up();
      case TS.SyntaxKind.BinaryExpression: {
        const binary = parent as ts.BinaryExpression;
        const op = binary.operatorToken.kind;
        if (op === TS.SyntaxKind.QuestionQuestionToken || op === TS.SyntaxKind.BarBarToken || op === TS.SyntaxKind.AmpersandAmpersandToken) return up();
        if (op !== TS.SyntaxKind.EqualsToken || binary.right !== node) return 'handled';
        const target = unwrap(binary.left);
        if (!TS.isIdentifier(target)) return 'handled';
        const binding = this.file.scopes.resolve(target);
        return binding && root && isAncestor(root, binding.id) ? { bindings: [binding] } : 'handled';
      }
      case TS.SyntaxKind.PropertyAccessExpression: {
        const access = parent as ts.PropertyAccessExpression;
        const call = access.parent;
        if (call && TS.isCallExpression(call) && call.expression === access) {
          const method = access.name.text;
          if (method === 'dispose') return 'handled';
          return TENSOR_METHODS.has(method) || READ_METHODS.has(method) ? 'leak' : 'handled';
        }
        return ['shape', 'rank', 'size', 'dtype'].includes(access.name.text) ? 'leak' : 'handled';
      }
      case TS.SyntaxKind.CallExpression:
      case TS.SyntaxKind.NewExpression: {
        const call = parent as ts.CallExpression;
        if (call.expression === node) return 'handled';
        const path = this.file.callPath(call);
        if (path === 'dispose' || path === 'keep') return 'handled';
        if (path !== undefined) return 'leak';
        const method = calleeName(call);
        const receiver = receiverOf(call);
        if (receiver && TS.isIdentifier(unwrap(receiver)) && (unwrap(receiver) as ts.Identifier).text === 'console') return 'leak';
        if (TS.isCallExpression(call) && this.creates(call)) return 'leak';
        if (method && STORE_METHODS.has(method) && receiver) return 'handled';
        if (method && receiver && ['fit', 'fitDataset', 'trainOnBatch', 'evaluate', 'applyGradients', 'toPixels'].includes(method)) return 'leak';
        return 'handled';
      }
      case TS.SyntaxKind.ArrayLiteralExpression:
      case TS.SyntaxKind.SpreadElement:
        return up();
      case TS.SyntaxKind.PropertyAssignment:
      case TS.SyntaxKind.ShorthandPropertyAssignment: {
        const object = parent.parent;
        return object && TS.isObjectLiteralExpression(object) ? this.sinkOf(object, root, depth + 1) : 'handled';
      }
      case TS.SyntaxKind.VariableDeclaration: {
        const declaration = parent as ts.VariableDeclaration;
        if (declaration.initializer !== node) return 'handled';
        const bindings = this.declared(declaration.name);
        if (bindings.length === 0 || !root || !bindings.every((b) => isAncestor(root, b.id))) return 'handled';
        return { bindings };
      }
      case TS.SyntaxKind.ExpressionStatement:
        return 'leak';
      default:
        return 'handled';
    }
  }

  private declared(name: ts.BindingName): Binding[] {
    if (TS.isIdentifier(name)) {
      const binding = this.file.scopes.resolve(name);
      return binding ? [binding] : [];
    }
    return name.elements.flatMap((element) => (TS.isBindingElement(element) ? this.declared(element.name) : []));
  }

  /** Whether a variable holding a tensor is disposed, or handed on, somewhere. */
  private bindingHandled(binding: Binding, root: ts.Node | undefined, depth: number): boolean {
    if (depth > 4) return true;
    for (const ref of this.file.scopes.referencesOf(binding)) {
      if (isAssignmentTarget(ref)) continue;
      const sink = this.sinkOf(ref, root, 0);
      if (sink === 'handled') return true;
      if (sink !== 'leak' && sink.bindings.some((b) => b !== binding && this.bindingHandled(b, root, depth + 1))) return true;
    }
    return false;
  }

  private flushLeaks(): void {
    for (const [, group] of this.leakStatements) {
      // The outermost leaking call of the statement carries the finding; the others are its intermediates.
      const outermost = group.calls.reduce((a, b) => (b.call.end - b.call.pos > a.call.end - a.call.pos ? b : a));
      const variable = group.calls.find((c) => c.variable)?.variable;
      const text = this.file.src.nodeText(outermost.call).replace(/\s+/g, ' ');
      const fact: TensorLeakFact = {
        span: this.file.src.span(outermost.call),
        api: text.length > 60 ? `${text.slice(0, 57)}...` : text,
        count: group.calls.length,
        reason: variable ? 'not-disposed' : 'unreferenced',
        loop: group.repeat.header,
      };
      if (variable) fact.variable = variable;
      const fix = this.tidyFix(group.repeat);
      if (fix) fact.tidyFix = fix;
      this.result.tensorLeaks.push(fact);
    }
    this.result.tensorLeaks.sort((a, b) => a.span.start.line - b.span.start.line || a.span.start.character - b.span.start.character);
  }

  // ---- the tf.tidy quick fix -----------------------------------------------------------------

  private tidyFix(repeat: Repeat): TextEdit[] | undefined {
    if (this.tidyFixes.has(repeat)) return this.tidyFixes.get(repeat);
    let fix: TextEdit[] | undefined;
    const tidy = this.tidyName(repeat.body);
    if (tidy && TS.isBlock(repeat.body) && this.safeToTidy(repeat)) fix = wrapBlockInTidy(this.file.src, repeat.body, tidy);
    this.tidyFixes.set(repeat, fix);
    return fix;
  }

  /** How `tf.tidy` is written where the body is (`tf.tidy`, or `tidy` when imported by name). */
  private tidyName(at: ts.Node): string | undefined {
    for (const binding of this.file.scopes.fileBindings()) {
      const path = this.file.qualify(binding.id);
      if ((path !== '' && path !== 'tidy') || this.file.scopes.lookup(binding.name, at) !== binding) continue;
      return path === '' ? `${binding.name}.tidy` : binding.name;
    }
    return undefined;
  }

  /**
   * Wrapping a body in a synchronous `tf.tidy` callback keeps its behaviour only when nothing in it
   * waits (`await`), jumps out (`break`, `continue`, `return` of a loop), declares `var`s used later,
   * or stores a tensor outside the body (tidy would dispose it).
   */
  private safeToTidy(repeat: Repeat): boolean {
    const body = repeat.body;
    const isLoopBody = isLoop(repeat.node);
    let safe = true;
    const check = (node: ts.Node, depth: number, inner: { loop: number; switch: number }): void => {
      if (!safe || depth > 400) return;
      if (isFunctionLike(node) || TS.isClassLike(node)) return;
      switch (node.kind) {
        case TS.SyntaxKind.AwaitExpression:
        case TS.SyntaxKind.YieldExpression:
          safe = false;
          return;
        case TS.SyntaxKind.ReturnStatement:
          if (isLoopBody || (node as ts.ReturnStatement).expression) safe = false;
          return;
        case TS.SyntaxKind.BreakStatement:
        case TS.SyntaxKind.ContinueStatement: {
          const jump = node as ts.BreakOrContinueStatement;
          const breaks = node.kind === TS.SyntaxKind.BreakStatement;
          if (jump.label || (breaks ? inner.loop + inner.switch === 0 : inner.loop === 0)) safe = false;
          return;
        }
        case TS.SyntaxKind.VariableDeclarationList:
          if (!((node as ts.VariableDeclarationList).flags & (TS.NodeFlags.Let | TS.NodeFlags.Const))) safe = false;
          break;
        case TS.SyntaxKind.BinaryExpression: {
          const binary = node as ts.BinaryExpression;
          if (binary.operatorToken.kind === TS.SyntaxKind.EqualsToken && this.storesOutside(binary.left, body) && this.mayBeTensor(binary.right)) safe = false;
          break;
        }
        case TS.SyntaxKind.CallExpression: {
          const call = node as ts.CallExpression;
          const method = calleeName(call);
          const receiver = receiverOf(call);
          if (method && ASYNC_METHODS.has(method) && receiver) safe = false;
          if (method && STORE_METHODS.has(method) && receiver && this.storesOutside(receiver, body) && call.arguments.some((a) => this.mayBeTensor(a))) safe = false;
          break;
        }
        default:
          break;
      }
      const nested = isLoop(node) ? { ...inner, loop: inner.loop + 1 } : TS.isSwitchStatement(node) ? { ...inner, switch: inner.switch + 1 } : inner;
      TS.forEachChild(node, (child) => check(child, depth + 1, nested));
    };
    TS.forEachChild(body, (child) => check(child, 0, { loop: 0, switch: 0 }));
    return safe;
  }

  /** Whether an assignment target (or a receiver) is a variable or object that outlives the body. */
  private storesOutside(target: ts.Expression, body: ts.Node): boolean {
    let node = unwrap(target);
    while (TS.isPropertyAccessExpression(node) || TS.isElementAccessExpression(node)) node = unwrap(node.expression);
    if (!TS.isIdentifier(node)) return true;
    const binding = this.file.scopes.resolve(node);
    return !binding || !isAncestor(body, binding.id);
  }

  /** Anything but plain numbers, strings and reads of tensor values. */
  private mayBeTensor(expr: ts.Expression): boolean {
    let tensor = false;
    walk(expr, (node) => {
      if (tensor || isFunctionLike(node)) return false;
      if (TS.isCallExpression(node)) {
        const method = calleeName(node);
        const receiver = receiverOf(node);
        const receiverName = receiver && TS.isIdentifier(unwrap(receiver)) ? (unwrap(receiver) as ts.Identifier).text : undefined;
        const plain = (method && READ_METHODS.has(method) && receiver) || (receiverName && PLAIN_RECEIVERS.has(receiverName)) ||
          (!receiver && method && PLAIN_FUNCTIONS.has(method));
        if (!plain) tensor = true;
      } else if (TS.isIdentifier(node) && isValue(node) && this.tensorValued(node, 0)) {
        tensor = true;
      }
      return true;
    });
    return tensor;
  }
}

function isAncestor(ancestor: ts.Node, node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

/** A function written as an argument of a call (a callback), which runs where the call runs. */
function isCallArgument(fn: ts.Node): boolean {
  const { parent } = outerContext(fn as ts.Expression);
  return !!parent && (TS.isCallExpression(parent) || TS.isNewExpression(parent)) && parent.expression !== fn;
}

/** `window.setInterval` and plain `setInterval`, but not `timer.setInterval`. */
function receiverOrWindow(call: ts.CallExpression): boolean {
  const receiver = receiverOf(call);
  return !!receiver && !(TS.isIdentifier(receiver) && (receiver.text === 'window' || receiver.text === 'globalThis' || receiver.text === 'self'));
}

function enclosingLoop(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (isLoop(p)) return true;
    if (isFunctionLike(p) && !isCallArgument(p)) return false;
  }
  return false;
}

function isAssignmentTarget(id: ts.Identifier): boolean {
  const { node, parent } = outerContext(id);
  return !!parent && TS.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === TS.SyntaxKind.EqualsToken;
}

function isValue(id: ts.Identifier): boolean {
  const parent = id.parent;
  return !(parent && TS.isPropertyAccessExpression(parent) && parent.name === id) && !(parent && TS.isPropertyAssignment(parent) && parent.name === id);
}
