/**
 * The interpreter under the training trace: runs a file's statements in execution order with frames
 * of bindings, joins the branches of an `if`, inlines calls to functions of the same file, and keeps
 * the autograd context (`with torch.no_grad()`, no-grad decorators, evaluation-named functions).
 * What each call means for training is the subclass's (trace.ts).
 */
import type { SyntaxNode } from './syntax-tree.js';
import type { ModuleIndex } from './module-index.js';
import { callArgs, stripPlacement, unparen } from './node-queries.js';
import { EVAL_NAME } from './trace-entry-points.js';
import { joinModels, type Value } from './trace-values.js';

const MAX_CALL_DEPTH = 8;

/** A scope's bindings; a name present with no value is a local the trace cannot resolve. */
export type Frame = Map<string, Value | undefined>;
export const STATEMENT_BUDGET = 200_000;
export const ENTRY_BUDGET = 2_000;
/** A name a frame did not hold before an `if` branch bound it. */
const UNBOUND = Symbol('unbound');

/** The names an `if` branch binds in its frame, with the value each had before the branch first bound it. */
interface BindingLog {
  frame: Frame;
  before: Map<string, Value | undefined | typeof UNBOUND>;
}

/** Statements, bindings and inlined calls; the training meaning of loops, calls and constructors is left to a subclass. */
export abstract class Interpreter {
  protected readonly globals: Frame = new Map();
  protected frames: Frame[] = [];
  protected readonly callStack: number[] = [];
  protected readonly executed = new Set<number>();
  protected noGrad = 0;
  protected evalFunctions = 0;
  protected currentClass: string | undefined;
  private returnValue: Value | undefined;
  /** One per `if` branch running, innermost last: the names it binds (see {@link branches}). */
  private readonly logs: BindingLog[] = [];
  protected budget = STATEMENT_BUDGET;
  /** Statements left for the current entry point: deep chains of inlined methods stop here. */
  protected entryBudget = ENTRY_BUDGET;

  constructor(protected readonly index: ModuleIndex) {}

  /** Runs an expression statement (an assignment, a call...), with what it means for training. */
  protected abstract expressionStatement(node: SyntaxNode): void;
  /** Runs a `for` or `while` loop, with what it means for training. */
  protected abstract loopStatement(node: SyntaxNode): void;
  /** The value of a call, after running it. */
  protected abstract call(call: SyntaxNode): Value | undefined;
  /** The value a constructor call builds (a model, loss, optimizer, data loader...), when the trace knows it. */
  protected abstract constructorValue(call: SyntaxNode, q: string | undefined): Value | undefined;

  // ---- statements -------------------------------------------------------------------------

  protected block(block: SyntaxNode): void {
    for (const statement of block.namedChildren) {
      if (!statement) continue;
      if (statement.type === 'return_statement') {
        const value = statement.namedChildren[0];
        this.returnValue = value ? this.expr(value) : undefined;
        return;
      }
      this.statement(statement);
    }
  }

  protected statement(node: SyntaxNode): void {
    if (--this.budget < 0 || --this.entryBudget < 0) return;
    switch (node.type) {
      case 'expression_statement':
        for (const child of node.namedChildren) if (child) this.expressionStatement(child);
        return;
      case 'for_statement':
      case 'while_statement':
        this.loopStatement(node);
        return;
      case 'with_statement':
        this.withStatement(node);
        return;
      case 'if_statement': {
        // `if opt is not None:` in a helper called without `opt`: that branch does not run for this call.
        const known = this.knownCondition(node.childForFieldName('condition'));
        if (known === undefined) {
          this.branches(node);
          return;
        }
        for (const child of node.namedChildren) {
          if (!child) continue;
          if (child.type === 'block') {
            if (known !== false) this.block(child);
          } else if (child.type === 'elif_clause' || child.type === 'else_clause') {
            if (known !== true) this.statement(child);
          } else this.expr(child);
        }
        return;
      }
      case 'elif_clause':
      case 'else_clause':
      case 'try_statement':
      case 'except_clause':
      case 'finally_clause':
        for (const child of node.namedChildren) {
          if (!child) continue;
          if (child.type === 'block') this.block(child);
          else if (child.type.endsWith('_clause')) this.statement(child);
        }
        return;
      case 'block':
      case 'module':
        this.block(node);
        return;
      case 'decorated_definition':
      case 'function_definition':
      case 'class_definition':
        return; // bodies run when called
      default:
        for (const child of node.namedChildren) if (child) this.expr(child);
    }
  }

  /**
   * Runs each branch of an `if` from the same bindings, then joins them: a name bound to different
   * models in different branches holds all of them (a rule sees both), any other name keeps the last
   * branch's binding that changed it. Only the names a branch binds are saved and restored (a module's
   * frame holds every global: copying it per `if` was most of the trace's time on large modules).
   */
  private branches(node: SyntaxNode): void {
    const condition = node.childForFieldName('condition');
    if (condition) this.expr(condition);
    const bodies: SyntaxNode[] = [];
    let hasElse = false;
    for (const child of node.namedChildren) {
      if (!child || child.id === condition?.id) continue;
      if (child.type === 'block') bodies.push(child);
      else if (child.type === 'elif_clause' || child.type === 'else_clause') {
        hasElse ||= child.type === 'else_clause';
        const elifCondition = child.childForFieldName('condition');
        if (elifCondition) this.expr(elifCondition);
        const body = child.namedChildren.find((c) => c?.type === 'block');
        if (body) bodies.push(body);
      }
    }
    const frame = this.frames[this.frames.length - 1]!;
    /** What each name some branch binds held before the `if`. */
    const before = new Map<string, Value | undefined | typeof UNBOUND>();
    const outcomes: Map<string, Value | undefined>[] = [];
    for (const body of bodies) {
      const log: BindingLog = { frame, before: new Map() };
      this.logs.push(log);
      this.block(body);
      this.logs.pop();
      const outcome = new Map<string, Value | undefined>();
      for (const [name, old] of log.before) {
        outcome.set(name, frame.get(name));
        if (!before.has(name)) before.set(name, old);
        if (old === UNBOUND) frame.delete(name);
        else frame.set(name, old);
      }
      outcomes.push(outcome);
    }
    for (const [name, old] of before) {
      const prior = old === UNBOUND ? undefined : old;
      const values = outcomes.map((o) => (o.has(name) ? o.get(name) : prior));
      if (!hasElse) values.push(prior);
      frame.set(name, joinModels(values) ?? values.filter((v) => v !== prior).at(-1) ?? prior);
    }
  }

  /** Binds a name in the current frame, noting its earlier value for the `if` branches running in that frame. */
  private setLocal(name: string, value: Value | undefined): void {
    const frame = this.frames[this.frames.length - 1]!;
    // The current frame's branches are the top of the stack: a call's frame and its branches end before the caller's.
    for (let i = this.logs.length - 1; i >= 0 && this.logs[i]!.frame === frame; i--) {
      const before = this.logs[i]!.before;
      if (!before.has(name)) before.set(name, frame.has(name) ? frame.get(name) : UNBOUND);
    }
    frame.set(name, value);
  }

  protected bind(target: SyntaxNode | null, value: Value | undefined): void {
    if (!target) return;
    // A name bound to something unknown stays in its frame: a local shadows the global of that name.
    if (target.type === 'identifier') this.setLocal(target.text, value);
    else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple'].includes(target.type)) {
      for (const part of target.namedChildren) this.bind(part, value?.kind === 'model-output' ? value : undefined);
    }
  }

  protected lookup(name: string): Value | undefined {
    const frame = this.frames[this.frames.length - 1]!;
    return frame.has(name) ? frame.get(name) : this.globals.get(name);
  }

  private withStatement(node: SyntaxNode): void {
    let disables = 0;
    const clause = node.namedChildren.find((c) => c?.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      const value = item?.type === 'with_item' ? item.childForFieldName('value') : undefined;
      if (value && this.disablesGrad(value)) disables++;
      else if (value) this.expr(value);
    }
    this.noGrad += disables;
    const body = node.childForFieldName('body');
    if (body) this.block(body);
    this.noGrad -= disables;
  }

  private disablesGrad(expr: SyntaxNode): boolean {
    const node = unparen(expr);
    const call = node.type === 'call' ? node : undefined;
    const q = this.index.qualify(call ? call.childForFieldName('function') : node);
    if (q === 'torch.no_grad' || q === 'torch.inference_mode' || q === 'torch.autograd.no_grad') return true;
    if (q === 'torch.set_grad_enabled' && call) return callArgs(call).positional[0]?.type === 'false';
    return false;
  }

  // ---- expressions ------------------------------------------------------------------------

  protected expr(expr: SyntaxNode): Value | undefined {
    const node = unparen(expr);
    switch (node.type) {
      case 'identifier':
        return this.lookup(node.text);
      case 'call':
        return this.call(node);
      case 'attribute':
        return this.attribute(node);
      case 'lambda':
      case 'function_definition':
        return undefined;
      case 'binary_operator': {
        const values = node.namedChildren.map((c) => (c ? this.expr(c) : undefined));
        return values.find((v) => v?.kind === 'loss-tensor') ?? values.find((v) => v?.kind === 'model-output');
      }
      case 'string':
        // Only an f-string's interpolations hold code (the prefix before the quote says whether it is one);
        // a quarter of the nodes the trace evaluated were the parts of plain strings and docstrings.
        if (/^[^'"]*[fF]/.test(node.text)) for (const child of node.namedChildren) if (child?.type === 'interpolation') this.expr(child);
        return undefined;
      default: {
        let found: Value | undefined;
        for (const child of node.namedChildren) {
          if (!child) continue;
          const value = this.expr(child);
          found ??= value;
        }
        return node.type === 'subscript' || node.type === 'conditional_expression' ? found : undefined;
      }
    }
  }

  private attribute(node: SyntaxNode): Value | undefined {
    const object = node.childForFieldName('object');
    const attr = node.childForFieldName('attribute')?.text;
    if (object?.text === 'self' && attr) return this.selfAttribute(attr);
    if (object) this.expr(object);
    return undefined;
  }

  /** `self.model` in a method: evaluates the `__init__` assignment of that attribute. */
  protected selfAttribute(attr: string): Value | undefined {
    const self = this.lookup('self');
    const className = self?.kind === 'instance' ? self.className : this.currentClass;
    const value = className ? this.index.classes.get(className)?.attributes.get(attr) : undefined;
    if (!value) return undefined;
    const cached = this.frames[this.frames.length - 1]!.get(`self.${attr}`);
    if (cached) return cached;
    return this.constructed(value);
  }

  /** The value an expression constructs, without running side effects (for `self.x = ...`). */
  private constructed(expr: SyntaxNode): Value | undefined {
    const node = stripPlacement(expr);
    if (node.type !== 'call') return undefined;
    return this.constructorValue(node, this.index.qualify(node.childForFieldName('function')));
  }

  /** A variable's value, or what an inline constructor builds. */
  protected lookupOrConstructed(node: SyntaxNode): Value | undefined {
    const inner = unparen(node);
    if (inner.type === 'identifier') return this.lookup(inner.text);
    return inner.type === 'call' ? this.constructed(inner) : undefined;
  }

  protected bindLive(name: string, value: Value): void {
    this.setLocal(name, value);
  }

  // ---- calls of this file's functions -----------------------------------------------------

  /** Inlines a call to a function of this file, binding its parameters to the argument values. */
  protected callFunction(fn: SyntaxNode, call: SyntaxNode, argValues: (Value | undefined)[], self?: Value): Value | undefined {
    const params = parameterNames(fn);
    const frame = localFrame(params);
    let offset = 0;
    if (self || classOf(fn)) {
      if (self) frame.set('self', self);
      offset = 1;
    }
    params.slice(offset).forEach((name, i) => {
      const value = argValues[i];
      if (value) frame.set(name, value);
    });
    const args = callArgs(call);
    for (const [keyword, node] of args.keywords) {
      const value = this.lookupOrConstruct(node);
      if (value && params.includes(keyword)) frame.set(keyword, value);
    }
    // Parameters the call leaves at a None default (unknowable when it passes *args or **kwargs).
    if (!args.positional.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) {
      const passed = new Set([...params.slice(offset, offset + args.positional.length), ...args.keywords.keys()]);
      for (const name of noneDefaults(fn)) if (!passed.has(name)) frame.set(name, { kind: 'none' });
    }
    return this.invoke(fn, frame);
  }

  /** The value of `x is None`, `x is not None`, `x` or `not x` when `x` is known to be None or an object; else undefined. */
  private knownCondition(condition: SyntaxNode | null): boolean | undefined {
    if (!condition) return undefined;
    const match = /^(not\s+)?(\w+)(\s+is(\s+not)?\s+None)?$/.exec(unparen(condition).text);
    if (!match) return undefined;
    const value = this.lookup(match[2]!);
    if (!value) return undefined;
    const isNone = value.kind === 'none';
    if (match[3]) return match[4] ? !isNone : isNone;
    // Truthiness is known only for None: a data loader, say, is falsy when empty.
    if (!isNone) return undefined;
    return !!match[1];
  }

  private lookupOrConstruct(node: SyntaxNode): Value | undefined {
    const inner = unparen(node);
    return inner.type === 'identifier' ? this.lookup(inner.text) : undefined;
  }

  protected invoke(fn: SyntaxNode, frame: Frame): Value | undefined {
    if (this.callStack.includes(fn.id) || this.callStack.length >= MAX_CALL_DEPTH) return undefined;
    this.executed.add(fn.id);
    const body = fn.childForFieldName('body');
    if (!body) return undefined;
    const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
    const noGrad = decorated?.namedChildren.some((d) => d?.type === 'decorator' && d.namedChildren[0] && this.disablesGrad(d.namedChildren[0])) ? 1 : 0;
    const name = fn.childForFieldName('name')?.text ?? '';
    const isEval = EVAL_NAME.test(name) && !body.text.includes('backward(') ? 1 : 0;

    this.callStack.push(fn.id);
    this.frames.push(frame);
    this.noGrad += noGrad;
    this.evalFunctions += isEval;
    const savedReturn = this.returnValue;
    this.returnValue = undefined;
    this.block(body);
    const result = this.returnValue;
    this.returnValue = savedReturn;
    this.evalFunctions -= isEval;
    this.noGrad -= noGrad;
    this.frames.pop();
    this.callStack.pop();
    return result;
  }
}

/**
 * A function's frame before its body runs: its parameters are locals whether or not the caller's value
 * is known, so they shadow module-level names (a parameter `model` is not the module's `model`).
 */
export function functionFrame(fn: SyntaxNode): Frame {
  return localFrame(parameterNames(fn));
}

function localFrame(params: string[]): Frame {
  return new Map(params.map((name) => [name, undefined]));
}

function parameterNames(fn: SyntaxNode): string[] {
  const names: string[] = [];
  for (const param of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!param) continue;
    const id = param.type === 'identifier' ? param : param.namedChildren.find((c) => c?.type === 'identifier');
    if (id) names.push(id.text);
  }
  return names;
}

/** Parameters whose default is `None`. */
function noneDefaults(fn: SyntaxNode): string[] {
  const names: string[] = [];
  for (const param of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (param.type !== 'default_parameter' && param.type !== 'typed_default_parameter') continue;
    const name = param.childForFieldName('name');
    if (name?.type === 'identifier' && param.childForFieldName('value')?.type === 'none') names.push(name.text);
  }
  return names;
}

export function classOf(fn: SyntaxNode): string | undefined {
  let parent = fn.parent;
  while (parent && parent.type !== 'class_definition' && parent.type !== 'function_definition' && parent.type !== 'module') parent = parent.parent;
  return parent?.type === 'class_definition' ? parent.childForFieldName('name')?.text : undefined;
}
