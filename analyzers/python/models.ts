/**
 * Model extraction: which models the file defines — `nn.Sequential(...)`, `nn.Module`/`keras.Model`
 * subclasses, Keras `Sequential` and functional models, and whole models unpickled by `torch.load` —
 * so the trace can bind variables to them. The layers of each come from layer-extractor.ts.
 */
import type { SyntaxNode } from './syntax-tree.js';
import type { ModelFact } from '../facts.js';
import { isKerasFunctionalModel, isKerasSequential, TORCH_SEQUENTIAL } from './catalog.js';
import { Extractor, modelId } from './layer-extractor.js';
import type { CallSite, ModuleIndex } from './module-index.js';
import { spanOf, stripPlacement } from './node-queries.js';

/** Where each model lives, so the trace can bind variables to them. */
export interface ModelTable {
  models: ModelFact[];
  /** Model id by the node id of the constructing call (`nn.Sequential(...)`, `keras.Sequential(...)`). */
  byCallNode: Map<number, string>;
  /** Model id by class name. */
  byClass: Map<string, string>;
}

/** Finds every model defined in the file. */
export function extractModels(index: ModuleIndex): ModelTable {
  const table: ModelTable = { models: [], byCallNode: new Map(), byClass: new Map() };
  const extractor = new Extractor(index);
  for (const info of index.classes.values()) {
    if (!index.isModelClass(info.name)) continue;
    const model = extractor.classModel(info);
    table.models.push(model);
    table.byClass.set(info.name, model.id);
  }
  // Module-level models are built by `Sequential(...)` or `Model(...)`; most files have neither.
  const calls = /\b(?:Sequential|Model)\s*\(/.test(index.text) ? index.calls : [];
  for (const site of calls) {
    if (!site.name || !MODEL_CONSTRUCTORS.has(site.name)) continue;
    const call = site.node;
    if (index.insideModelClass(call)) continue;
    const q = index.qualify(site.callee);
    if (!q) continue;
    let model: ModelFact | undefined;
    if (q === TORCH_SEQUENTIAL && !insideCallOf(call, index, TORCH_SEQUENTIAL)) model = extractor.torchSequential(call);
    else if (isKerasSequential(q)) model = extractor.kerasSequential(call);
    else if (isKerasFunctionalModel(q)) model = extractor.kerasFunctional(call);
    if (!model) continue;
    table.models.push(model);
    table.byCallNode.set(call.id, model.id);
  }
  for (const site of /\bload\s*\(/.test(index.text) ? index.calls : []) {
    const model = loadedModel(site, index);
    if (!model) continue;
    table.models.push(model);
    table.byCallNode.set(site.node.id, model.id);
  }
  return table;
}

/**
 * `net = torch.load(path)` whose result is later called (`net(x)`): a model pickled whole. Its layers
 * are unknown, so it is marked `loaded` (it may hold dropout or batch norm); a state dict is never called.
 */
function loadedModel(site: CallSite, index: ModuleIndex): ModelFact | undefined {
  if (site.name !== 'load' || index.qualify(site.callee) !== 'torch.load') return undefined;
  let top = site.node;
  while (top.parent?.type === 'attribute' && top.parent.parent?.type === 'call' && stripPlacement(top.parent.parent).id === top.id) top = top.parent.parent;
  const assignment = top.parent;
  const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === top.id
    ? assignment.childForFieldName('left') : undefined;
  // `net = torch.load(p)`, or `self.net = torch.load(p)` in a method (called later as `self.net(x)`).
  const held = target?.type === 'attribute' && target.childForFieldName('object')?.text === 'self' && target.childForFieldName('attribute')?.type === 'identifier';
  if (target?.type !== 'identifier' && !held) return undefined;
  // An identifier (or `self.` and one) needs no escaping in a pattern but the dot.
  if (!new RegExp(`(?<![\\w.])${target!.text.replace('.', '\\.')}\\s*\\(`).test(index.scopeText(site.node))) return undefined;
  // Methods are traced one by one, so an `eval()` in `__init__` would not be seen from `predict()`: stay quiet.
  if (held && (top.text.includes('.eval()') || new RegExp(`(?<![\\w.])${target!.text.replace('.', '\\.')}\\.eval\\s*\\(`).test(index.scopeText(site.node)))) return undefined;
  return { id: modelId(site.node), name: target.text, framework: 'pytorch', span: spanOf(site.node), layers: [], output: -1, complete: false, loaded: true };
}

/** Callee names that can construct a model; other calls are not qualified at all. */
const MODEL_CONSTRUCTORS = new Set(['Sequential', 'Model']);

function insideCallOf(node: SyntaxNode, index: ModuleIndex, qualified: string): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'call' && index.qualify(p.childForFieldName('function')) === qualified) return true;
  }
  return false;
}
