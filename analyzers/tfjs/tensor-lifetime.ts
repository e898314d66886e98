/**
 * Tensor lifetime (FC601): tensors created once per iteration or per frame and never disposed, and
 * the quick fix that wraps the repeated body in `tf.tidy` when that keeps its behaviour.
 */
import type { ts } from 'ts-morph';
import type { TextEdit } from '../core/findings.js';
import type { TensorLeakFact } from '../facts.js';
import { createsTensor, MODEL_TENSOR_METHODS, READ_METHODS, TENSOR_METHODS } from './catalog.js';
import { wrapBlockInTidy } from './edits.js';
import type { TfjsFile } from './program.js';
import type { Context, Repeat } from './repeat.js';
import type { Binding } from './scope.js';
import { TS } from './ts.js';
import { calleeName, enclosingStatement, isAncestor, isAssignmentTarget, isFunctionLike, isLoop, outerContext, receiverOf, unwrap, walk } from './syntax.js';

type Sink = 'handled' | 'leak' | { bindings: Binding[] };

/** How far `a.b().c()` chains and variables are followed to decide that a value is a tensor. */
const MAX_VALUE_DEPTH = 40;
const STORE_METHODS = new Set(['push', 'unshift', 'splice', 'set']);
/** Calls whose completion comes later: tensors they use must outlive a synchronous `tf.tidy`. */
const ASYNC_METHODS = new Set(['then', 'catch', 'finally', 'fit', 'fitDataset', 'trainOnBatch', 'data', 'array', 'executeAsync', 'save', 'fromPixelsAsync', 'evaluateDataset']);
/** Calls that only ever return plain numbers and strings. */
const PLAIN_RECEIVERS = new Set(['Math', 'Number', 'String', 'JSON', 'console', 'Date', 'Object', 'Array']);
const PLAIN_FUNCTIONS = new Set(['Number', 'String', 'Boolean', 'parseFloat', 'parseInt', 'isNaN', 'isFinite']);

/** Finds the tensors a repeated body leaks; one per file, fed each call of the walk in loops.ts. */
export class TensorLifetime {
  private readonly tidyFixes = new Map<Repeat, TextEdit[] | undefined>();
  private readonly leakStatements = new Map<ts.Node, { calls: { call: ts.CallExpression; variable?: string }[]; repeat: Repeat }>();

  constructor(private readonly file: TfjsFile, private readonly result: { tensorLeaks: TensorLeakFact[] }) {}

  // ---- FC601 --------------------------------------------------------------------------------

  /** Whether a call returns new tensors. */
  creates(call: ts.CallExpression, depth = 0): boolean {
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

  leak(call: ts.CallExpression, ctx: Context): void {
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

  flushLeaks(): void {
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

function isValue(id: ts.Identifier): boolean {
  const parent = id.parent;
  return !(parent && TS.isPropertyAccessExpression(parent) && parent.name === id) && !(parent && TS.isPropertyAssignment(parent) && parent.name === id);
}
