/** CSV files as training data: numeric columns, a named target, bad rows reported by line number. */
import { didYouMean } from '../spec/suggest.js';
import type { RawData } from './synthetic.js';

/** A row of fields and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface BadRow {
  line: number;
  message: string;
}

/** A data problem the user must fix; `badRows` lists the rows at fault. */
export class DataError extends Error {
  constructor(message: string, readonly badRows: BadRow[] = []) {
    super(message);
    this.name = 'DataError';
  }
}

/** Splits CSV text into records (RFC 4180 quoting; CRLF and a byte-order mark tolerated; blank lines skipped). */
export function parseCsvRecords(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]!.trim() === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; field += ch; }
      continue;
    }
    if (ch === '"' && !fieldStarted) { quoted = true; fieldStarted = true; continue; }
    if (ch === delimiter) { fields.push(field); field = ''; fieldStarted = false; continue; }
    if (ch === '\r' && text[i + 1] === '\n') continue;
    if (ch === '\n') {
      endRecord();
      line++;
      recordLine = line;
      continue;
    }
    field += ch;
    fieldStarted = true;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

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

/** Reads the examples of a CSV text; throws `DataError` for unusable files or (with `onBadRow: 'error'`) bad rows. */
export function csvToRaw(text: string, options: CsvOptions): { raw: RawData; skipped: BadRow[] } {
  const records = parseCsvRecords(text, options.delimiter);
  if (records.length === 0) throw new DataError('the CSV file is empty');
  const head = options.header ? records.shift()!.fields.map((f) => f.trim()) : undefined;
  const width = head?.length ?? records[0]?.fields.length ?? 0;
  const names = head ?? Array.from({ length: width }, (_, i) => `column${i}`);
  const column = (ref: string | number, role: string): number => {
    if (typeof ref === 'number') {
      if (ref < 0 || ref >= width) throw new DataError(`${role} column index ${ref} is out of range: the file has ${width} columns (0–${width - 1})`);
      return ref;
    }
    const index = names.indexOf(ref);
    if (index >= 0) return index;
    if (!head) throw new DataError(`${role} column '${ref}' needs a header line (data.header is false): use a 0-based index instead`);
    const suggestion = didYouMean(ref, names);
    throw new DataError(`${role} column '${ref}' is not in the header${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; the columns are ${names.join(', ')}`);
  };
  const targetIndex = column(options.target, 'target');
  const featureIndices = options.features ? options.features.map((f) => column(f, 'feature')) : names.map((_, i) => i).filter((i) => i !== targetIndex);
  if (featureIndices.includes(targetIndex)) throw new DataError(`the target column '${names[targetIndex]}' is also listed as a feature`);
  if (featureIndices.length === 0) throw new DataError('the CSV file has no feature columns besides the target');

  const bad: BadRow[] = [];
  const x: number[][] = [];
  const rawTargets: string[] = [];
  for (const record of records) {
    if (record.fields.length !== width) {
      bad.push({ line: record.line, message: `expected ${width} fields, found ${record.fields.length}` });
      continue;
    }
    const row: number[] = [];
    let problem: string | undefined;
    for (const i of featureIndices) {
      const value = parseNumber(record.fields[i]!);
      if (value === undefined) { problem = `${names[i]} is ${describeField(record.fields[i]!)}, not a number`; break; }
      row.push(value);
    }
    const targetText = record.fields[targetIndex]!.trim();
    if (!problem && (targetText === '' || (!options.classification && parseNumber(targetText) === undefined))) {
      problem = `target ${names[targetIndex]} is ${describeField(targetText)}, not a number`;
    }
    if (problem) {
      bad.push({ line: record.line, message: problem });
      continue;
    }
    x.push(row);
    rawTargets.push(targetText);
  }
  if (bad.length > 0 && options.onBadRow === 'error') {
    const listed = bad.slice(0, LISTED).map((b) => `line ${b.line}: ${b.message}`).join('; ');
    throw new DataError(`${bad.length} bad row${bad.length === 1 ? '' : 's'} in the CSV file (${listed}${bad.length > LISTED ? '; …' : ''}); fix them or set data.onBadRow to "skip"`, bad);
  }
  if (x.length === 0) throw new DataError('the CSV file has no usable rows');

  const featureNames = featureIndices.map((i) => names[i]!);
  if (!options.classification) {
    return { raw: { x, y: rawTargets.map((t) => Number(t)), featureNames, task: 'regression' }, skipped: bad };
  }
  const { labels, classNames } = classLabels(rawTargets);
  return { raw: { x, y: labels, featureNames, task: 'classification', classes: classNames.length, classNames }, skipped: bad };
}

/** Class indices: integer labels 0…K−1 are kept; any other values are numbered in sorted order. */
export function classLabels(values: readonly string[]): { labels: number[]; classNames: string[] } {
  const numeric = values.map((v) => Number(v));
  const distinct = [...new Set(values)];
  if (numeric.every((n) => Number.isInteger(n) && n >= 0)) {
    const max = Math.max(...numeric);
    if (max < Math.max(2, distinct.length * 2)) {
      return { labels: numeric, classNames: Array.from({ length: max + 1 }, (_, i) => String(i)) };
    }
  }
  const sorted = distinct.every((v) => Number.isFinite(Number(v))) ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort();
  const index = new Map(sorted.map((v, i) => [v, i]));
  return { labels: values.map((v) => index.get(v)!), classNames: sorted };
}

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

function describeField(text: string): string {
  return text.trim() === '' ? 'empty' : `'${text.length > 20 ? `${text.slice(0, 20)}…` : text}'`;
}
