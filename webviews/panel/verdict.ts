/**
 * The diagnosis banner's words, read from whatever Diagnosis the host sends. Newer diagnoses may
 * carry `headline`, `evidence` and `state`, and a null `regime` when there is no verdict; older ones
 * have none of these. Everything is read here, defensively, so the banner works with either. Pure.
 */
import { REGIME_TITLES, formatError } from '../../metrics/diagnosis/describe.js';
import type { Diagnosis, Regime, VerdictState } from '../../metrics/diagnosis/events.js';

/** What the banner shows: a headline, one line of evidence, the top remedy; the rest on expand. */
export interface Verdict {
  state: VerdictState;
  /** The regime when there is one (colours the banner). */
  regime: Regime | null;
  headline: string;
  evidence: string;
  /** First the top remedy, then the others. */
  remedies: string[];
  /** The numbers behind the verdict, for the expanded view; empty when the diagnosis has none. */
  numbers: string;
}

const STATES: readonly VerdictState[] = ['decided', 'undecided', 'no-verdict', 'failed'];

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isRegime = (v: unknown): v is Regime => typeof v === 'string' && Object.hasOwn(REGIME_TITLES, v);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The banner's content for a diagnosis; undefined when there is none (no epoch yet). */
export function readVerdict(diagnosis: Diagnosis | null | undefined): Verdict | undefined {
  if (!diagnosis || typeof diagnosis !== 'object') return undefined;
  const d = diagnosis as unknown as Record<string, unknown>;
  const regime = isRegime(d.regime) ? d.regime : null;
  const state: VerdictState = STATES.includes(d.state as VerdictState) ? d.state as VerdictState : regime ? 'decided' : 'no-verdict';
  const headline = nonEmpty(d.headline) ? d.headline
    : regime && state !== 'failed' ? REGIME_TITLES[regime]
      : state === 'failed' ? 'No diagnosis: the analysis failed'
        : state === 'undecided' ? 'Not decided yet' : 'No verdict yet';
  const evidence = nonEmpty(d.evidence) ? d.evidence : nonEmpty(d.summary) ? d.summary : '';
  const remedies = Array.isArray(d.remedies) ? d.remedies.filter(nonEmpty) : [];
  const parts: string[] = [];
  const trainError = num(d.trainError);
  if (trainError !== undefined) parts.push(`training error ${formatError(trainError)}`);
  const valError = num(d.valError);
  if (valError !== undefined) parts.push(`validation error ${formatError(valError)}`);
  const gap = num(d.gap);
  if (gap !== undefined) parts.push(`gap ${formatError(gap)}`);
  const epsilon = num(d.epsilon);
  if (epsilon !== undefined) parts.push(`ε ${formatError(epsilon)}`);
  const epoch = num(d.epoch);
  const since = num(d.since);
  // On a step axis the described point is named by its logged step (`epoch` is then its index).
  const step = d.axis === 'step' ? num(d.step) : undefined;
  if (step !== undefined) parts.push(`step ${step}`);
  else if (epoch !== undefined) parts.push(since !== undefined && regime ? `epoch ${epoch} (since ${since})` : `epoch ${epoch}`);
  return { state, regime, headline, evidence, remedies, numbers: parts.join(' · ') };
}
