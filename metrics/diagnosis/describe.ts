/** Diagnoses and insights in words, for the CLI, the status bar and the panel. */
import type { Axis, Diagnosis, ErrorMetric, Objective, Regime, VerdictState } from './events.js';
import type { Judgement, Label } from './regime.js';
import { margin, sideOf, type Estimate } from './uncertainty.js';

export const REGIME_TITLES: Readonly<Record<Regime, string>> = {
  'high-bias': 'High bias',
  'high-variance': 'High variance',
  'high-bias-and-variance': 'High bias and high variance',
  'good-fit': 'Good fit',
};

/** Headlines of the states that name no regime. */
export const STATE_TITLES: Readonly<Record<Exclude<VerdictState, 'decided'>, string>> = {
  undecided: 'Not yet decided',
  'no-verdict': 'No bias/variance verdict',
  failed: 'Training failed',
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
  // An error of 1.5e-14 is float dust from a perfect fit: say 0 rather than print an exponent.
  if (Math.abs(value) < 1e-6) return '0';
  return Number(value.toPrecision(3)).toString();
}

/** A noise margin with two significant digits: more would claim a precision the noise itself lacks. */
export function formatMargin(value: number): string {
  if (Number.isFinite(value) && Math.abs(value) < 1e-6) return '0';
  return Number.isFinite(value) ? Number(value.toPrecision(2)).toString() : String(value);
}

/** The title of a diagnosis: its regime's, or its state's. */
export function diagnosisTitle(d: Pick<Diagnosis, 'state' | 'regime'>): string {
  return d.state === 'decided' && d.regime ? REGIME_TITLES[d.regime] : STATE_TITLES[d.state === 'decided' ? 'undecided' : d.state];
}

/** Everything the words of a verdict depend on. */
export interface VerdictFacts {
  state: VerdictState;
  label: Label;
  /** First epoch of the label (index into the run). */
  since: number;
  epsilon: number;
  metric: ErrorMetric;
  judgement: Judgement | null;
  trainError: number;
  valError: number | null;
  unit: Axis;
  /** The number users see for the described point and for `since` (epoch, or step on a step axis). */
  at: number;
  sinceAt: number;
  failure?: string;
  objective?: Objective;
  /** The latest epoch's own call when it differs from the confirmed label (a change not yet confirmed). */
  pending?: Label;
  /** The epoch (or step) whose numbers support the label, when it is not the latest. */
  supportAt?: number;
  /** Class imbalance ratio when the verdict uses the balanced error instead of plain error. */
  imbalance?: number;
  plainError?: number;
}

/** "0.31 ± 0.07" when the noise is known, else "0.31". */
function withMargin(e: Estimate | null | undefined, value: number): string {
  if (!e) return formatError(value);
  const m = margin(e);
  return Number.isFinite(m) && m >= 1e-6 ? `${formatError(value)} ± ${formatMargin(m)}` : formatError(value);
}

/** "on 40 validation examples" / "from the curve's own jitter" for an estimate's noise. */
function basisWords(e: Estimate, split: string): string {
  if (e.n !== undefined && (e.basis === 'binomial' || e.basis === 'examples')) return ` on ${e.n.toLocaleString('en-US')} ${split} examples`;
  if (e.basis === 'jitter') return ' (noise from the curve\'s epoch-to-epoch wiggle)';
  if (e.basis === 'none') return ' (too few points to tell its noise yet)';
  return '';
}

/** Headline, one line of evidence, and the sentence that joins them. */
export function describeVerdict(f: VerdictFacts): { headline: string; evidence: string; summary: string } {
  const eps = `ε = ${formatError(f.epsilon)}`;
  const j = f.judgement;
  const train = withMargin(j?.train, f.trainError);
  const val = withMargin(j?.val, f.valError ?? Number.NaN);
  let headline: string;
  let evidence: string;
  switch (f.state) {
    case 'failed':
      headline = STATE_TITLES.failed;
      evidence = lowerFirst(stripPeriod(f.failure ?? 'the run failed'));
      break;
    case 'no-verdict':
      headline = STATE_TITLES['no-verdict'];
      evidence = f.objective === 'reinforcement'
        ? 'reinforcement-learning objectives (rewards, TD or policy losses) are not errors with a target, so bias and variance do not apply'
        : 'only a loss was logged: log an accuracy or error metric, or set ε for this loss, to judge bias and variance';
      break;
    case 'undecided':
      headline = STATE_TITLES.undecided;
      evidence = undecidedEvidence(f, eps);
      break;
    default: {
      const regime = f.label as Regime;
      headline = REGIME_TITLES[regime];
      switch (regime) {
        case 'high-bias': {
          const gap = j?.gap;
          const gapNote = gap && f.valError !== null ? `; gap to validation ${withMargin(gap, gap.value)}${basisWords(gap, 'validation')}${sideOf(gap, 0) === 'above' ? '' : ': not significant'}` : '';
          evidence = `training error ${train} > ${eps}${gapNote}`;
          break;
        }
        case 'high-variance':
          evidence = `training error ${train} ≤ ${eps} < validation error ${val}`;
          break;
        case 'high-bias-and-variance':
          evidence = `training error ${train} > ${eps}, and validation error is ${withMargin(j?.gap, (f.valError ?? 0) - f.trainError)} higher`;
          break;
        case 'good-fit':
          evidence = f.valError === null
            ? `training error ${train} ≤ ${eps} (no validation set to check the variance)`
            : `training error ${train} and validation error ${val} are within ${eps}`;
          break;
      }
      if (f.imbalance !== undefined && f.plainError !== undefined) evidence += ` (balanced error: the classes are ${f.imbalance.toFixed(0)}:1; plain error ${formatError(f.plainError)})`;
      if (f.pending !== undefined && f.supportAt !== undefined) {
        evidence = `at ${f.unit} ${f.supportAt}, ${evidence}; the latest ${f.unit} looks ${f.pending === 'undecided' ? 'undecided' : REGIME_TITLES[f.pending].toLowerCase()}, not yet confirmed`;
      }
    }
  }
  const when = f.state === 'decided' || f.state === 'undecided' ? ` since ${f.unit} ${f.sinceAt}` : '';
  return { headline, evidence, summary: `${headline}${when}: ${evidence}` };
}

/** Which comparison the verdict is waiting on, with its numbers and noise. */
function undecidedEvidence(f: VerdictFacts, eps: string): string {
  const j = f.judgement;
  if (!j) return 'no epochs to judge yet';
  if (sideOf(j.train, f.epsilon) === 'unclear') {
    return `training error ${withMargin(j.train, j.train.value)}${basisWords(j.train, 'training')} is within its noise of ${eps}`;
  }
  if (j.val && sideOf(j.val, f.epsilon) === 'unclear') {
    return `validation error ${withMargin(j.val, j.val.value)}${basisWords(j.val, 'validation')} is within its noise of ${eps}`;
  }
  // The epoch is clear but the label is still waiting for confirming epochs.
  return `the latest call (${j.label === 'undecided' ? 'undecided' : REGIME_TITLES[j.label].toLowerCase()}) has not held long enough to confirm`;
}

function stripPeriod(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

function lowerFirst(s: string): string {
  // "Non-finite values: …" reads as part of the sentence; an all-caps word (NaN) keeps its case.
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** The diagnosis as a few lines of text: the sentence, the metric, the remedies. */
export function describeDiagnosis(diagnosis: Diagnosis): string {
  const unit = diagnosis.axis ?? 'epoch';
  const lines = [`Diagnosis at ${unit} ${diagnosis.step ?? diagnosis.epoch}: ${diagnosis.summary}.`];
  if (diagnosis.state === 'decided' || diagnosis.state === 'undecided') lines.push(`  (${METRIC_DESCRIPTIONS[diagnosis.metric]}; ± is the 95% range from sampling noise)`);
  if (diagnosis.remedies.length > 0) {
    lines.push('What to do:');
    for (const remedy of diagnosis.remedies) lines.push(`  - ${remedy}`);
  }
  return lines.join('\n');
}
