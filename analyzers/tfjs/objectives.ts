/**
 * Losses, optimizers, `compile`, `fit`/`fitDataset` and `evaluate`: what a model is trained with and how.
 */
import type { ts } from 'ts-morph';
import type { CompileFact, FitFact, LossFact, ModelFact, OptimizerFact } from '../facts.js';
import type { Span } from '../core/span.js';
import { lossByName, lossFunction, optimizerByName, optimizerFamily, type LossSpec } from './catalog.js';
import type { TfjsFile } from './program.js';
import { TS } from './ts.js';
import { calleeName, isFunctionLike, receiverOf, unwrap, type FunctionLike } from './syntax.js';

export interface ObjectiveTable {
  losses: LossFact[];
  optimizers: OptimizerFact[];
  compiles: CompileFact[];
  fits: FitFact[];
  evaluateCalls: Span[];
  /** Optimizer facts by the node that builds them. */
  optimizerByNode: Map<ts.Node, OptimizerFact>;
  /** The fit calls, for the loop analysis. */
  fitCalls: ts.CallExpression[];
}

const FIT_METHODS = new Set(['fit', 'fitDataset']);
const EVALUATE_METHODS = new Set(['evaluate', 'evaluateDataset']);

export function extractObjectives(file: TfjsFile, models: ModelFact[]): ObjectiveTable {
  const table: ObjectiveTable = { losses: [], optimizers: [], compiles: [], fits: [], evaluateCalls: [], optimizerByNode: new Map(), fitCalls: [] };
  const lossCalls: { call: ts.CallExpression; fact: LossFact }[] = [];
  const lossByNode = new Map<ts.Node, LossFact>();
  /** Loss functions passed to `compile({loss: fn})` (their second parameter is the model output). */
  const lossFunctions = new Set<FunctionLike>();
  const addLoss = (node: ts.Node, api: string, spec: LossSpec): LossFact => {
    const existing = lossByNode.get(node);
    if (existing) return existing;
    const start = file.src.pos(file.src.start(node));
    const fact: LossFact = {
      id: `loss@${start.line}:${start.character}`, api, framework: 'tfjs', family: spec.family, expects: spec.expects,
      span: file.src.span(node), modelIds: [], unlinkedInput: false,
    };
    table.losses.push(fact);
    lossByNode.set(node, fact);
    return fact;
  };

  for (const call of file.calls) {
    const path = file.callPath(call);
    if (path !== undefined) {
      const family = optimizerFamily(path);
      if (family && (TS.isNewExpression(call) || path.startsWith('train.'))) {
        addOptimizer(file, table, call, file.src.nodeText(call.expression).replace(/\s+/g, ''), call.arguments ?? [], family);
      }
      const loss = TS.isCallExpression(call) ? lossFunction(path) : undefined;
      if (loss && TS.isCallExpression(call)) lossCalls.push({ call, fact: addLoss(call, file.src.nodeText(call.expression).replace(/\s+/g, ''), loss) });
    }
  }
  // Then the calls that use them (`compile` comes before its optimizer argument in source order).
  for (const call of file.calls) {
    if (!TS.isCallExpression(call) || file.callPath(call) !== undefined) continue;
    const method = calleeName(call);
    if (!method || !receiverOf(call)) continue;
    if (method === 'compile') {
      const model = file.modelOf(receiverOf(call));
      if (!model && !file.isModelish(receiverOf(call))) continue;
      compile(file, table, call, model, addLoss, lossFunctions);
    } else if (FIT_METHODS.has(method) && file.isModelish(receiverOf(call))) {
      table.fits.push(fitFact(file, call, method, file.modelOf(receiverOf(call))));
      table.fitCalls.push(call);
    } else if (EVALUATE_METHODS.has(method) && file.isModelish(receiverOf(call))) {
      table.evaluateCalls.push(file.src.span(call));
    }
  }

  // Link loss calls to the model whose output they are given (the prediction is the second argument).
  for (const { call, fact } of lossCalls) {
    const prediction = call.arguments[1];
    if (!prediction) continue;
    const model = file.modelOutputOf(prediction);
    if (model) {
      if (!fact.modelIds.includes(model.id)) fact.modelIds.push(model.id);
      continue;
    }
    const parameter = parameterOf(file, prediction);
    if (parameter) {
      // A loss helper `(labels, preds) => tf.losses.x(labels, preds)`: linked at its call sites or its compile.
      for (const caller of file.callersOf(parameter.fn)) {
        const linked = file.modelOutputOf(caller.arguments[parameter.index]);
        if (linked && !fact.modelIds.includes(linked.id)) fact.modelIds.push(linked.id);
      }
      continue;
    }
    fact.unlinkedInput = true;
  }
  for (const compileFact of table.compiles) {
    const model = models.find((m) => m.id === compileFact.modelId);
    if (!model) continue;
    for (const { call, fact } of lossCalls) {
      const parameter = call.arguments[1] ? parameterOf(file, call.arguments[1]) : undefined;
      if (parameter && lossFunctions.has(parameter.fn) && !fact.modelIds.includes(model.id)) fact.modelIds.push(model.id);
    }
  }
  return table;
}

function parameterOf(file: TfjsFile, expr: ts.Expression): { fn: FunctionLike; index: number } | undefined {
  const node = unwrap(expr);
  if (!TS.isIdentifier(node)) return undefined;
  const binding = file.scopes.resolve(node);
  const parameter = binding?.kind === 'param' ? binding.id.parent : undefined;
  const fn = parameter?.parent;
  if (!parameter || !TS.isParameter(parameter) || !fn || !isFunctionLike(fn)) return undefined;
  return { fn, index: fn.parameters.indexOf(parameter) };
}

function addOptimizer(file: TfjsFile, table: ObjectiveTable, node: ts.Node, api: string, args: readonly ts.Expression[], family: string): OptimizerFact {
  const start = file.src.pos(file.src.start(node));
  const fact: OptimizerFact = { id: `optimizer@${start.line}:${start.character}`, api, framework: 'tfjs', family, clipping: false, span: file.src.span(node) };
  const lrNode = args[0];
  const lr = file.numberOf(lrNode);
  if (lr !== undefined && lrNode) {
    fact.lr = lr;
    fact.lrSpan = file.src.span(lrNode);
  }
  if (/momentum|Momentum/.test(fact.api)) {
    const momentum = file.numberOf(args[1]);
    if (momentum !== undefined) fact.momentum = momentum;
  }
  table.optimizers.push(fact);
  table.optimizerByNode.set(node, fact);
  return fact;
}

function compile(file: TfjsFile, table: ObjectiveTable, call: ts.CallExpression, model: ModelFact | undefined,
  addLoss: (node: ts.Node, api: string, spec: LossSpec) => LossFact, lossFunctions: Set<FunctionLike>): void {
  const options = file.options(call.arguments[0]);
  const fact: CompileFact = { span: file.src.span(call) };
  if (model) fact.modelId = model.id;
  const optimizer = file.option(options, 'optimizer')?.value;
  if (optimizer) {
    const name = file.stringOf(optimizer);
    let built = table.optimizerByNode.get(file.literal(optimizer) ?? optimizer);
    const family = !built && name ? optimizerByName(name.value) : undefined;
    if (family && name) built = addOptimizer(file, table, name.node, `'${name.value}'`, [], family);
    if (built) fact.optimizerId = built.id;
  }
  table.compiles.push(fact);
  const lossValue = file.option(options, 'loss')?.value;
  if (!lossValue) return;
  const link = (loss: LossFact | undefined) => {
    if (loss && model && !loss.modelIds.includes(model.id)) loss.modelIds.push(model.id);
  };
  const literal = file.literal(lossValue);
  if (literal && TS.isArrayLiteralExpression(literal)) return; // one loss per output: which output is which is not tracked
  // The loss is reported where compile names it (a constant holding the name may serve several models).
  const name = file.stringOf(lossValue);
  if (name) {
    const spec = lossByName(name.value);
    if (spec) link(addLoss(lossValue, `'${name.value}'`, spec));
    return;
  }
  const path = file.qualify(lossValue);
  const spec = path ? lossFunction(path) : undefined;
  if (spec && literal) {
    link(addLoss(lossValue, file.src.nodeText(literal).replace(/\s+/g, ''), spec));
    return;
  }
  const fn = file.functionOf(lossValue);
  if (fn) lossFunctions.add(fn);
}

/** `model.fit(x, y, {epochs, batchSize, validationSplit, validationData, callbacks})`, `model.fitDataset(ds, {...})`. */
function fitFact(file: TfjsFile, call: ts.CallExpression, method: string, model: ModelFact | undefined): FitFact {
  const options = file.options(call.arguments[method === 'fit' ? 2 : 1]);
  const opt = (key: string) => file.option(options, key);
  const fact: FitFact = { span: file.src.span(call), validation: false, callbacks: [] };
  if (model) fact.modelId = model.id;
  const numeric = (key: string) => {
    const value = opt(key)?.value;
    const number = file.numberOf(value);
    return number !== undefined && value ? { value: number, span: file.src.span(value) } : undefined;
  };
  const epochs = numeric('epochs');
  if (epochs) fact.epochs = epochs;
  const batchSize = numeric('batchSize');
  if (batchSize) fact.batchSize = batchSize;
  const split = opt('validationSplit');
  fact.validation = !!opt('validationData') || (!!split && file.numberOf(split.value) !== 0);
  // Options built elsewhere (`model.fit(x, y, config)` with an unknown config) may hold validation: stay quiet.
  if (!options && call.arguments[method === 'fit' ? 2 : 1]) fact.validation = true;
  const callbacks = file.literal(opt('callbacks')?.value);
  const items = callbacks ? (TS.isArrayLiteralExpression(callbacks) ? [...callbacks.elements] : [callbacks]) : [];
  for (const item of items) fact.callbacks.push(callbackName(file, item));
  return fact;
}

/** `tf.callbacks.earlyStopping(...)` → `EarlyStopping`; a custom callback that sets `stopTraining` counts as early stopping. */
function callbackName(file: TfjsFile, item: ts.Expression): string {
  const node = file.literal(item) ?? item;
  if (TS.isCallExpression(node) || TS.isNewExpression(node)) {
    const path = file.callPath(node);
    const name = path?.split('.').pop() ?? calleeName(node) ?? 'callback';
    return name.charAt(0).toUpperCase() + name.slice(1);
  }
  if (TS.isObjectLiteralExpression(node) && /\bstopTraining\s*=\s*true\b/.test(file.src.nodeText(node))) return 'EarlyStopping (custom)';
  return file.src.nodeText(node).slice(0, 40);
}
