/**
 * Activations applied to a tensor outside any model (`F.softmax(model(x), 1)`, `torch.sigmoid(x @ W + b)`,
 * `out.log_softmax(-1)`): when such a value reaches a loss, the loss knows what its input went through
 * last even where the model is unknown (a function parameter, raw parameters, a checkpoint).
 */
import { ownEntry } from '../core/own-entry.js';
import type { LayerFact } from '../facts.js';
import { functionalSpec, TENSOR_METHODS } from './catalog.js';
import type { SyntaxNode } from './syntax-tree.js';
import { spanOf } from './node-queries.js';

/** The activation layer a call applies (`q`: the callee qualified through imports; `method`: a tensor method's name), if it is one. */
export function appliedActivation(call: SyntaxNode, q: string | undefined, method?: string): LayerFact | undefined {
  const spec = q ? functionalSpec(q) : method ? ownEntry(TENSOR_METHODS, method) : undefined;
  if (spec?.kind !== 'activation' || !spec.activation) return undefined;
  const callee = call.childForFieldName('function');
  const api = q ? callee?.text ?? q : `.${method}`;
  return { kind: 'activation', api, activation: spec.activation, span: spanOf(call), inputs: [] };
}
