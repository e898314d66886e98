/** Diagnoses and insights in words, for the CLI and the panel. */
import type { Diagnosis, ErrorMetric, Regime } from './events.js';

export const REGIME_TITLES: Readonly<Record<Regime, string>> = {
  'high-bias': 'High bias',
  'high-variance': 'High variance',
  'high-bias-and-variance': 'High bias and high variance',
  'good-fit': 'Good fit',
};

/** What the error means, for a note after the numbers. */
export const METRIC_DESCRIPTIONS: Readonly<Record<ErrorMetric, string>> = {
  'normalized-mse': 'error = MSE / variance of the training targets',
  error: 'error = 1 − accuracy',
  'balanced-error': 'error = 1 − mean per-class recall',
  loss: 'error = the loss itself (no accuracy was logged)',
};

/** An error with three significant digits. */
export function formatError(value: number | null): string {
  if (value === null) return 'n/a';
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(3)).toString();
}

/** The diagnosis sentence: "High variance since epoch 37: training error 0.02 ≤ ε = 0.1 < validation error 0.31". */
export function summarizeRegime(regime: Regime, since: number, epsilon: number, trainError: number, valError: number | null): string {
  const train = formatError(trainError);
  const val = formatError(valError);
  const eps = `ε = ${formatError(epsilon)}`;
  const head = `${REGIME_TITLES[regime]} since epoch ${since}`;
  switch (regime) {
    case 'high-bias':
      return valError === null
        ? `${head}: training error ${train} > ${eps}`
        : `${head}: training error ${train} > ${eps} (validation error ${val})`;
    case 'high-variance':
      return `${head}: training error ${train} ≤ ${eps} < validation error ${val}`;
    case 'high-bias-and-variance':
      return `${head}: training error ${train} > ${eps}, and validation error ${val} is ${formatError((valError ?? 0) - trainError)} higher`;
    case 'good-fit':
      return valError === null
        ? `${head}: training error ${train} ≤ ${eps} (no validation set to check the variance)`
        : `${head}: training error ${train} and validation error ${val} are within ${eps}`;
  }
}

/** The diagnosis as a few lines of text: the sentence, the metric, the remedies. */
export function describeDiagnosis(diagnosis: Diagnosis): string {
  const lines = [`Diagnosis at epoch ${diagnosis.epoch}: ${diagnosis.summary}.`, `  (${METRIC_DESCRIPTIONS[diagnosis.metric]})`];
  if (diagnosis.remedies.length > 0) {
    lines.push('What to do:');
    for (const remedy of diagnosis.remedies) lines.push(`  - ${remedy}`);
  }
  return lines.join('\n');
}
