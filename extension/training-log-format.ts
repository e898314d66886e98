/**
 * One readable line per event of a run, for the "Fitcheck Training" output channel (language
 * `fitcheck-training-log`, highlighted by syntaxes/fitcheck-training-log.tmLanguage.json). Pure (no
 * vscode) so the format is unit-tested; the grammar test (test/grammar/training-log.test.fitcheck-training-log)
 * holds lines in this format, so the two change together.
 *
 *   hours-polynomial-overfit | start | regression, normalized-mse, ε = 0.1, 300 epochs, backend wasm
 *   hours-polynomial-overfit | epoch 12/300 | train loss 0.2810 error 0.2810 | val loss 0.3102 error 0.3102 | high bias
 *   hours-polynomial-overfit | WARNING plateau at epoch 14 | Plateau: the training loss improved 0.00% ...
 *   hours-polynomial-overfit | completed after 300 epochs in 1.2 s | High variance since epoch 106: ...
 */
import { diagnosisTitle } from '../metrics/diagnosis/describe.js';
import type { Regime, RunEvent } from '../metrics/diagnosis/events.js';

/** The words the panel and the log use for a regime. */
export const REGIME_WORDS: Record<Regime, string> = {
  'high-bias': 'high bias',
  'high-variance': 'high variance',
  'high-bias-and-variance': 'high bias and variance',
  'good-fit': 'good fit',
};

/** A metric with four significant digits; tiny or huge values in exponent form; NaN/Infinity spelled out. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e5) return value.toExponential(2);
  return value.toPrecision(4);
}

/** Seconds as `0.58 s`, `12.3 s` or `4 min 05 s`. */
function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '? s';
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - m * 60)).padStart(2, '0')} s`;
}

/** Keeps a message on one line (the log is one line per event). */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** What the log needs from the run besides the event. */
export interface LogContext {
  /** The run's name (the spec's), or its id. */
  name: string;
  /** Planned epochs, when known (from the start event). */
  epochs?: number;
}

/**
 * The log line of one event, or undefined for events the log skips (`batch`: far too many).
 * `context.epochs` is read for `epoch n/N`.
 */
export function formatLogLine(event: RunEvent, context: LogContext): string | undefined {
  const who = context.name;
  switch (event.type) {
    case 'start': {
      const parts = [event.task, event.metric, `ε = ${event.epsilon}`, `${event.epochs} epochs`, `backend ${event.backend}`];
      if (event.data) parts.push(`${event.data.train} training / ${event.data.validation} validation examples`);
      return `${who} | start | ${parts.join(', ')}`;
    }
    case 'epoch': {
      const of = context.epochs ? `/${context.epochs}` : '';
      const cols = [`epoch ${event.epoch}${of}`, `train loss ${formatNumber(event.train.loss)} error ${formatNumber(event.train.error)}`];
      if (event.val) cols.push(`val loss ${formatNumber(event.val.loss)} error ${formatNumber(event.val.error)}`);
      if (event.regime) cols.push(REGIME_WORDS[event.regime]);
      return `${who} | ${cols.join(' | ')}`;
    }
    case 'insight':
      return `${who} | ${event.severity.toUpperCase()} ${event.kind} at epoch ${event.epoch} | ${oneLine(event.message)}`;
    case 'end': {
      const epochs = `${event.epochs} epoch${event.epochs === 1 ? '' : 's'}`;
      const status = event.status === 'failed' ? 'FAILED' : event.status;
      let line = `${who} | ${status} after ${epochs} in ${formatSeconds(event.wallTime)}`;
      const why = event.status === 'failed' ? (event.error ?? event.reason) : event.reason;
      if (why) line += ` (${oneLine(why)})`;
      if (event.diagnosis) line += ` | ${diagnosisTitle(event.diagnosis).toLowerCase()}: ${oneLine(event.diagnosis.summary)}`;
      return line;
    }
    default:
      return undefined;
  }
}

/** Follows one run: remembers what the start event said, and formats each later event. */
export class RunLogFormatter {
  private readonly context: LogContext;

  constructor(name: string) {
    this.context = { name };
  }

  line(event: RunEvent): string | undefined {
    if (event.type === 'start') {
      this.context.epochs = event.epochs;
      if (event.name) this.context.name = event.name;
    }
    return formatLogLine(event, this.context);
  }
}
