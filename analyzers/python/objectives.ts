/** Losses, optimizers and data loaders: found once per file, by their constructing calls. */
import type { Node } from 'web-tree-sitter';
import type { DataLoaderFact, LossFact, OptimizerFact } from '../facts.js';
import { DATALOADER, isObjectiveName, kerasLossSpec, optimizerSpec, torchLossSpec, type LossSpec } from './catalog.js';
import type { ModuleIndex } from './module-index.js';
import { argument, boolValue, callArgs, methodCall, numberValue, spanOf, stringValue, unparen } from './syntax.js';

export interface ObjectiveTable {
  losses: LossFact[];
  optimizers: OptimizerFact[];
  dataLoaders: DataLoaderFact[];
  /** Fact id by the node id of the call or string that defines it. */
  lossByNode: Map<number, LossFact>;
  optimizerByNode: Map<number, OptimizerFact>;
}

/** Scans every call once for loss, optimizer and DataLoader constructions and Keras `compile` losses. */
export function extractObjectives(index: ModuleIndex): ObjectiveTable {
  const table: ObjectiveTable = { losses: [], optimizers: [], dataLoaders: [], lossByNode: new Map(), optimizerByNode: new Map() };
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

function fromLogits(index: ModuleIndex, call: Node): boolean {
  return boolValue(index.literal(callArgs(call).keywords.get('from_logits'))) ?? false;
}

function addLoss(table: ObjectiveTable, node: Node, api: string, framework: 'pytorch' | 'keras', spec: LossSpec, logits: boolean | undefined): void {
  const expects = spec.fromLogitsKeyword && logits ? 'logits' : spec.expects;
  const fact: LossFact = {
    id: `loss@${node.startPosition.row}:${node.startPosition.column}`,
    api: api.replace(/^torch\.nn\.functional\./, 'F.').replace(/^torch\.nn\./, 'nn.').replace(/^keras\.losses\./, 'keras.losses.'),
    framework, family: spec.family, expects, span: spanOf(node), modelIds: [], unlinkedInput: false,
  };
  table.losses.push(fact);
  table.lossByNode.set(node.id, fact);
}

function addOptimizer(table: ObjectiveTable, index: ModuleIndex, call: Node, api: string, family: string): void {
  const args = callArgs(call);
  const fact: OptimizerFact = {
    id: `optimizer@${call.startPosition.row}:${call.startPosition.column}`,
    api: api.replace(/^torch\.optim\./, 'optim.'), family, span: spanOf(call),
  };
  const isTorch = api.startsWith('torch.');
  const lr = numberValue(index.literal(argument(args, isTorch ? 1 : 0, isTorch ? 'lr' : 'learning_rate') ?? args.keywords.get('lr')));
  if (lr !== undefined) fact.lr = lr;
  const weightDecay = numberValue(index.literal(args.keywords.get('weight_decay')));
  if (weightDecay !== undefined) fact.weightDecay = weightDecay;
  const momentum = numberValue(index.literal(args.keywords.get('momentum')));
  if (momentum !== undefined) fact.momentum = momentum;
  table.optimizers.push(fact);
  table.optimizerByNode.set(call.id, fact);
}

function addDataLoader(table: ObjectiveTable, index: ModuleIndex, call: Node): void {
  const args = callArgs(call);
  const parent = call.parent;
  const left = parent?.type === 'assignment' ? parent.childForFieldName('left') : undefined;
  const fact: DataLoaderFact = { span: spanOf(call), name: left ? unparen(left).text : '' };
  const shuffle = boolValue(index.literal(args.keywords.get('shuffle')));
  if (shuffle !== undefined) fact.shuffle = shuffle;
  const batchSize = numberValue(index.literal(argument(args, 1, 'batch_size')));
  if (batchSize !== undefined) fact.batchSize = batchSize;
  table.dataLoaders.push(fact);
}
