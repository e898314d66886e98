/**
 * The training trace: walks the program in execution order — module body first, then every function
 * no one calls — inlining calls to functions of the same file (the interpreter, interpreter.ts), and
 * records what training needs: loop events (zero_grad/backward/step...), model modes at evaluation,
 * eval loops and loss tensors kept alive by accumulation. This file holds what calls mean for training.
 */
import type { SyntaxNode } from './syntax-tree.js';
import type {
  CompileFact, DataLoaderFact, EvalForwardFact, EvalLoopFact, FitFact, LoopEvent, LoopEventKind, LossFact,
  TensorAccumulationFact, TrainingLoopFact,
} from '../facts.js';
import type { Span } from '../core/span.js';
import { EVAL_DATA_NAME } from '../core/naming.js';
import { enclosingStatement, insertLine } from './edits.js';
import { functionalSpec, isScheduler, torchLossSpec } from './catalog.js';
import { topStatement, wrapInWith } from './eval-fix-edits.js';
import { appliedActivation } from './loss-input.js';
import { helperCallbackNames } from './fit-callbacks.js';
import { classOf, ENTRY_BUDGET, functionFrame, Interpreter, STATEMENT_BUDGET } from './interpreter.js';
import { asksForEvaluation, enclosingClassName, insideDemonstrationTry, isTimedLoop } from './loop-purpose.js';
import type { ModelTable } from './models.js';
import type { ModuleIndex } from './module-index.js';
import type { ObjectiveTable } from './objectives.js';
import { boolValue, callArgs, lastName, methodCall, namedChildrenOf, numberValue, spanOf, unparen } from './node-queries.js';
import { insideUnitTest } from './test-code.js';
import { EVAL_NAME, escapeRegExp, relevantFunctions } from './trace-entry-points.js';
import { modelIds, targetOf, type Value } from './trace-values.js';

interface LoopFrame {
  header: Span;
  loaders: Set<DataLoaderFact>;
  events: LoopEvent[];
  hasBackward: boolean;
  /** A backward() executed in this loop's own body, not in a nested loop. */
  directBackward: boolean;
  /** Forward calls executed in this loop's own body. */
  directForwards: number;
  forwardsUnderNoGrad: number;
  evalHint: boolean;
  parent: LoopFrame | undefined;
  pendingEvalForwards: EvalForwardFact[];
  /** Forward passes with autograd on: evaluation forwards if the loop is an evaluation loop. */
  gradForwards: EvalForwardFact[];
}

export interface TraceResult {
  fits: FitFact[];
  compiles: CompileFact[];
  evaluateCalls: Span[];
  externalEvaluations: Span[];
  evaluationSeen: boolean;
  trainingLoops: TrainingLoopFact[];
  evalForwards: EvalForwardFact[];
  evalLoops: EvalLoopFact[];
  tensorAccumulations: TensorAccumulationFact[];
}

/** A loop body that can stop before its last epoch, or that keeps the best model. */
const STOPS_EARLY = /\bbreak\b|\bsave\w*\s*\(|best_\w+\s*=|deepcopy\(|early_?stop/i;
/** Distributed / mixed-precision wrappers that hand back the objects they are given, in order. */
const WRAPPERS = new Set(['setup', 'prepare', 'initialize', 'setup_module', 'setup_optimizers']);
const UNWRAPPING = new Set(['item', 'detach', 'data', 'tolist', 'numpy']);
/** Names of loop counters and bounds that count optimisation steps, not epochs (`n_iters`, `step`, `max_steps`). */
const COUNTS_STEPS = /(^|_)(iter|iters|iteration|iterations|step|steps|update|updates|batch|batches)(_|$)|^(it|iter)$/i;
/** A parameter's gradient read in an expression (`p.grad`), as in a hand-written update. */
const GRADIENT = /\.grad\b/;

export function traceProgram(index: ModuleIndex, models: ModelTable, objectives: ObjectiveTable): TraceResult {
  return new Tracer(index, models, objectives).run();
}

class Tracer extends Interpreter {
  private readonly result: TraceResult = {
    fits: [], compiles: [], evaluateCalls: [], externalEvaluations: [], evaluationSeen: false, trainingLoops: [], evalForwards: [], evalLoops: [], tensorAccumulations: [],
  };
  /** Calls already recorded as fit/compile/evaluate facts (a helper traced twice must not double them). */
  private readonly recordedCalls = new Set<number>();
  private readonly modes = new Map<string, 'train' | 'eval'>();
  /** Modes of models the trace cannot resolve, by the receiver as written (`model`, `self.net`). */
  private readonly unresolvedModes = new Map<string, 'train' | 'eval'>();
  private loop: LoopFrame | undefined;
  /** Functions whose text can matter to a rule (see {@link relevantFunctions}). */
  private readonly relevant: Set<number>;

  constructor(index: ModuleIndex, private readonly models: ModelTable, private readonly objectives: ObjectiveTable) {
    super(index);
    // A method calling a model unpickled into `self.net` runs inference with it: worth a trace.
    const held = models.models.filter((m) => m.loaded && m.name.startsWith('self.')).map((m) => `${escapeRegExp(m.name)}\\s*\\(`);
    this.relevant = relevantFunctions(index, held.length ? new RegExp(held.join('|')) : undefined);
  }

  run(): TraceResult {
    for (const [name, node] of this.index.functions) this.globals.set(name, { kind: 'function', node });
    this.frames = [this.globals];
    this.entryBudget = STATEMENT_BUDGET;
    this.block(this.index.root);
    // Functions nobody calls in this file are entry points of their own (library code, notebooks).
    const relevant = this.relevant;
    for (const fn of this.index.allFunctions) {
      if (this.executed.has(fn.id) || this.budget < 0 || !relevant.has(fn.id)) continue;
      this.modes.clear();
      this.unresolvedModes.clear();
      this.entryBudget = ENTRY_BUDGET;
      this.currentClass = classOf(fn);
      const frame = functionFrame(fn);
      if (this.currentClass) frame.set('self', { kind: 'instance', className: this.currentClass });
      this.invoke(fn, frame);
      this.currentClass = undefined;
    }
    return this.result;
  }

  protected expressionStatement(node: SyntaxNode): void {
    if (node.type === 'assignment') {
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      const value = right ? this.expr(right) : undefined;
      // model, opt = fabric.setup(model, opt) / accelerator.prepare(...) / amp.initialize(...): each name keeps its value.
      if (left && right && this.bindWrapped(left, right)) return;
      // w.data = w.data - lr * w.grad (only loops record events: outside one the text is not read)
      if (this.loop && left && right && GRADIENT.test(right.text) && right.text.includes(left.text)) this.event('manual_update', node);
      if (left && right && this.loop && this.noGrad === 0 && left.type === 'identifier') {
        // total = total + loss
        const ids = right.type === 'binary_operator' ? identifiersIn(right) : [];
        if (ids.some((id) => id.text === left.text)) this.checkAccumulation(node, right, left.text);
      }
      this.bind(left, value);
      return;
    }
    if (node.type === 'augmented_assignment') {
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      if (right) this.expr(right);
      // param -= learning_rate * param.grad
      if (this.loop && right && GRADIENT.test(right.text)) this.event('manual_update', node);
      if (right && this.loop && this.noGrad === 0 && node.childForFieldName('operator')?.text === '+=') {
        this.checkAccumulation(node, right, left?.text ?? '');
      }
      return;
    }
    this.expr(node);
  }

  /** Records `total += loss` when `loss` is a live loss tensor not unwrapped with .item()/.detach(). */
  private checkAccumulation(statement: SyntaxNode, right: SyntaxNode, target: string): void {
    for (const id of identifiersIn(right)) {
      if (id.text === target || this.lookup(id.text)?.kind !== 'loss-tensor') continue;
      if (isUnwrapped(id)) continue;
      this.result.tensorAccumulations.push({ span: spanOf(statement), variable: id.text, variableSpan: spanOf(id) });
      return;
    }
  }

  /** Binds `a, b = wrapper.setup(a, b)` element-wise; false when the statement is not of that form. */
  private bindWrapped(left: SyntaxNode, right: SyntaxNode): boolean {
    const call = unparen(right);
    const method = call.type === 'call' ? methodCall(call)?.method : undefined;
    if (!method || !WRAPPERS.has(method) || !['pattern_list', 'tuple_pattern', 'tuple'].includes(left.type)) return false;
    const targets = namedChildrenOf(left);
    const args = callArgs(call).positional;
    if (targets.length !== args.length) return false;
    const values = args.map((a) => this.lookupOrConstructed(a));
    targets.forEach((target, i) => this.bind(target, values[i]));
    return true;
  }

  protected loopStatement(node: SyntaxNode): void {
    const iterable = node.childForFieldName(node.type === 'for_statement' ? 'right' : 'condition');
    if (iterable) this.expr(iterable);
    const body = node.childForFieldName('body');
    if (!body) return;
    const header = spanOf(node);
    const end = iterable ? spanOf(iterable).end : header.start;
    const loaders = new Set<DataLoaderFact>();
    for (const id of iterable ? identifiersIn(iterable) : []) {
      const value = this.lookup(id.text);
      if (value?.kind === 'dataloader') loaders.add(value.fact);
    }
    const frame: LoopFrame = {
      header: { start: header.start, end }, loaders,
      events: [], hasBackward: false, directBackward: false, directForwards: 0, forwardsUnderNoGrad: 0,
      evalHint: this.evalFunctions > 0 || (iterable ? EVAL_DATA_NAME.test(lastName(unparen(iterable)) ?? iterableName(iterable)) : false) ||
        [...this.modes.values()].includes('eval'),
      parent: this.loop, pendingEvalForwards: [], gradForwards: [],
    };
    this.loop = frame;
    this.bindLoopTarget(node);
    this.block(body);
    this.loop = frame.parent;
    const alternative = node.childForFieldName('alternative');
    if (alternative) this.statement(alternative);

    if (frame.hasBackward) {
      let outermost = true;
      for (let p = frame.parent; p; p = p.parent) if (p.hasBackward || p.events.some((e) => e.kind === 'backward')) outermost = false;
      const loop: TrainingLoopFact = {
        span: frame.header, events: frame.events, outermost, stopsEarly: STOPS_EARLY.test(body.text),
        loaders: [...frame.loaders].map((l) => l.id),
      };
      const first = namedChildrenOf(body)[0];
      if (first) loop.bodyStart = { line: first.startPosition.row, indent: ' '.repeat(first.startPosition.column) };
      const target = node.type === 'for_statement' ? node.childForFieldName('left')?.text ?? '' : '';
      const epochs = iterable && !COUNTS_STEPS.test(target) ? this.epochCount(iterable) : undefined;
      if (epochs) loop.epochs = epochs;
      if (insideUnitTest(node)) loop.inTest = true;
      if (isTimedLoop(node)) loop.timed = true;
      const owner = enclosingClassName(node);
      if (owner) loop.owner = owner;
      for (const loader of frame.loaders) loader.usedForTraining = true;
      this.result.trainingLoops.push(loop);
    } else if (frame.directForwards > 0 && (frame.evalHint || this.onlyLoadedModels(frame.gradForwards))) {
      const noGrad = frame.forwardsUnderNoGrad === frame.directForwards;
      const evalLoop: EvalLoopFact = { span: frame.header, noGrad };
      const torch = noGrad ? undefined : this.index.imports.localName('torch');
      if (torch) evalLoop.wrapFix = wrapInWith(node, `${torch}.no_grad()`, this.index.lines);
      this.result.evalLoops.push(evalLoop);
      this.result.evalForwards.push(...frame.gradForwards);
    }
    // Forward passes under no_grad inside a training step (targets, metrics) are not evaluation.
    if (!frame.directBackward) this.result.evalForwards.push(...frame.pendingEvalForwards);
  }

  /** A loop without backward that runs only models unpickled by torch.load is inference, whatever its names. */
  private onlyLoadedModels(forwards: EvalForwardFact[]): boolean {
    return forwards.length > 0 && forwards.every((f) => this.models.models.find((m) => m.id === f.modelId)?.loaded === true);
  }

  /** `range(100)`, `range(1, EPOCHS + 1)`, `tqdm(range(n_epochs))` with a literal or constant count. */
  private epochCount(iterable: SyntaxNode): TrainingLoopFact['epochs'] {
    let node = unparen(iterable);
    while (node.type === 'call' && node.childForFieldName('function')?.text !== 'range') {
      const first = callArgs(node).positional[0];
      if (!first) return undefined;
      node = unparen(first);
    }
    if (node.type !== 'call') return undefined;
    const args = callArgs(node).positional;
    let bound = args.length === 1 ? args[0] : args[1];
    if (!bound) return undefined;
    bound = unparen(bound);
    // range(1, N + 1)
    if (bound.type === 'binary_operator' && bound.childForFieldName('right')?.text === '1') bound = bound.childForFieldName('left')!;
    // range(n_iters), range(max_steps): optimisation steps, not passes over the data.
    if (bound.type === 'identifier' && COUNTS_STEPS.test(bound.text)) return undefined;
    // EPOCHS = 100 ... range(EPOCHS): the value is written at the constant.
    const literal = this.index.literal(bound);
    const value = numberValue(literal);
    return value !== undefined && literal ? { value, span: spanOf(literal) } : undefined;
  }

  private bindLoopTarget(node: SyntaxNode): void {
    if (node.type !== 'for_statement') return;
    this.bind(node.childForFieldName('left'), undefined);
  }

  protected constructorValue(call: SyntaxNode, q: string | undefined): Value | undefined {
    const modelId = this.models.byCallNode.get(call.id);
    if (modelId) return { kind: 'model', id: modelId };
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier' && this.models.byClass.has(fn.text)) return { kind: 'model', id: this.models.byClass.get(fn.text)! };
    const loss = this.objectives.lossByNode.get(call.id);
    if (loss && !(q && functionalSpec(q)) && !isFunctionalLoss(q)) return { kind: 'loss', fact: loss };
    const optimizer = this.objectives.optimizerByNode.get(call.id);
    if (optimizer) return { kind: 'optimizer', id: optimizer.id };
    const loader = this.objectives.loaderByNode.get(call.id);
    if (loader) return { kind: 'dataloader', fact: loader };
    if (q && isScheduler(q)) return { kind: 'scheduler', plateau: q.endsWith('ReduceLROnPlateau') };
    if (q?.startsWith('keras.callbacks.')) return { kind: 'callback', name: q.slice('keras.callbacks.'.length) };
    if ((q === 'torch.autograd.Variable' || q === 'torch.autograd.variable.Variable') && boolValue(this.index.literal(callArgs(call).keywords.get('volatile'))) === true) {
      return { kind: 'volatile' };
    }
    if (fn?.type === 'identifier' && this.index.classes.has(fn.text)) return { kind: 'instance', className: fn.text };
    return undefined;
  }

  protected call(call: SyntaxNode): Value | undefined {
    const fn = unparen(call.childForFieldName('function')!);
    const q = this.index.qualify(fn);

    // Functional losses: F.cross_entropy(model(x), y)
    if (isFunctionalLoss(q)) {
      const loss = this.objectives.lossByNode.get(call.id);
      const args = callArgs(call);
      const values = args.positional.map((a) => this.expr(a));
      if (loss) this.linkLoss(loss, values[0]);
      this.event('loss', call);
      return { kind: 'loss-tensor' };
    }
    if (q === 'torch.autograd.backward' || q === 'torch.distributed.autograd.backward') {
      callArgs(call).positional.forEach((a) => this.expr(a));
      this.backward(call, q === 'torch.distributed.autograd.backward');
      return undefined;
    }
    const activation = appliedActivation(call, q);
    if (activation) {
      this.expressionArguments(call);
      return { kind: 'activated', layer: activation };
    }
    const constructed = this.constructorValue(call, q);
    if (constructed) {
      for (const arg of callArgs(call).positional) this.expr(arg);
      if (constructed.kind === 'optimizer') this.event('optimizer_created', call, constructed.id);
      if (constructed.kind === 'model') this.event('model_created', call, constructed.id);
      return constructed;
    }

    const method = methodCall(call);
    if (method) return this.methodCall(call, method.receiver, method.method);

    const callee = fn.type === 'identifier' || fn.type === 'attribute' ? this.expr(fn) : undefined;
    const args = callArgs(call);
    const argValues = args.positional.map((a) => this.expr(a));
    for (const value of args.keywords.values()) this.expr(value);
    // sum(model(x) for x in loader): the lone argument is a generator expression.
    const generator = call.childForFieldName('arguments');
    if (generator?.type === 'generator_expression') this.expr(generator);
    // run_epoch(test_loader, train=False): the helper is asked to evaluate, whatever its loop looks like.
    if (asksForEvaluation(call)) this.result.evaluationSeen = true;

    if (callee?.kind === 'model') {
      // model(Variable(x, volatile=True)): legacy no-grad inference.
      const volatile = argValues.some((v) => v?.kind === 'volatile');
      if (volatile) this.noGrad++;
      const output = this.forward(call, callee);
      if (volatile) this.noGrad--;
      return output;
    }
    if (callee?.kind === 'loss') {
      this.linkLoss(callee.fact, argValues[0]);
      this.event('loss', call);
      return { kind: 'loss-tensor' };
    }
    // Helpers that cannot matter to a rule are inlined only near the top (a builder's return value may be a model).
    if (callee?.kind === 'function' && (this.relevant.has(callee.node.id) || this.callStack.length < 2)) {
      return this.callFunction(callee.node, call, argValues);
    }
    // `evaluate(model, val_loader)` imported from another module still counts as held-out evaluation.
    if (!callee && argValues.some((v) => v?.kind === 'model') && EVAL_NAME.test(lastName(fn) ?? '') && this.firstTime(call)) {
      this.result.externalEvaluations.push(spanOf(call));
      this.result.evaluationSeen = true;
    }
    // A model we cannot resolve (torchvision's resnet18(), self.model) evaluated under no_grad, in eval(), or after .eval().
    if (!callee && (this.noGrad > 0 || this.evalFunctions > 0 || this.unresolvedModes.get(fn.text) === 'eval') && /model|net/i.test(lastName(fn) ?? '')) {
      this.result.evaluationSeen = true;
    }
    return undefined;
  }

  private methodCall(call: SyntaxNode, receiverNode: SyntaxNode, method: string): Value | undefined {
    const receiver = this.expr(receiverNode);
    const args = callArgs(call);
    const argValues = args.positional.map((a) => this.expr(a));
    for (const value of args.keywords.values()) this.expr(value);
    const name = lastName(receiverNode) ?? '';
    // net.predict(x_te), evaluator.evaluate(test_set), trainer.test(model): held-out evaluation by another road.
    if (EVAL_NAME.test(method) && this.heldOutArguments(call, argValues)) this.result.evaluationSeen = true;

    switch (method) {
      case 'zero_grad':
        this.event('zero_grad', call, targetOf(receiver));
        return undefined;
      case 'backward':
      case 'manual_backward':
        this.backward(call);
        {
          // fabric.backward(loss), accelerator.backward(loss), self.manual_backward(loss): the argument is the loss, not the receiver.
          const argument = receiver?.kind === 'loss-tensor' ? undefined : args.positional[0];
          const tensor = argument ? unparen(argument) : receiverNode;
          if (tensor.type === 'identifier') this.bindLive(tensor.text, { kind: 'loss-tensor' });
        }
        return undefined;
      case 'step': {
        if (receiver?.kind === 'optimizer' || (!receiver && /opt/i.test(name) && !/sched/i.test(name))) {
          this.event('step', call, targetOf(receiver));
        } else if (receiver?.kind === 'scheduler' || (!receiver && /sched/i.test(name))) {
          // ReduceLROnPlateau has no preset schedule to skip: its order does not matter.
          if (!(receiver?.kind === 'scheduler' && receiver.plateau)) this.event('scheduler_step', call);
        } else if (/scaler/i.test(name) && args.positional.length > 0) {
          // Mixed precision: scaler.step(optimizer) is the optimizer step.
          this.event('step', call, targetOf(argValues[0]), args.positional[0]!.text);
        }
        return undefined;
      }
      case 'train':
      case 'eval': {
        const toTrain = method === 'train' && args.positional[0]?.type !== 'false';
        // A model we cannot resolve (imported from the project's own module) still changes mode.
        if (!receiver && /model|net/i.test(name)) this.unresolvedModes.set(receiverNode.text, toTrain ? 'train' : 'eval');
        if (receiver?.kind !== 'model') return receiver;
        for (const id of modelIds(receiver)) this.modes.set(id, toTrain ? 'train' : 'eval');
        this.event(toTrain ? 'train_mode' : 'eval_mode', call, receiver.id);
        return receiver;
      }
      case 'forward':
        return receiver?.kind === 'model' ? this.forward(call, receiver) : undefined;
      case 'compile':
        if (receiver?.kind === 'model') {
          const lossNode = args.keywords.get('loss');
          const loss = lossNode ? this.lossAt(lossNode) : undefined;
          if (loss && !loss.modelIds.includes(receiver.id)) loss.modelIds.push(receiver.id);
          if (this.firstTime(call)) {
            const compile: CompileFact = { span: spanOf(call), modelId: receiver.id };
            const optimizer = args.keywords.get('optimizer');
            const value = optimizer ? this.lookupOrConstructed(optimizer) : undefined;
            if (value?.kind === 'optimizer') compile.optimizerId = value.id;
            this.result.compiles.push(compile);
          }
        }
        return undefined;
      case 'fit':
      case 'fit_generator':
        if (receiver?.kind === 'model' && this.firstTime(call)) {
          const fit = this.fitFact(call, receiver.id);
          if (insideDemonstrationTry(call)) fit.demonstration = true;
          this.result.fits.push(fit);
        }
        return undefined;
      case 'evaluate':
        if (receiver?.kind === 'model' && this.firstTime(call)) this.result.evaluateCalls.push(spanOf(call));
        return undefined;
      case 'append':
        if (this.loop && this.noGrad === 0) {
          const arg = args.positional[0];
          if (arg?.type === 'identifier' && this.lookup(arg.text)?.kind === 'loss-tensor') {
            this.result.tensorAccumulations.push({ span: spanOf(call), variable: arg.text, variableSpan: spanOf(arg) });
          }
        }
        return undefined;
      case 'add_':
      case 'sub_':
        // p.data.add_(p.grad, alpha=-lr)
        if (this.loop && GRADIENT.test(call.childForFieldName('arguments')?.text ?? '')) this.event('manual_update', call);
        return undefined;
      default:
        if (UNWRAPPING.has(method)) return undefined;
        // out.softmax(dim=1) on a tensor (not `self.softmax(x)`, a layer held by the module).
        if (receiver?.kind !== 'instance' && receiver?.kind !== 'model') {
          const activation = appliedActivation(call, undefined, method);
          if (activation) return { kind: 'activated', layer: activation };
        }
        if (receiver?.kind === 'model' || receiver?.kind === 'model-output' || receiver?.kind === 'loss-tensor' || receiver?.kind === 'activated') {
          // model.to(device), out.squeeze(), loss.mean(): same value.
          return ['to', 'cuda', 'cpu', 'float', 'double', 'half', 'squeeze', 'view', 'reshape', 'mean', 'sum', 'requires_grad_'].includes(method)
            ? receiver : undefined;
        }
        if (receiver?.kind === 'instance' && receiverNode.text === 'self' && !this.index.classes.get(receiver.className)?.methods.has(method)) {
          // self.model(x): calling a model held as an attribute.
          const held = this.selfAttribute(method);
          if (held?.kind === 'model') return this.forward(call, held);
          const evalMode = this.unresolvedModes.get(`self.${method}`) === 'eval';
          if (!held && (this.noGrad > 0 || this.evalFunctions > 0 || evalMode) && /model|net/i.test(method)) this.result.evaluationSeen = true;
          return undefined;
        }
        if (receiver?.kind === 'instance') {
          const fn = this.index.classes.get(receiver.className)?.methods.get(method);
          // Methods that cannot matter to a rule are not inlined: library classes chain many of them.
          if (fn && this.relevant.has(fn.id)) return this.callFunction(fn, call, argValues, receiver);
        }
        return undefined;
    }
  }

  /** Whether a call's arguments name held-out data (`x_te`, `test_loader`) or pass a model, and none names training data. */
  private heldOutArguments(call: SyntaxNode, values: (Value | undefined)[]): boolean {
    const args = callArgs(call);
    const nodes = [...args.positional, ...args.keywords.values()];
    if (nodes.some((n) => /train/i.test(n.text))) return false;
    return values.some((v) => v?.kind === 'model') || nodes.some((n) => EVAL_DATA_NAME.test(lastName(unparen(n)) ?? n.text));
  }

  /** Evaluates a call's arguments for their effects (a forward pass inside `F.softmax(model(x))`). */
  private expressionArguments(call: SyntaxNode): void {
    const args = callArgs(call);
    for (const arg of args.positional) this.expr(arg);
    for (const value of args.keywords.values()) this.expr(value);
  }

  private firstTime(call: SyntaxNode): boolean {
    if (this.recordedCalls.has(call.id)) return false;
    this.recordedCalls.add(call.id);
    return true;
  }

  /** Keras `fit(x, y, batch_size, epochs, ..., validation_split=, validation_data=, callbacks=[...])`. */
  private fitFact(call: SyntaxNode, modelId: string): FitFact {
    const args = callArgs(call);
    const fact: FitFact = {
      span: spanOf(call), modelId,
      validation: args.keywords.has('validation_data') || args.keywords.has('validation_split'),
      callbacks: [],
    };
    const numeric = (node: SyntaxNode | undefined) => {
      const value = numberValue(this.index.literal(node));
      return value !== undefined && node ? { value, span: spanOf(node) } : undefined;
    };
    const epochs = numeric(args.keywords.get('epochs') ?? args.positional[3]);
    if (epochs) fact.epochs = epochs;
    const batchSize = numeric(args.keywords.get('batch_size') ?? args.positional[2]);
    if (batchSize) fact.batchSize = batchSize;
    const callbacks = args.keywords.get('callbacks');
    if (callbacks && unparen(callbacks).type === 'identifier') {
      // callbacks=callbacks, with `callbacks = [EarlyStopping(...), ...]` earlier in the file.
      const list = new RegExp(`\\b${unparen(callbacks).text}\\s*=\\s*\\[([^\\]]*)\\]`).exec(this.index.scopeText(callbacks));
      for (const name of list?.[1]?.matchAll(/(\w+)\s*\(/g) ?? []) fact.callbacks.push(name[1]!);
    }
    for (const item of callbacks ? namedChildrenOf(unparen(callbacks)) : []) {
      const value = this.lookupOrConstructed(item);
      if (value?.kind === 'callback') fact.callbacks.push(value.name);
      else fact.callbacks.push(lastName(item.type === 'call' ? item.childForFieldName('function') : item) ?? item.text);
    }
    if (callbacks) fact.callbacks.push(...helperCallbackNames(callbacks, this.index));
    return fact;
  }

  private lossAt(node: SyntaxNode): LossFact | undefined {
    const direct = this.objectives.lossByNode.get(node.id) ?? this.objectives.lossByNode.get(unparen(node).id);
    if (direct) return direct;
    const value = this.expr(node);
    return value?.kind === 'loss' ? value.fact : undefined;
  }

  private linkLoss(loss: LossFact, input: Value | undefined): void {
    // Regression and other losses compare any two tensors (softmax outputs of a teacher and a student): only classification losses read it.
    const classifies = loss.family === 'cross-entropy' || loss.family === 'binary-cross-entropy' || loss.family === 'nll';
    if (input?.kind === 'activated' && classifies) loss.inputActivation ??= input.layer;
    if (input?.kind !== 'model-output') loss.unlinkedInput = true;
    else for (const id of modelIds(input)) if (!loss.modelIds.includes(id)) loss.modelIds.push(id);
  }

  private forward(call: SyntaxNode, model: { id: string; others?: string[] }): Value {
    const modelId = model.id;
    this.event('forward', call, modelId);
    if (this.noGrad > 0 || this.evalFunctions > 0 || this.modes.get(modelId) === 'eval') this.result.evaluationSeen = true;
    if (this.loop) {
      this.loop.directForwards++;
      if (this.noGrad > 0) this.loop.forwardsUnderNoGrad++;
    }
    const evaluating = this.noGrad > 0 || this.evalFunctions > 0;
    // A name that may hold several models: each one's evaluation is judged.
    for (const id of modelIds(model)) if (evaluating || this.loop) this.evalForward(call, id, evaluating);
    return model.others ? { kind: 'model-output', id: modelId, others: model.others } : { kind: 'model-output', id: modelId };
  }

  /**
   * A forward in a loop without no_grad is evaluation only if the loop turns out to be an evaluation
   * loop (no backward, an evaluation name): kept aside until the loop ends, so that a loop lacking both
   * eval() and no_grad reports both at once.
   */
  private evalForward(call: SyntaxNode, modelId: string, evaluating: boolean): void {
    const fact: EvalForwardFact = { span: spanOf(call), modelId, mode: this.modes.get(modelId) ?? 'train' };
    const callee = call.childForFieldName('function');
    const top = fact.mode === 'train' ? topStatement(call) : undefined;
    if (top && callee && (callee.type === 'identifier' || callee.type === 'attribute')) {
      const model = callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'forward'
        ? callee.childForFieldName('object')!.text : callee.text;
      fact.evalFix = insertLine({ line: top.startPosition.row, indent: ' '.repeat(top.startPosition.column) }, `${model}.eval()`);
    }
    if (!evaluating) this.loop!.gradForwards.push(fact);
    else if (this.loop) this.loop.pendingEvalForwards.push(fact);
    else this.result.evalForwards.push(fact);
  }

  private backward(call: SyntaxNode, freshGradients = false): void {
    this.event('backward', call);
    // Each distributed autograd context keeps its own gradients, created empty: nothing to zero.
    if (freshGradients && this.loop) this.loop.events.at(-1)!.freshGradients = true;
    if (this.loop) this.loop.directBackward = true;
    for (let l = this.loop; l; l = l.parent) l.hasBackward = true;
  }

  private event(kind: LoopEventKind, node: SyntaxNode, target?: string, optimizer?: string): void {
    if (!this.loop) return;
    const event: LoopEvent = { kind, span: spanOf(node) };
    if (target) event.target = target;
    if (optimizer) event.optimizer = optimizer;
    if (this.noGrad > 0) event.noGrad = true;
    const receiver = methodCall(node)?.receiver;
    if (receiver) event.receiver = receiver.text;
    const statement = enclosingStatement(node);
    if (statement) {
      event.statement = { line: statement.startPosition.row, indent: ' '.repeat(statement.startPosition.column), endLine: statement.endPosition.row };
    }
    for (let l: LoopFrame | undefined = this.loop; l; l = l.parent) l.events.push(event);
  }
}

function isFunctionalLoss(q: string | undefined): boolean {
  return !!q && q.startsWith('torch.nn.functional.') && torchLossSpec(q) !== undefined;
}

function identifiersIn(node: SyntaxNode): SyntaxNode[] {
  if (node.type === 'identifier') return [node];
  return node.descendantsOfType('identifier').filter((n): n is SyntaxNode => !!n);
}

/** `loss.item()`, `loss.detach()`, `float(loss)`: the graph is not kept. */
function isUnwrapped(id: SyntaxNode): boolean {
  const parent = id.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === id.id) {
    return UNWRAPPING.has(parent.childForFieldName('attribute')?.text ?? '');
  }
  if (parent?.type === 'argument_list') {
    const fn = parent.parent?.childForFieldName('function')?.text;
    return fn === 'float' || fn === 'int';
  }
  return false;
}

function iterableName(node: SyntaxNode): string {
  // enumerate(val_loader), tqdm(test_loader), zip(...)
  const call = unparen(node);
  if (call.type === 'call') {
    const first = callArgs(call).positional[0];
    if (first) return lastName(unparen(first)) ?? iterableName(first);
  }
  return '';
}
