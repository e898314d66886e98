/**
 * The run-spec front-end: a `*.fitrun.json` experiment becomes the same training facts as code,
 * so a spec with six sigmoid layers gets FC201 and dropout 0.9 gets FC401. Validation itself
 * (schema, semantics, positions) is the trainer's, since the trainer owns the format.
 */
import type { Span } from '../core/span.js';
import { emptyFacts, type Activation, type HeldOutFact, type LayerFact, type LossFact, type ModelFact, type TrainingFacts } from '../facts.js';
import { trueScore } from '../../trainer/data/synthetic.js';
import * as jsoncModule from 'jsonc-parser';
import { LineIndex, type TextRange } from '../../trainer/spec/positions.js';
import { taskOf, type RunSpec } from '../../trainer/spec/types.js';
import { validateSpec, type SpecError } from '../../trainer/spec/validate.js';

// jsonc-parser ships UMD for Node (its functions land on `default` when imported from an ES module)
// and ES modules for bundlers; take whichever form this runtime gave us.
const jsonc: typeof jsoncModule = typeof jsoncModule.parseTree === 'function'
  ? jsoncModule
  : (Reflect.get(jsoncModule, 'default') as typeof jsoncModule);

export interface RunSpecAnalysis {
  facts: TrainingFacts;
  /** Schema and semantic errors, positioned in the text; the facts are empty when there are any. */
  errors: SpecError[];
}

const ACTIVATIONS: Record<string, Activation> = {
  relu: 'relu', 'leaky-relu': 'leaky_relu', elu: 'elu', selu: 'selu', sigmoid: 'sigmoid', tanh: 'tanh', linear: 'linear', softmax: 'softmax',
};

/** Validates a spec and, when it is valid, describes it as training facts. */
export function runSpecFacts(text: string): RunSpecAnalysis {
  const { spec, errors } = validateSpec(text);
  if (!spec) return { facts: emptyFacts(), errors };
  // One parse and one line index for every place a finding points at: a spec with thousands of
  // layers must not be parsed again per layer.
  const tree = jsonc.parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const lines = new LineIndex(text);
  const at = (path: (string | number)[], fallback: Span): Span => {
    const node = tree ? jsonc.findNodeAtLocation(tree, path) : undefined;
    return (node && toSpan(lines.range(node.offset, node.length))) ?? fallback;
  };
  const whole: Span = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const model = modelOf(spec, at, whole);
  const facts = emptyFacts();
  facts.frameworks = ['runspec'];
  facts.models = [model];
  facts.losses = [lossOf(spec, model, at(['loss'], whole))];
  const optimizer = spec.optimizer;
  facts.optimizers = [{
    id: 'optimizer', api: `optimizer "${optimizer.type}"`, framework: 'runspec',
    family: optimizer.type, lr: optimizer.learningRate, lrSpan: at(['optimizer', 'learningRate'], at(['optimizer'], whole)),
    weightDecay: optimizer.weightDecay, weightDecaySpan: at(['optimizer', 'weightDecay'], at(['optimizer'], whole)),
    clipping: !!spec.training.gradientClip, span: at(['optimizer'], whole),
  }];
  const heldOut = heldOutOf(spec, at, whole);
  if (heldOut) facts.heldOut = [heldOut];
  return { facts, errors: [] };
}

/** The validation set a synthetic spec generates, and the noise floor its generator implies. */
function heldOutOf(spec: RunSpec, at: (path: (string | number)[], fallback: Span) => Span, whole: Span): HeldOutFact | undefined {
  const data = spec.data;
  if (data.kind === 'csv') return undefined; // its size is only known once the file is read
  const examples = data.validationSamples ?? Math.round(data.samples * data.validationFraction);
  const span = at(['data', data.validationSamples !== undefined ? 'validationSamples' : 'validationFraction'], at(['data'], whole));
  const fact: HeldOutFact = { examples, epsilon: spec.diagnosis.epsilon, task: taskOf(spec), span, epsilonSpan: at(['diagnosis', 'epsilon'], at(['diagnosis'], whole)) };
  if (data.kind === 'hours-vs-score') fact.noiseFloor = (data.noise * data.noise) / (HOURS_SCORE_VARIANCE + data.noise * data.noise);
  else if ((data.labelNoise ?? 0) > 0) fact.noiseFloor = data.labelNoise!;
  return fact;
}

/** Variance of the true score curve over hours uniform in 0–10 (the noise adds its own). */
const HOURS_SCORE_VARIANCE = (() => {
  const n = 10_000;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const y = trueScore((10 * (i + 0.5)) / n);
    sum += y;
    sq += y * y;
  }
  return sq / n - (sum / n) ** 2;
})();

function modelOf(spec: RunSpec, at: (path: (string | number)[], fallback: Span) => Span, whole: Span): ModelFact {
  const layers: LayerFact[] = [];
  let previous = -1;
  const add = (layer: Omit<LayerFact, 'inputs'>) => {
    layers.push({ ...layer, inputs: previous >= 0 ? [previous] : [] });
    previous = layers.length - 1;
  };
  spec.model.layers.forEach((layer, i) => {
    const span = at(['model', 'layers', i], whole);
    switch (layer.type) {
      case 'dense': {
        add({ kind: 'linear', api: `dense layer ${i + 1}`, span, bias: layer.useBias });
        if (/^(zeros|ones|constant)$/.test(layer.kernelInitializer)) {
          layers[previous]!.constantInit = { kind: layer.kernelInitializer, span: at(['model', 'layers', i, 'kernelInitializer'], span) };
        }
        const activation = ACTIVATIONS[layer.activation] ?? 'other';
        if (activation !== 'linear') add({ kind: 'activation', activation, api: `"${layer.activation}" (layer ${i + 1})`, span: at(['model', 'layers', i, 'activation'], span) });
        break;
      }
      case 'dropout':
        add({ kind: 'dropout', api: `dropout layer ${i + 1}`, rate: layer.rate, rateSpan: at(['model', 'layers', i, 'rate'], span), span: at(['model', 'layers', i, 'rate'], span) });
        break;
      case 'batch-norm':
        add({ kind: 'norm', norm: 'batch', api: `batch-norm layer ${i + 1}`, span });
        break;
      case 'activation':
        add({ kind: 'activation', activation: ACTIVATIONS[layer.activation] ?? 'other', api: `"${layer.activation}" (layer ${i + 1})`, span: at(['model', 'layers', i, 'activation'], span) });
        break;
    }
  });
  return { id: 'model', name: spec.name ?? 'the model', framework: 'runspec', span: at(['model'], whole), layers, output: previous, complete: true };
}

function lossOf(spec: RunSpec, model: ModelFact, span: Span): LossFact {
  const { type, fromLogits } = spec.loss;
  const family = type === 'categorical-crossentropy' ? 'cross-entropy' : type === 'binary-crossentropy' ? 'binary-cross-entropy' : 'regression';
  const expects = family === 'regression' ? 'values' : fromLogits ? 'logits' : 'probabilities';
  return { id: 'loss', api: `loss "${type}"${fromLogits ? ' with fromLogits' : ''}`, framework: 'runspec', family, expects, span, modelIds: [model.id], unlinkedInput: false };
}

function toSpan(range: TextRange | undefined): Span | undefined {
  return range && { start: { line: range.line, character: range.column }, end: { line: range.endLine, character: range.endColumn } };
}
