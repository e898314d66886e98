import type { Rule, RuleHit } from './rule.js';

/** Weights that all start equal never become different. */
export const constantWeightInit: Rule = {
  code: 'FC204',
  name: 'constant-weight-init',
  severity: 'warning',
  summary: 'Weights initialised to zeros or a constant: symmetry is never broken.',
  frameworks: ['pytorch', 'keras', 'tfjs', 'runspec'],
  fixable: false,
  local: true,
  ownFileOnly: true,
  lesson: 'If every unit of a layer starts with the same weights, every unit computes the same output and receives the same gradient, so they stay identical forever: the layer behaves like a single unit. Random initialisation (Kaiming/He for ReLU, Xavier/Glorot for tanh/sigmoid) breaks the symmetry; biases may start at zero. Use a random initialiser (e.g. `nn.init.kaiming_normal_` / `xavier_uniform_`, or the framework default).',
  check(facts) {
    const message = (kind: string) => `Weights initialised to ${kind === 'constant' ? 'a constant' : kind}, so every unit of the layer starts and stays identical.`;
    const hits: RuleHit[] = facts.constantInits.map((init) => ({ span: init.span, message: message(init.kind) }));
    for (const model of facts.models) {
      for (const layer of model.layers) {
        if (layer.constantInit) hits.push({ span: layer.constantInit.span, message: message(layer.constantInit.kind) });
      }
    }
    return hits;
  },
};
