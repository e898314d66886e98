/**
 * Metric CSV/TSV files: DVCLive's per-metric `plots/metrics/**.tsv` (`timestamp`, `step` and one
 * value column, the metric named by the file's path) and generic column files such as Keras'
 * CSVLogger or Lightning's `metrics.csv` (a step or epoch column, one column per metric, empty
 * cells where a metric was not logged). Fields are read with the CSV parser the trainer's data
 * files use, so a quoted column name or cell may hold the delimiter.
 */
import path from 'node:path';
import type { ScalarPoint } from '../diagnosis/scalars.js';
import { parseCsvLine } from './csv-records.js';
import { FileTail } from './file-tail.js';
import { LineBuffer, overlongMessage } from './lines.js';
import { emitPoint, readAppended, type MetricsReader, type PointSink, type ReaderUpdate } from './reader.js';

/** Whether a file name is a metric table this reader takes. */
export function isCsvName(name: string): boolean {
  return /\.(csv|tsv)$/i.test(name);
}

const STEP_COLUMNS = ['step', 'global_step', 'iteration', 'iter', 'epoch'];
const TIME_COLUMNS = new Set(['timestamp', 'time', 'wall_time', 'walltime', 'created_at']);
const MAX_ISSUES = 20;

export class CsvReader implements MetricsReader {
  private readonly tail: FileTail;
  private readonly lines = new LineBuffer();
  private header: string[] | undefined;
  private delimiter = ',';
  private stepColumn = -1;
  private timeColumn = -1;
  private axisColumns = new Set<number>();
  private row = 0;
  private issues = 0;

  /**
   * `metricName` names the value column of a single-metric file (DVCLive: the path under
   * `plots/metrics` without its extension); without it every column is its own metric.
   */
  constructor(readonly file: string, private readonly metricName?: string, maxRead?: number) {
    this.tail = new FileTail(file, maxRead);
  }

  poll(final: boolean, sink?: PointSink): ReaderUpdate {
    const { update, bytes: appended } = readAppended(this.tail, this.file);
    if (!appended) return update;
    if (update.restarted) {
      this.lines.reset();
      this.header = undefined;
      this.row = 0;
      this.issues = 0;
    }
    const lines = this.lines.push(appended);
    if (final && !update.more) {
      const last = this.lines.takePartial();
      if (last) lines.push(last);
    }
    for (const line of this.lines.takeOverlong()) this.report(update, overlongMessage(line, this.lines.maxLineChars));
    for (const { line, text } of lines) this.take(line, text, update, sink);
    return update;
  }

  private take(line: number, text: string, update: ReaderUpdate, sink: PointSink | undefined): void {
    if (!text.trim()) return;
    if (!this.header) {
      ({ delimiter: this.delimiter, names: this.header } = parseCsvHeader(text));
      const lower = this.header.map((h) => h.toLowerCase());
      this.stepColumn = STEP_COLUMNS.map((c) => lower.indexOf(c)).find((i) => i >= 0) ?? -1;
      this.timeColumn = lower.findIndex((h) => TIME_COLUMNS.has(h));
      this.axisColumns = new Set(lower.flatMap((h, i) => (STEP_COLUMNS.includes(h) || TIME_COLUMNS.has(h) ? [i] : [])));
      return;
    }
    const fields = parseCsvLine(text, this.delimiter);
    const rawStep = this.stepColumn >= 0 ? (fields[this.stepColumn] ?? '').trim() : '';
    const step = this.stepColumn >= 0 ? (rawStep === '' ? Number.NaN : Number(rawStep)) : this.row;
    this.row += 1;
    if (!Number.isFinite(step)) {
      this.report(update, `line ${line}: the step "${fields[this.stepColumn] ?? ''}" is not a number; row skipped`);
      return;
    }
    const rawTime = this.timeColumn >= 0 ? (fields[this.timeColumn] ?? '').trim() : '';
    const wallTime = rawTime === '' ? Number.NaN : toSeconds(Number(rawTime));
    const points: ScalarPoint[] = [];
    this.header.forEach((name, i) => {
      // Every step-like column is an axis, not a metric (Lightning writes both `epoch` and `step`).
      if (i === this.stepColumn || i === this.timeColumn || !name || this.axisColumns.has(i)) return;
      const raw = (fields[i] ?? '').trim();
      // Lightning leaves a metric's cell empty in rows where it was not logged.
      if (raw === '') return;
      const value = parseNumber(raw);
      if (value === undefined) {
        this.report(update, `line ${line}: "${raw}" in column ${name} is not a number; cell skipped`);
        return;
      }
      points.push({ tag: this.metricName ?? name, step, value, wallTime });
    });
    // A single-metric file names its metric by its path; its one value column is the metric.
    if (this.metricName && points.length > 1) points.splice(1);
    for (const p of points) emitPoint(update, sink, p.tag, p.step, p.value, p.wallTime);
  }

  private report(update: ReaderUpdate, message: string): void {
    this.issues += 1;
    if (this.issues <= MAX_ISSUES) update.issues.push({ file: this.file, message });
    else if (this.issues === MAX_ISSUES + 1) update.issues.push({ file: this.file, message: 'more bad cells; they are counted, not listed' });
  }
}

/** A header line's delimiter (a tab makes it TSV) and column names, unquoted (CSV quoting) and trimmed. */
export function parseCsvHeader(line: string): { delimiter: string; names: string[] } {
  // A byte-order mark (Excel, some pandas writers) would glue itself to the first column's name.
  const text = line.replace(/^\ufeff/, '');
  const delimiter = text.includes('\t') ? '\t' : ',';
  return { delimiter, names: parseCsvLine(text, delimiter).map((h) => h.trim()) };
}

/** Whether a header names a step, epoch or iteration column (as metric logs do, and data files do not). */
export function hasStepColumn(line: string): boolean {
  return parseCsvHeader(line).names.some((name) => STEP_COLUMNS.includes(name.toLowerCase()));
}

/** A number, accepting the spellings Python and pandas write for non-finite values. */
function parseNumber(raw: string): number | undefined {
  const lower = raw.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === 'infinity' || lower === '+inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  const value = Number(raw);
  return Number.isNaN(value) ? undefined : value;
}

/** DVCLive writes milliseconds; other tools seconds. */
function toSeconds(t: number): number {
  return t > 1e11 ? t / 1000 : t;
}

/** The metric a DVCLive file holds: its path under `plots/metrics`, without the extension. */
export function dvcliveMetricName(file: string): string | undefined {
  const parts = file.split(path.sep);
  const i = parts.lastIndexOf('metrics');
  if (i < 1 || parts[i - 1] !== 'plots' || i === parts.length - 1) return undefined;
  return parts.slice(i + 1).join('/').replace(/\.(tsv|csv)$/i, '');
}
