/**
 * Checks that a parsed JSONL line has the shape its `type` promises, before anything reads it: an
 * `{"type":"epoch"}` with no `train` would otherwise reach the panel, the CLI and the insights and
 * throw there. Fields the Python helper leaves out (a start's ε and task, an end's diagnosis) are
 * optional; a field that is present must have its type. Non-finite numbers are numbers (a diverged
 * loss is logged as "NaN" and decoded to NaN).
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATUS = new Set(['completed', 'stopped', 'failed']);
const TASKS = new Set(['regression', 'binary', 'multiclass']);
const METRICS = new Set(['normalized-mse', 'error', 'balanced-error', 'loss']);
const REGIMES = new Set(['high-bias', 'high-variance', 'high-bias-and-variance', 'good-fit']);
const SEVERITIES = new Set(['info', 'warning', 'error']);
const STATES = new Set(['decided', 'undecided', 'no-verdict', 'failed']);

/** What a field must be; `?` marks it optional. */
type Rule = 'number' | 'number?' | 'string' | 'string?' | 'object?' | 'strings?' | 'numbers?' | { set: Set<string>; optional?: boolean; nullable?: boolean };

/** The plain rules read once: parsing `'number?'` per field of every line was a tenth of reading a JSONL log. */
const PLAIN: Record<string, { base: string; optional: boolean }> = Object.fromEntries(
  ['number', 'string', 'object', 'strings', 'numbers'].flatMap((base) => [[base, { base, optional: false }], [`${base}?`, { base, optional: true }]]),
);

function fieldProblem(o: Obj, key: string, rule: Rule, where: string): string | undefined {
  const v = o[key];
  const plain = typeof rule === 'string' ? PLAIN[rule]! : undefined;
  const optional = plain ? plain.optional : (rule as Exclude<Rule, string>).optional === true;
  if (v === undefined) return optional ? undefined : `no "${where}${key}"`;
  if (v === null && typeof rule === 'object' && rule.nullable === true) return undefined;
  const base = plain ? plain.base : 'set';
  const ok = typeof rule === 'object' ? typeof v === 'string' && rule.set.has(v)
    : base === 'number' ? typeof v === 'number'
      : base === 'string' ? typeof v === 'string'
        : base === 'object' ? isObj(v)
          : base === 'strings' ? Array.isArray(v) && v.every((x) => typeof x === 'string')
            : Array.isArray(v) && v.every((x) => typeof x === 'number');
  if (ok) return undefined;
  const want = typeof rule === 'object' ? `one of ${[...rule.set].join(', ')}`
    : { number: 'a number', string: 'a string', object: 'an object', strings: 'a list of strings', numbers: 'a list of numbers' }[base] ?? base;
  return `"${where}${key}" is not ${want}`;
}

function check(o: Obj, rules: Readonly<Record<string, Rule>>, where = ''): string | undefined {
  for (const key in rules) {
    const problem = fieldProblem(o, key, rules[key]!, where);
    if (problem) return problem;
  }
  return undefined;
}

function splitProblem(o: Obj, key: string, optional: boolean): string | undefined {
  const v = o[key];
  if (v === undefined) return optional ? undefined : `no "${key}" (its loss and error)`;
  if (!isObj(v)) return `"${key}" is not an object`;
  return check(v, { loss: 'number', error: 'number', accuracy: 'number?', balancedError: 'number?' }, `${key}.`);
}

function layersProblem(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return '"layers" is not a list';
  for (let i = 0; i < v.length; i++) {
    const layer: unknown = v[i];
    if (!isObj(layer)) return `"layers[${i}]" is not an object`;
    const problem = check(layer, { name: 'string', kind: 'string?', gradNorm: 'number', weightNorm: 'number?', updateRatio: 'number?', deadFraction: 'number?', index: 'number?' }, `layers[${i}].`);
    if (problem) return problem;
  }
  return undefined;
}

function diagnosisProblem(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) return '"diagnosis" is not an object';
  // A diagnosis without a verdict (undecided, no verdict, failed) has a null regime; older runs have no state.
  return check(v, { state: { set: STATES, optional: true }, regime: { set: REGIMES, nullable: true }, epoch: 'number', trainError: 'number', summary: 'string', headline: 'string?', evidence: 'string?', remedies: 'strings?' }, 'diagnosis.');
}

/** Why a decoded event (an object with a known `type`) cannot be used; undefined when it can. */
export function eventShapeProblem(event: Obj): string | undefined {
  const problem = shapeProblem(event);
  const type = String(event.type);
  return problem === undefined ? undefined : `${/^[aeiou]/.test(type) ? 'an' : 'a'} "${type}" event with ${problem}`;
}

/** The fields of a `scalars` line, the kind a long log is made of. */
const SCALARS: Readonly<Record<string, Rule>> = { step: 'number', wallTime: 'number?' };

function shapeProblem(e: Obj): string | undefined {
  switch (e.type) {
    case 'start':
      return check(e, {
        runId: 'string?', time: 'string?', name: 'string?', backend: 'string?', version: 'number?', epsilon: 'number?', epochs: 'number?',
        versions: 'object?', layers: 'strings?', notes: 'strings?', task: { set: TASKS, optional: true }, metric: { set: METRICS, optional: true },
      });
    case 'batch':
      return check(e, { epoch: 'number', batch: 'number', step: 'number', loss: 'number', lr: 'number?', gradNorms: 'numbers?', wallTime: 'number?' });
    case 'epoch':
      return check(e, { epoch: 'number', step: 'number?', wallTime: 'number?', lr: 'number?', runningLoss: 'number?', penalty: 'number?', samplesPerSec: 'number?', regime: { set: REGIMES, optional: true } })
        ?? splitProblem(e, 'train', false) ?? splitProblem(e, 'val', true) ?? layersProblem(e.layers);
    case 'insight':
      return check(e, { kind: 'string', epoch: 'number', severity: { set: SEVERITIES, optional: true }, message: 'string', evidence: 'object?', remedies: 'strings?', bestEpoch: 'number?' });
    case 'end':
      return check(e, { status: { set: STATUS }, epochs: 'number?', wallTime: 'number?', error: 'string?', reason: 'string?', bestEpoch: 'number?' })
        ?? diagnosisProblem(e.diagnosis) ?? fieldProblem(e, 'insights', 'strings?', '');
    case 'scalars':
      return check(e, SCALARS) ?? (isObj(e.values) ? undefined : '"values" that is not an object of tag → number');
    default:
      return 'an unknown type';
  }
}
