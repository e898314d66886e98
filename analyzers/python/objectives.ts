/** Losses, optimizers and data loaders: found once per file, by their constructing calls. */
import type { SyntaxNode } from './syntax-tree.js';
import type { DataLoaderFact, LossFact, OptimizerFact } from '../facts.js';
import { DATALOADER, isObjectiveName, kerasLossSpec, optimizerSpec, torchLossSpec, type LossSpec } from './catalog.js';
import { addKeywordArgument } from './edits.js';
import type { ModuleIndex } from './module-index.js';
import { argument, boolValue, callArgs, methodCall, numberValue, spanOf, stringValue, unparen } from './node-queries.js';

export interface ObjectiveTable {
  losses: LossFact[];
  optimizers: OptimizerFact[];
  dataLoaders: DataLoaderFact[];
  /** Fact id by the node id of the call or string that defines it. */
  lossByNode: Map<number, LossFact>;
  optimizerByNode: Map<number, OptimizerFact>;
  loaderByNode: Map<number, DataLoaderFact>;
}

/** Scans every call once for loss, optimizer and DataLoader constructions and Keras `compile` losses. */
export function extractObjectives(index: ModuleIndex): ObjectiveTable {
  const table: ObjectiveTable = { losses: [], optimizers: [], dataLoaders: [], lossByNode: new Map(), optimizerByNode: new Map(), loaderByNode: new Map() };
  const calls = OBJECTIVE_HINT.test(index.text) ? index.calls : [];
  for (const site of calls) {
    const call = site.node;
    if (!site.name) continue;
    const q = isObjectiveName(site.name) ? index.qualify(site.callee) : undefined;
    if (q) {
      const torchLoss = torchLossSpec(q);
      if (torchLoss) addLoss(table, call, q, 'pytorch', torchLoss, undefined);
      else if (q.startsWith('keras.losses.')) {
        const spec = kerasLossSpec(q);
        if (spec) addLoss(table, call, q, 'keras', spec, fromLogits(index, call));
      }
      const optimizer = optimizerSpec(q);
      if (optimizer) addOptimizer(table, index, call, q, optimizer.family);
      if (q === DATALOADER) addDataLoader(table, index, call);
    }
    if (site.name === 'compile' && methodCall(call)) {
      const loss = argument(callArgs(call), -1, 'loss');
      const name = stringValue(index.literal(loss));
      const spec = name !== undefined ? kerasLossSpec(name) : undefined;
      if (loss && spec) addLoss(table, loss, name!, 'keras', spec, false);
    }
  }
  return table;
}

/** Text every loss, optimizer, DataLoader or `compile` call contains; files without it skip the call scan. */
const OBJECTIVE_HINT = /Loss|_loss|cross_?entropy|[Cc]rossentropy|Error|SGD|Adam|Adagrad|Adadelta|RMSprop|LBFGS|Rprop|Lion|Ftrl|Adafactor|DataLoader|compile|hinge|huber|log_cosh|kl_divergence|mse|mae/;

function fromLogits(index: ModuleIndex, call: SyntaxNode): boolean {
  return boolValue(index.literal(callArgs(call).keywords.get('from_logits'))) ?? false;
}

function addLoss(table: ObjectiveTable, node: SyntaxNode, api: string, framework: 'pytorch' | 'keras', spec: LossSpec, logits: boolean | undefined): void {
  const expects = spec.fromLogitsKeyword && logits ? 'logits' : spec.expects;
  const fact: LossFact = {
    id: `loss@${node.startPosition.row}:${node.startPosition.column}`,
    api: api.replace(/^torch\.nn\.functional\./, 'F.').replace(/^torch\.nn\./, 'nn.').replace(/^keras\.losses\./, 'keras.losses.'),
    framework, family: spec.family, expects, span: spanOf(node), modelIds: [], unlinkedInput: false,
  };
  const callee = node.type === 'call' ? node.childForFieldName('function') : undefined;
  const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute') : undefined;
  if (name) fact.nameToken = spanOf(name);
  table.losses.push(fact);
  table.lossByNode.set(node.id, fact);
}

function addOptimizer(table: ObjectiveTable, index: ModuleIndex, call: SyntaxNode, api: string, family: string): void {
  const args = callArgs(call);
  const isTorch = api.startsWith('torch.');
  const fact: OptimizerFact = {
    id: `optimizer@${call.startPosition.row}:${call.startPosition.column}`,
    api: api.replace(/^torch\.optim\./, 'optim.'), framework: isTorch ? 'pytorch' : 'keras', family, span: spanOf(call),
    clipping: ['clipnorm', 'clipvalue', 'global_clipnorm'].some((k) => args.keywords.has(k)),
  };
  const lrNode = argument(args, isTorch ? 1 : 0, isTorch ? 'lr' : 'learning_rate') ?? args.keywords.get('lr');
  const lr = numberValue(index.literal(lrNode));
  if (lr !== undefined && lrNode) {
    fact.lr = lr;
    fact.lrSpan = spanOf(lrNode);
  }
  const weightDecayNode = args.keywords.get('weight_decay');
  const weightDecay = numberValue(index.literal(weightDecayNode));
  if (weightDecay !== undefined && weightDecayNode) {
    fact.weightDecay = weightDecay;
    fact.weightDecaySpan = spanOf(weightDecayNode);
  }
  const momentum = numberValue(index.literal(args.keywords.get('momentum')));
  if (momentum !== undefined) fact.momentum = momentum;
  const callee = call.childForFieldName('function');
  const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute') : undefined;
  if (name) fact.nameToken = spanOf(name);
  table.optimizers.push(fact);
  table.optimizerByNode.set(call.id, fact);
}

function addDataLoader(table: ObjectiveTable, index: ModuleIndex, call: SyntaxNode): void {
  const args = callArgs(call);
  const parent = call.parent;
  const left = parent?.type === 'assignment' ? parent.childForFieldName('left') : undefined;
  const fact: DataLoaderFact = {
    id: `loader@${call.startPosition.row}:${call.startPosition.column}`,
    span: spanOf(call), name: left ? unparen(left).text : '',
    sampler: args.keywords.has('sampler') || args.keywords.has('batch_sampler'), usedForTraining: false,
  };
  const shuffleNode = args.keywords.get('shuffle');
  const shuffle = boolValue(index.literal(shuffleNode));
  // shuffle=(sampler is None), shuffle=is_train: decided at run time, so treated as given.
  if (shuffle !== undefined || shuffleNode) fact.shuffle = shuffle ?? true;
  // DataLoader(ds, **train_kwargs): given when the dict may hold it, or when the dict cannot be seen.
  for (const splat of args.positional) {
    const name = splat.type === 'dictionary_splat' ? splat.namedChildren[0] : undefined;
    if (fact.shuffle === undefined && name?.type === 'identifier' && dictMayHold(index.scopeText(call), name.text, LOADER_ORDER_KEYS) !== false) fact.shuffle = true;
  }
  const batchNode = argument(args, 1, 'batch_size');
  const batchSize = numberValue(index.literal(batchNode));
  if (batchSize !== undefined && batchNode) {
    fact.batchSize = batchSize;
    fact.batchSizeSpan = spanOf(batchNode);
  }
  const shuffleFix = fact.shuffle !== true && !fact.sampler ? addKeywordArgument(call, 'shuffle', 'True') : undefined;
  if (shuffleFix) fact.shuffleFix = shuffleFix;
  table.dataLoaders.push(fact);
  table.loaderByNode.set(call.id, fact);
}

/** Keywords that decide a DataLoader's order. */
const LOADER_ORDER_KEYS = /['"]?\b(shuffle|sampler|batch_sampler)\b['"]?\s*[:=]|\[\s*['"](shuffle|sampler|batch_sampler)['"]\s*\]\s*=/;

/**
 * Whether the dict bound to `name` (an identifier) may hold one of `keys`, from its literal definitions, its
 * `name.update(...)` calls (following another dict's name) and `name["key"] = ...` assignments:
 * false when every definition is visible and none does, undefined when no definition is visible
 * (a parameter), true otherwise.
 */
function dictMayHold(text: string, name: string, keys: RegExp, depth = 0): boolean | undefined {
  if (depth > 3) return undefined;
  for (const match of text.matchAll(new RegExp(`\\b${name}\\s*\\[\\s*['"](\\w+)['"]\\s*\\]\\s*=`, 'g'))) if (keys.test(`${match[1]}=`)) return true;
  let defined = false;
  for (const match of text.matchAll(new RegExp(`\\b${name}\\s*=\\s*(\\{[^}]*\\}|dict\\([^)]*\\))`, 'g'))) {
    defined = true;
    if (keys.test(match[1]!)) return true;
  }
  for (const match of text.matchAll(new RegExp(`\\b${name}\\.update\\(([^)]*)\\)`, 'g'))) {
    const argument = match[1]!.trim();
    if (keys.test(argument)) return true;
    if (/^\w+$/.test(argument) && dictMayHold(text, argument, keys, depth + 1) !== false) return true;
  }
  return defined ? false : undefined;
}
