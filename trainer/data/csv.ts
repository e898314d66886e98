/** CSV files as training data: numeric columns, a named target, bad rows reported by line number. */
import { didYouMean } from '../spec/suggest.js';
import { formatCount, LIMITS } from '../limits.js';
import { DataError, type BadRow } from './errors.js';
import type { RawData } from './synthetic.js';
import { forEachCsvRecord } from '../../metrics/readers/csv-records.js';

export { DataError, type BadRow } from './errors.js';
export { forEachCsvRecord, parseCsvRecords, type CsvRecord } from '../../metrics/readers/csv-records.js';

export interface CsvOptions {
  target: string | number;
  features?: (string | number)[];
  header: boolean;
  delimiter: string;
  onBadRow: 'error' | 'skip';
  /** A cross-entropy loss makes the target a class label. */
  classification: boolean;
}

/** At most this many bad rows are listed in a message. */
const LISTED = 10;

/**
 * Reads the examples of a CSV text; throws `DataError` for unusable files or (with `onBadRow: 'error'`) bad rows.
 * Messages give line numbers and what was wrong, never the text of a line: a file that is not the
 * expected CSV (a key, a password file) must not be echoed. Column names appear only when the
 * header reads like column names.
 */
export function csvToRaw(text: string, options: CsvOptions): { raw: RawData; skipped: BadRow[] } {
  let head: string[] | undefined;
  let width = -1;
  let names: string[] = [];
  let shownNames: string[] | undefined;
  let targetIndex = -1;
  let featureIndices: number[] = [];
  let rows = 0;
  const bad: BadRow[] = [];
  const x: number[][] = [];
  const rawTargets: string[] = [];
  let tooMany: string | undefined;

  /** Decides the columns from the header (or the first row) and `firstRow`, the first data row when there is one. */
  const setup = (fields: string[], firstRow: string[] | undefined) => {
    width = fields.length;
    if (width > LIMITS.columns) throw new DataError(`the CSV file has ${formatCount(width)} columns; at most ${formatCount(LIMITS.columns)} are supported`);
    if (head) names = head;
    else names = Array.from({ length: width }, (_, i) => `column${i}`);
    // Show header names only when the file reads as the expected CSV: plain names over a numeric row.
    shownNames = head ? (firstRow && looksNumeric(firstRow, width) ? plainNames(head) : undefined) : names;
    const column = (ref: string | number, role: string): number => {
      if (typeof ref === 'number') {
        if (!Number.isInteger(ref) || ref < 0 || ref >= width) throw new DataError(`${role} column index ${ref} is out of range: the file has ${width} column${width === 1 ? '' : 's'} (0–${width - 1})`);
        return ref;
      }
      const index = names.indexOf(ref);
      if (index >= 0) return index;
      if (!head) throw new DataError(`${role} column '${ref}' needs a header line (data.header is false): use a 0-based index instead`);
      if (!shownNames) throw new DataError(`${role} column '${ref}' is not in the header; the first line of the file does not read like column names (${width} field${width === 1 ? '' : 's'}): is it a CSV file with a header, and is data.delimiter right?`);
      const suggestion = didYouMean(ref, shownNames);
      throw new DataError(`${role} column '${ref}' is not in the header${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; the columns are ${shownNames.join(', ')}`);
    };
    targetIndex = column(options.target, 'target');
    featureIndices = options.features ? options.features.map((f) => column(f, 'feature')) : names.map((_, i) => i).filter((i) => i !== targetIndex);
    if (featureIndices.includes(targetIndex)) throw new DataError(`the target column ${nameOf(targetIndex)} is also listed as a feature`);
    if (featureIndices.length === 0) throw new DataError(`the CSV file has no feature columns besides the target (it has ${width} column${width === 1 ? '' : 's'}): is data.delimiter right?`);
  };
  const nameOf = (i: number) => (shownNames ? `'${shownNames[i]}'` : `${i} (0-based)`);

  forEachCsvRecord(text, options.delimiter, (fields, line) => {
    if (options.header && head === undefined) {
      head = fields.map((f) => f.trim());
      return true;
    }
    if (width < 0) setup(head ?? fields, fields);
    if (++rows > LIMITS.samples) {
      tooMany = `the CSV file has more than ${formatCount(LIMITS.samples)} rows, the most a run can train on`;
      return false;
    }
    if (fields.length !== width) {
      bad.push({ line, message: `expected ${width} fields, found ${fields.length}` });
      return true;
    }
    const row: number[] = new Array<number>(featureIndices.length);
    let problem: string | undefined;
    for (let k = 0; k < featureIndices.length; k++) {
      const i = featureIndices[k]!;
      const value = parseNumber(fields[i]!);
      if (value === undefined) { problem = `${shownNames ? shownNames[i] : `column ${i}`} is ${describeField(fields[i]!)}`; break; }
      row[k] = value;
    }
    const targetText = fields[targetIndex]!.trim();
    if (!problem && (targetText === '' || (!options.classification && parseNumber(targetText) === undefined))) {
      problem = `target ${shownNames ? shownNames[targetIndex] : `column ${targetIndex}`} is ${describeField(targetText)}`;
    }
    if (problem) {
      bad.push({ line, message: problem });
      return true;
    }
    x.push(row);
    rawTargets.push(targetText);
    return true;
  });
  if (tooMany) throw new DataError(tooMany);
  if (width < 0 && head) setup(head, undefined);
  if (width < 0) throw new DataError('the CSV file is empty');
  if (bad.length > 0 && options.onBadRow === 'error') {
    const listed = bad.slice(0, LISTED).map((b) => `line ${b.line}: ${b.message}`).join('; ');
    throw new DataError(`${bad.length} bad row${bad.length === 1 ? '' : 's'} in the CSV file (${listed}${bad.length > LISTED ? '; …' : ''}); fix them or set data.onBadRow to "skip"`, bad);
  }
  if (x.length === 0) throw new DataError(`the CSV file has no usable rows${bad.length > 0 ? ` (all ${bad.length} are bad, e.g. line ${bad[0]!.line}: ${bad[0]!.message})` : ''}`);

  const featureNames = featureIndices.map((i) => names[i]!);
  if (!options.classification) {
    return { raw: { x, y: rawTargets.map((t) => Number(t)), featureNames, task: 'regression' }, skipped: bad };
  }
  const { labels, classNames } = classLabels(rawTargets);
  return { raw: { x, y: labels, featureNames, task: 'classification', classes: classNames.length, classNames }, skipped: bad };
}

/** Class indices: integer labels 0…K−1 are kept; any other values are numbered in sorted order. Throws `DataError` past the class limit. */
export function classLabels(values: readonly string[]): { labels: number[]; classNames: string[] } {
  const distinctSet = new Set<string>();
  for (const v of values) {
    distinctSet.add(v);
    if (distinctSet.size > LIMITS.classes) throw tooManyClasses(`more than ${formatCount(LIMITS.classes)}`);
  }
  const distinct = [...distinctSet];
  const numeric = values.map((v) => Number(v));
  let allIndices = true;
  let max = -Infinity;
  // A loop, not Math.max(...numeric): spreading a data-sized array overflows the call stack.
  for (const n of numeric) {
    if (!(Number.isInteger(n) && n >= 0)) { allIndices = false; break; }
    if (n > max) max = n;
  }
  if (allIndices && max < Math.max(2, distinct.length * 2)) {
    if (max + 1 > LIMITS.classes) throw tooManyClasses(formatCount(max + 1));
    return { labels: numeric, classNames: Array.from({ length: max + 1 }, (_, i) => String(i)) };
  }
  const sorted = distinct.every((v) => Number.isFinite(Number(v))) ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort();
  const index = new Map(sorted.map((v, i) => [v, i]));
  return { labels: values.map((v) => index.get(v)!), classNames: sorted };
}

function tooManyClasses(count: string): DataError {
  return new DataError(`the target has ${count} classes; classification supports at most ${formatCount(LIMITS.classes)} (for a numeric target, use the mse or mae loss)`);
}

/** True when a row has `width` fields and most of them are numbers: the file is the CSV data expected. */
function looksNumeric(fields: readonly string[], width: number): boolean {
  if (fields.length !== width) return false;
  let numbers = 0;
  for (const f of fields) if (parseNumber(f) !== undefined) numbers++;
  return numbers * 2 >= width;
}

/** Column names fit to show in a message: at least two short printable names; undefined when the header does not read like one. */
export function plainNames(names: readonly string[]): string[] | undefined {
  if (names.length < 2 || names.length > 200) return undefined;
  return names.every((n) => /^[\p{L}\p{N}_ .()[\]#%+\-/]{1,64}$/u.test(n)) ? [...names] : undefined;
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** What is wrong with a field, without its text. */
function describeField(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty, not a number';
  if (!Number.isNaN(Number(trimmed))) return 'not a finite number';
  return 'text, not a number';
}
