/** Checks a schema-valid spec for what a schema cannot say: output units against the loss and the data, class counts. */
import { taskOf, type DenseLayerSpec, type RunSpec } from './types.js';

export interface SemanticIssue {
  path: (string | number)[];
  message: string;
}

/** Classes of a synthetic data set; undefined for regression and for CSV (known only once loaded). */
export function syntheticClasses(spec: Pick<RunSpec, 'data'>): number | undefined {
  switch (spec.data.kind) {
    case 'two-moons': return 2;
    case 'spiral': return spec.data.classes;
    default: return undefined;
  }
}

/** Units the last dense layer needs for this loss and number of classes. */
export function expectedOutputUnits(loss: RunSpec['loss']['type'], classes: number | undefined): number | undefined {
  if (loss === 'categorical-crossentropy') return classes;
  return 1;
}

/** The problems of a spec that passed the schema. */
export function checkSemantics(spec: RunSpec): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const task = taskOf(spec);
  const lossPath = ['loss', 'type'];

  if (spec.data.kind === 'hours-vs-score' && task !== 'regression') {
    issues.push({ path: lossPath, message: `hours-vs-score is a regression data set: use the 'mse' or 'mae' loss, not '${spec.loss.type}'` });
  }
  if ((spec.data.kind === 'two-moons' || spec.data.kind === 'spiral') && task === 'regression') {
    const units = spec.data.kind === 'two-moons' ? "'binary-crossentropy' (1 output unit) or 'categorical-crossentropy' (2 output units)" : `'categorical-crossentropy' (${spec.data.classes} output units)`;
    issues.push({ path: lossPath, message: `${spec.data.kind} is a classification data set: use ${units}, not '${spec.loss.type}'` });
  }
  const classes = syntheticClasses(spec);
  if (spec.loss.type === 'binary-crossentropy' && classes !== undefined && classes !== 2) {
    issues.push({ path: lossPath, message: `binary cross-entropy needs 2 classes, but the data has ${classes}: use 'categorical-crossentropy'` });
  }

  const denseIndices = spec.model.layers.flatMap((l, i) => (l.type === 'dense' ? [i] : []));
  if (denseIndices.length === 0) {
    issues.push({ path: ['model', 'layers'], message: 'model.layers needs at least one dense layer (the output layer)' });
  } else {
    const lastIndex = denseIndices[denseIndices.length - 1]!;
    const last = spec.model.layers[lastIndex] as DenseLayerSpec;
    const wanted = expectedOutputUnits(spec.loss.type, classes);
    if (wanted !== undefined && last.units !== wanted) {
      const why = spec.loss.type === 'categorical-crossentropy' ? `categorical cross-entropy needs one unit per class (${wanted})`
        : spec.loss.type === 'binary-crossentropy' ? 'binary cross-entropy needs 1 unit (the probability of class 1)'
          : 'a regression model predicts 1 value';
      issues.push({ path: ['model', 'layers', lastIndex, 'units'], message: `the output layer model.layers[${lastIndex}] has ${last.units} units, but ${why}` });
    }
    const after = spec.model.layers.slice(lastIndex + 1).find((l) => l.type === 'batch-norm');
    if (after) issues.push({ path: ['model', 'layers', spec.model.layers.indexOf(after)], message: 'a batch-norm layer after the output layer rescales the predictions; put it between hidden layers' });
  }

  const weights = spec.loss.classWeights;
  if (weights !== undefined && task === 'regression') {
    issues.push({ path: ['loss', 'classWeights'], message: 'classWeights apply to classification losses only' });
  } else if (Array.isArray(weights) && classes !== undefined && weights.length !== classes) {
    issues.push({ path: ['loss', 'classWeights'], message: `loss.classWeights has ${weights.length} weights, but the data has ${classes} classes` });
  }
  if (Array.isArray(weights) && weights.every((w) => w === 0)) {
    issues.push({ path: ['loss', 'classWeights'], message: 'loss.classWeights are all 0: nothing would be learned' });
  }

  if ((spec.data.kind === 'two-moons' || spec.data.kind === 'spiral') && spec.data.classRatio) {
    const n = classes ?? 0;
    if (spec.data.classRatio.length !== n) {
      issues.push({ path: ['data', 'classRatio'], message: `data.classRatio has ${spec.data.classRatio.length} entries, but ${spec.data.kind} has ${n} classes` });
    }
  }

  const metric = spec.diagnosis.metric;
  if (metric === 'normalized-mse' && task === 'classification') {
    issues.push({ path: ['diagnosis', 'metric'], message: "'normalized-mse' is a regression metric: use 'error' or 'balanced-error' for classification" });
  }
  if ((metric === 'error' || metric === 'balanced-error') && task === 'regression') {
    issues.push({ path: ['diagnosis', 'metric'], message: `'${metric}' is a classification metric: use 'normalized-mse' (or 'auto') for regression` });
  }

  const monitor = spec.training.earlyStopping?.monitor;
  if (monitor?.startsWith('val_') && spec.data.validationFraction === 0) {
    issues.push({ path: ['training', 'earlyStopping', 'monitor'], message: `early stopping on '${monitor}' needs a validation set: set data.validationFraction above 0` });
  }
  const clip = spec.training.gradientClip;
  if (clip && clip.norm === undefined && clip.value === undefined) {
    issues.push({ path: ['training', 'gradientClip'], message: "training.gradientClip needs 'norm' or 'value'" });
  }
  return issues;
}
