/**
 * Facts outside models and loops: torchvision transform pipelines, constant weight
 * initialisation, gradient clipping, `torch.load` calls and regularisers.
 */
import type { SyntaxNode } from './syntax-tree.js';
import type { ConstantInitFact, MisspeltRequiresGradFact, TransformFact } from '../facts.js';
import type { TextEdit } from '../core/findings.js';
import type { Span } from '../core/span.js';
import { addKeywordArgument } from './edits.js';
import { EVAL_DATA_NAME } from '../core/naming.js';
import type { ClassInfo, ModuleIndex } from './module-index.js';
import { layerSpec } from './catalog.js';
import { enclosingClassName } from './loop-purpose.js';
import { boolValue, callArgs, lastName, methodCall, namedChildrenOf, numberValue, spanOf, stringValue, unparen } from './node-queries.js';
import { editDistance } from '../core/edit-distance.js';

export interface PipelineFacts {
  transforms: TransformFact[];
  constantInits: ConstantInitFact[];
  gradientClipping: Span[];
  unsafeLoads: { span: Span; explicit: boolean; fix?: TextEdit }[];
  misspeltRequiresGrad: MisspeltRequiresGradFact[];
  regularization: { kernelRegularizer: boolean };
}

const RANDOM_AUGMENTATION = /^(Random\w+|ColorJitter|AutoAugment|RandAugment|TrivialAugmentWide|AugMix|ElasticTransform)$/;
const TRAIN_NAME = /(^|_)train/i;
const INTERESTING = new Set(['Compose', 'zeros_', 'ones_', 'constant_', 'fill_', 'zero_', 'clip_grad_norm_', 'clip_grad_value_', 'clip_grad_norm', 'load']);

/** Scans the file's calls for the facts above. */
export function extractPipeline(index: ModuleIndex): PipelineFacts {
  const facts: PipelineFacts = {
    transforms: [], constantInits: [], gradientClipping: [], unsafeLoads: [],
    misspeltRequiresGrad: misspeltRequiresGrad(index),
    regularization: { kernelRegularizer: /kernel_regularizer|regularizers\./.test(index.text) },
  };
  if (!/Compose|init\.|fill_|zero_|clip_grad|\bload\(/.test(index.text)) return facts;
  for (const site of index.calls) {
    if (!site.name || !INTERESTING.has(site.name)) continue;
    const call = site.node;
    const q = index.qualify(site.callee) ?? '';
    switch (site.name) {
      case 'Compose':
        if (q.startsWith('torchvision.transforms')) facts.transforms.push(transformFact(index, call));
        break;
      case 'zeros_':
      case 'ones_':
      case 'constant_': {
        const args = callArgs(call).positional;
        const target = args[0];
        const ones = site.name === 'ones_' || (site.name === 'constant_' && numberValue(args[1]) === 1);
        if (q.startsWith('torch.nn.init.') && target && isWeight(target) && !ones && !mayStartConstant(index, call, target)) {
          facts.constantInits.push({ span: spanOf(call), kind: site.name.replace(/_$/, '') });
        }
        break;
      }
      case 'fill_':
      case 'zero_': {
        const receiver = methodCall(call)?.receiver;
        const ones = site.name === 'fill_' && numberValue(callArgs(call).positional[0]) === 1;
        if (receiver && isWeight(receiver) && !ones && !mayStartConstant(index, call, receiver)) {
          facts.constantInits.push({ span: spanOf(call), kind: site.name === 'zero_' ? 'zeros' : 'constant' });
        }
        break;
      }
      case 'load': {
        const weightsOnly = boolValue(index.literal(callArgs(call).keywords.get('weights_only')));
        // Classes allow-listed for weights-only loading (`safe_globals(...)` around the call, or
        // `add_safe_globals` anywhere in the file) say the default weights_only=True load is meant.
        if (q === 'torch.load' && weightsOnly !== true && !(weightsOnly === undefined && allowListed(index, call))) {
          const fix = addKeywordArgument(call, 'weights_only', 'True');
          facts.unsafeLoads.push({ span: spanOf(call), explicit: weightsOnly === false, ...(fix ? { fix } : {}) });
        }
        break;
      }
      default:
        facts.gradientClipping.push(spanOf(call));
    }
  }
  return facts;
}

/** Attribute names a tensor's `requires_grad` is mistyped as, caught by the cheap text test before any tree walk. */
const NEAR_REQUIRES_GRAD = /\.\s*re\w*g\w*\s*=\s*(?:True|False)\b/;

/**
 * `p.require_grad = False`: a tensor accepts any attribute, so the misspelt flag is stored and
 * ignored. Names within two edits of `requires_grad` (and not it) assigned True or False count.
 */
function misspeltRequiresGrad(index: ModuleIndex): MisspeltRequiresGradFact[] {
  if (!NEAR_REQUIRES_GRAD.test(index.text)) return [];
  const found: MisspeltRequiresGradFact[] = [];
  for (const assignment of index.root.descendantsOfType('assignment')) {
    const left = assignment.childForFieldName('left');
    const name = left?.type === 'attribute' ? left.childForFieldName('attribute') : null;
    if (!name || name.text === 'requires_grad' || editDistance(name.text, 'requires_grad') > 2) continue;
    // A flag stored on the object itself (`self.require_grad = flag`) is a setting of its own, not a tensor's.
    const object = left!.childForFieldName('object')?.text;
    const value = assignment.childForFieldName('right');
    if (object === 'self' || object === 'cls' || (value?.type !== 'true' && value?.type !== 'false')) continue;
    found.push({ span: spanOf(left!), written: name.text, fix: { span: spanOf(name), newText: 'requires_grad' } });
  }
  return found;
}

/** Whether a `torch.load` runs inside `with torch.serialization.safe_globals([...]):` or after `add_safe_globals([...])`. */
function allowListed(index: ModuleIndex, call: SyntaxNode): boolean {
  if (!/safe_globals/.test(index.scopeText(call))) return false;
  const added = index.calls.some((site) => site.name === 'add_safe_globals' && site.node.startIndex < call.startIndex && index.sameScope(site.node, call) &&
    (index.qualify(site.callee) ?? '').startsWith('torch.serialization.'));
  if (added) return true;
  for (let p = call.parent; p; p = p.parent) {
    if (p.type !== 'with_statement') continue;
    for (const item of p.descendantsOfType('with_item')) {
      const value = item?.childForFieldName('value');
      const callee = value?.type === 'call' ? value.childForFieldName('function') : undefined;
      if (callee && index.qualify(callee) === 'torch.serialization.safe_globals') return true;
    }
  }
  return false;
}

/**
 * `m.weight`, `layer.weight.data`, `self.fc.weight`: a whole weight tensor, not a bias. A part of one
 * (`emb.weight[PAD_IDX]`, the padding row of an embedding) is not: the rest stays random. Nor is a new
 * tensor made from one (`weight.new(layers, batch, hidden).zero_()`, an RNN's initial hidden state).
 */
const WEIGHTED = new Set(['linear', 'conv', 'recurrent']);

/**
 * The weight of an output layer: `self.head.weight` in a model class whose forward returns
 * `self.head(...)` (directly or through the variable it last assigned), or whose only weighted layer
 * is `self.head`; the same one level down (`self.mlp.fc2.weight`, `mlp` built from such a class);
 * or the last layer of a stack (`self.net[-1].weight`). An output layer (or a one-layer linear model)
 * may start at zero, since the units before it already differ (or there are none), so no symmetry
 * needs breaking: a residual branch or a flow's coupling layer that starts at zero starts as the identity.
 */
function isOutputLayerWeight(index: ModuleIndex, call: SyntaxNode, weight: SyntaxNode): boolean {
  const text = unparen(weight).text;
  if (/\[-1\]\.weight(?:\.data)?$/.test(text)) return true;
  const match = /^self\.((?:\w+\.)*)(\w+)\.weight(?:\.data)?$/.exec(text);
  if (!match) return false;
  const owner = enclosingClassName(call);
  let info = owner === undefined ? undefined : index.classes.get(owner);
  for (const attr of match[1]!.split('.').filter(Boolean)) info = info && classOfAttribute(index, info, attr);
  return !!info && isOutputLayer(index, info, match[2]!);
}

/**
 * The class of this file (or linked into it) that attribute `attr` of `info` is built from, in any of
 * its assignments (`self.mlp = Mlp(...) if fuse else None` is written as two branches).
 */
function classOfAttribute(index: ModuleIndex, info: ClassInfo, attr: string): ClassInfo | undefined {
  for (const assignment of info.node.descendantsOfType('assignment')) {
    if (assignment?.childForFieldName('left')?.text !== `self.${attr}`) continue;
    const right = assignment.childForFieldName('right');
    const inner = right ? unparen(right) : undefined;
    const name = inner?.type === 'call' ? inner.childForFieldName('function') : undefined;
    const found = name?.type === 'identifier' ? index.classes.get(name.text) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** Whether `attr` is the output layer of model class `info` (see {@link isOutputLayerWeight}). */
function isOutputLayer(index: ModuleIndex, info: ClassInfo, attr: string): boolean {
  if (!index.isModelClass(info.name)) return false;
  const weighted = [...info.attributes].filter(([, value]) => {
    const inner = unparen(value);
    const spec = inner.type === 'call' ? layerSpec(index.qualify(inner.childForFieldName('function')) ?? '') : undefined;
    return spec && WEIGHTED.has(spec.kind);
  }).map(([name]) => name);
  if (!weighted.includes(attr)) return false;
  if (weighted.length === 1) return true;
  const forward = info.methods.get('forward') ?? info.methods.get('call');
  const returns = forward?.descendantsOfType('return_statement') ?? [];
  return returns.length > 0 && returns.every((r) => r && returnsLayerCall(r, attr));
}

/** `return self.attr(...)`, or `x = self.attr(...)` right before `return x`. */
function returnsLayerCall(statement: SyntaxNode, attr: string): boolean {
  const isLayerCall = (node: SyntaxNode | null | undefined) => {
    const inner = node ? unparen(node) : undefined;
    return inner?.type === 'call' && inner.childForFieldName('function')?.text === `self.${attr}`;
  };
  const value = statement.namedChildren[0];
  if (isLayerCall(value)) return true;
  if (value?.type !== 'identifier') return false;
  const before = statement.previousSibling;
  const assignment = before?.type === 'expression_statement' ? before.namedChildren[0] : undefined;
  return assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === value.text && isLayerCall(assignment.childForFieldName('right'));
}

/** Weights that may start at a constant: a norm's scale, an output layer's, or one the code marks as meant. */
function mayStartConstant(index: ModuleIndex, call: SyntaxNode, weight: SyntaxNode): boolean {
  return isNormInit(call, weight) || isOutputLayerWeight(index, call, weight) || markedAsMeant(call);
}

/**
 * An init the code marks as meant for the layers that may start at zero: under a condition that picks
 * the output head or classifier (`if name.startswith('head'):`) or a zero-init switch
 * (`if cfg.zero_init_fc:`), or in a method named for it (`def zero_init_last(self):`). A head's units
 * are fed by units that already differ; the last layer of a residual branch at zero starts the block
 * as the identity, which is how deep residual networks are trained to start.
 */
function markedAsMeant(call: SyntaxNode): boolean {
  return underCondition(call, /head|classifier|zero_init/i) || /zero_init|init_last/i.test(enclosingFunction(call)?.childForFieldName('name')?.text ?? '');
}

/** Whether an `if`/`elif` around `call`, within its function, tests a condition matching `pattern`. */
function underCondition(call: SyntaxNode, pattern: RegExp): boolean {
  for (let p = call.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if ((p.type === 'if_statement' || p.type === 'elif_clause') && pattern.test(p.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}

function isWeight(node: SyntaxNode): boolean {
  const inner = unparen(node);
  if (inner.type === 'subscript' || inner.type === 'call') return false;
  const text = inner.text;
  return /\bweight\b|weight_/.test(text) && !/\bbias\b/.test(text);
}

/**
 * Normalization layers' weights are scales that start at 1 (or 0 for the last norm of a residual block):
 * `m.bn3.weight`, or any init inside `if isinstance(m, nn.BatchNorm2d):`.
 */
function isNormInit(call: SyntaxNode, target: SyntaxNode): boolean {
  return /\b(bn|norm|ln|gn)\w*\.weight|norm\w*\.weight/i.test(target.text) || underCondition(call, /Norm/);
}

function transformFact(index: ModuleIndex, call: SyntaxNode): TransformFact {
  const fact: TransformFact = { span: spanOf(call), role: roleOf(call), toTensor: false, normalize: false, randomOps: [] };
  if (fact.role === 'unknown') fact.role = roleOfUses(index, call);
  const list = callArgs(call).positional[0];
  for (const item of namedChildrenOf(list && (list.type === 'list' || list.type === 'tuple') ? list : undefined)) {
    // `normalize = T.Normalize(...)` defined earlier and listed by name (the ImageNet example's style).
    const name = item.type === 'call' ? lastName(item.childForFieldName('function')) ?? ''
      : item.type === 'identifier' ? new RegExp(`\\b${item.text}\\s*=\\s*[\\w.]*?(\\w+)\\(`).exec(index.scopeText(call))?.[1] ?? ''
        : item.type === 'attribute' ? heldTransformName(index.scopeText(call), item) : '';
    if (name === 'ToTensor' || name === 'ToImage') fact.toTensor = true;
    else if (name === 'Normalize') fact.normalize = true;
    else if (RANDOM_AUGMENTATION.test(name)) fact.randomOps.push({ api: name, span: spanOf(item) });
  }
  return fact;
}

/**
 * The class of a transform held by an object and listed as `self.normalize`: assigned
 * (`self.normalize = T.Normalize(...)`) or returned by a property or method of that name.
 */
function heldTransformName(text: string, item: SyntaxNode): string {
  const attr = item.childForFieldName('attribute')?.text;
  if (!attr || item.childForFieldName('object')?.type !== 'identifier') return '';
  // An identifier needs no escaping in a pattern.
  const assigned = new RegExp(`\\.${attr}\\s*=\\s*[\\w.]*?(\\w+)\\(`).exec(text);
  if (assigned) return assigned[1]!;
  const def = new RegExp(`\\bdef\\s+${attr}\\s*\\(`).exec(text);
  if (!def) return '';
  const rest = text.slice(def.index + def[0].length);
  const body = rest.slice(0, rest.search(/\n\s*(?:def|class)\s|$/));
  return /\breturn\s+[\w.]*?(\w+)\(/.exec(body)?.[1] ?? '';
}

/** For `transform = Compose(...)`, the role of the datasets it is passed to (`MNIST(train=False, transform=transform)`). */
function roleOfUses(index: ModuleIndex, call: SyntaxNode): TransformFact['role'] {
  const parent = call.parent;
  const name = parent?.type === 'assignment' ? parent.childForFieldName('left')?.text : undefined;
  if (!name) return 'unknown';
  let role: TransformFact['role'] = 'unknown';
  for (const site of index.calls) {
    const args = callArgs(site.node);
    if (args.keywords.get('transform')?.text !== name || !index.sameScope(site.node, call)) continue;
    const use = roleOf(args.keywords.get('transform')!);
    if (use === 'eval') return 'eval';
    if (use === 'train') role = 'train';
  }
  return role;
}

/** Whether a pipeline serves training or evaluation data, from the names around it. */
function roleOf(call: SyntaxNode): TransformFact['role'] {
  const parent = call.parent;
  if (parent?.type === 'assignment') return roleOfName(unparen(parent.childForFieldName('left')!).text);
  if (parent?.type === 'pair') return roleOfName(stringValue(parent.childForFieldName('key')) ?? '');
  if (parent?.type === 'keyword_argument') {
    // Dataset(root, train=False, transform=Compose([...]))
    const owner = parent.parent?.parent;
    if (owner?.type === 'call') {
      const train = boolValue(callArgs(owner).keywords.get('train'));
      if (train !== undefined) return train ? 'train' : 'eval';
      const split = stringValue(callArgs(owner).keywords.get('split'));
      if (split) return roleOfName(split);
      const assigned = owner.parent?.type === 'assignment' ? owner.parent.childForFieldName('left')?.text : undefined;
      if (assigned) return roleOfName(assigned);
    }
  }
  return 'unknown';
}

function roleOfName(name: string): TransformFact['role'] {
  if (EVAL_DATA_NAME.test(name)) return 'eval';
  if (TRAIN_NAME.test(name)) return 'train';
  return 'unknown';
}
