import type { Rule, RuleHit } from './rule.js';

/** Images fed as raw [0, 1] pixels without standardisation. */
export const missingInputNormalization: Rule = {
  code: 'FC507',
  name: 'missing-input-normalization',
  severity: 'info',
  summary: 'An image pipeline with ToTensor() and no Normalize().',
  frameworks: ['pytorch'],
  fixable: false,
  lesson: 'Feature normalization: inputs with a mean far from 0 and unequal scales make the loss surface elongated, so gradient descent zig-zags and needs a smaller learning rate. Standardising each channel, (x − mean)/std as `transforms.Normalize(mean, std)` does, gives the first layer well-conditioned inputs. Un-centred inputs also interact badly with initialisation. Add `transforms.Normalize(mean, std)` after `ToTensor()` with the dataset\'s per-channel statistics, e.g. `(0.1307,), (0.3081,)` for MNIST.',
  check(facts) {
    return facts.transforms.filter((t) => t.toTensor && !t.normalize).map((t): RuleHit => ({
      span: t.span,
      message: 'This image pipeline converts to tensors (values in [0, 1]) but never normalises them, which slows training.',
    }));
  },
};
