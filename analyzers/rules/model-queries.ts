/** Questions rules ask about models, answered from the facts. */
import type { Activation, LayerFact, LossFact, ModelFact, TrainingFacts } from '../facts.js';

/** Layers that leave values as they are for the purpose of "what does the model output". */
const PASS_THROUGH = new Set(['dropout', 'reshape']);

export type OutputKind = Activation | 'none' | 'unknown';

/** The activation the model's output goes through last, `none` for a linear output, `unknown` when unsure. */
export function outputActivation(model: ModelFact): { activation: OutputKind; layer?: LayerFact } {
  if (!model.complete || model.output < 0) return { activation: 'unknown' };
  let layer = model.layers[model.output];
  while (layer && PASS_THROUGH.has(layer.kind) && layer.inputs.length === 1) layer = model.layers[layer.inputs[0]!];
  if (!layer) return { activation: 'unknown' };
  if (layer.kind === 'activation') return { activation: layer.activation ?? 'other', layer };
  if (['linear', 'conv', 'recurrent', 'norm', 'embedding', 'attention', 'pool'].includes(layer.kind)) return { activation: 'none', layer };
  return { activation: 'unknown' };
}

/** The models a loss is applied to: those seen flowing into it, else the file's only model of its framework. */
export function modelsOfLoss(loss: LossFact, facts: TrainingFacts): readonly ModelFact[] {
  // Six rules ask this for every loss: answered once per loss and facts.
  const { ofLoss } = modelIndex(facts);
  let models = ofLoss.get(loss);
  if (!models) ofLoss.set(loss, (models = findModelsOfLoss(loss, facts)));
  return models;
}

function findModelsOfLoss(loss: LossFact, facts: TrainingFacts): ModelFact[] {
  const applied = loss.inputActivation ? [activationOutput(loss.inputActivation, loss)] : [];
  if (loss.modelIds.length > 0) return [...linkedModels(loss.modelIds, facts), ...applied];
  if (applied.length > 0) return applied;
  // Applied to something else (e.g. `bce(torch.sigmoid(model(x)), y)`): guessing would mislead.
  if (loss.unlinkedInput) return [];
  const only = modelIndex(facts).onlyOf.get(loss.framework);
  return only ? [only] : [];
}

/** The models named by `ids`, in the facts' order. */
function linkedModels(ids: readonly string[], facts: TrainingFacts): ModelFact[] {
  const { byId } = modelIndex(facts);
  // Most losses are linked to one model defined once.
  if (ids.length === 1) {
    const entries = byId.get(ids[0]!);
    if (!entries) return [];
    if (entries.length === 1) return [entries[0]!.model];
  }
  const found = new Set(ids.flatMap((id) => byId.get(id) ?? []));
  return [...found].sort((a, b) => a.at - b.at).map((m) => m.model);
}

interface ModelIndex {
  /** Every model under its id, with its place in the facts' list. */
  byId: Map<string, { model: ModelFact; at: number }[]>;
  /** Per framework, its model when the file has exactly one. */
  onlyOf: Map<string, ModelFact>;
  /** {@link modelsOfLoss} by loss, filled as rules ask. */
  ofLoss: Map<LossFact, readonly ModelFact[]>;
}

/** Rules ask about a model per loss and per forward: a map per facts object keeps a big file's rules linear. */
const indexes = new WeakMap<TrainingFacts, ModelIndex>();

function modelIndex(facts: TrainingFacts): ModelIndex {
  let index = indexes.get(facts);
  if (!index) {
    const byId = new Map<string, { model: ModelFact; at: number }[]>();
    const count = new Map<string, number>();
    const onlyOf = new Map<string, ModelFact>();
    facts.models.forEach((model, at) => {
      const entries = byId.get(model.id);
      if (entries) entries.push({ model, at });
      else byId.set(model.id, [{ model, at }]);
      count.set(model.framework, (count.get(model.framework) ?? 0) + 1);
      onlyOf.set(model.framework, model);
    });
    for (const [framework, n] of count) if (n !== 1) onlyOf.delete(framework);
    index = { byId, onlyOf, ofLoss: new Map() };
    indexes.set(facts, index);
  }
  return index;
}

/** An activation applied to a loss input outside any model, seen as a one-layer model that ends in it. */
function activationOutput(layer: LayerFact, loss: LossFact): ModelFact {
  const at = layer.span.start;
  return { id: `applied@${at.line}:${at.character}`, name: `${layer.api}(…)`, framework: loss.framework, span: layer.span, layers: [layer], output: 0, complete: true };
}

/** Whether a layer is a sigmoid or tanh activation, whose derivative is below 1. */
export function isSaturating(layer: LayerFact): boolean {
  return layer.kind === 'activation' && (layer.activation === 'sigmoid' || layer.activation === 'tanh');
}

/** Hidden sigmoid/tanh layers: every saturating activation except the output one. */
export function hiddenSaturating(model: ModelFact): LayerFact[] {
  const output = outputActivation(model).layer;
  return model.layers.filter((l) => isSaturating(l) && l !== output);
}

/** Whether the model behaves differently in train and eval mode. */
export function hasModeDependentLayers(model: ModelFact): boolean {
  return model.layers.some((l) => (l.kind === 'dropout' && !l.fixedMode) || (l.kind === 'norm' && l.norm === 'batch'));
}

/** Finds a model by id. */
export function modelById(facts: TrainingFacts, id: string): ModelFact | undefined {
  return modelIndex(facts).byId.get(id)?.[0]?.model;
}
