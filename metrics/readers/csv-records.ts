/**
 * One CSV parser for every CSV Fitcheck reads: training data (trainer/data/csv.ts) and metric
 * tables of watched runs (readers/csv.ts). RFC 4180 quoting, so a quoted field may hold the
 * delimiter, a doubled quote or a newline.
 */

/** A row of fields and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Splits CSV text into records (RFC 4180 quoting; CRLF and a byte-order mark tolerated; blank lines skipped). */
export function parseCsvRecords(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  forEachCsvRecord(text, delimiter, (fields, line) => { records.push({ line, fields }); });
  return records;
}

/**
 * Calls `visit` with each record's fields and 1-based first line, without keeping earlier records
 * (a large file is never held twice); `visit` returns false to stop early. Same rules as `parseCsvRecords`.
 */
export function forEachCsvRecord(text: string, delimiter: string, visit: (fields: string[], line: number) => boolean | void): void {
  const length = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const delim = delimiter.charCodeAt(0);
  while (i < length) {
    const recordLine = line;
    const fields: string[] = [];
    // One record: fields up to an unquoted newline or the end of the text.
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === 0x22 /* " */) {
        // Quoted: find the closing quote (skipping doubled ones), then take the field in one slice,
        // not one character at a time (a file of quotes would otherwise build millions of strings).
        const open = i + 1;
        let from = open;
        let close = length;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0) break;
          if (text.charCodeAt(quote + 1) === 0x22) { from = quote + 2; continue; }
          close = quote;
          break;
        }
        const value = unescapeQuoted(text, open, close);
        line += countNewlines(text, open, close);
        i = close < length ? close + 1 : length;
        // Text after the closing quote belongs to the field (lenient, as before).
        const restEnd = fieldEnd(text, i, delim);
        field = value + text.slice(i, restEnd);
        i = restEnd;
      } else {
        const end = fieldEnd(text, i, delim);
        field = text.slice(i, end);
        i = end;
      }
      if (field.endsWith('\r') && (i >= length || text.charCodeAt(i) === 0x0a)) field = field.slice(0, -1);
      fields.push(field);
      if (i < length && text.charCodeAt(i) === delim) { i++; if (i < length) continue; fields.push(''); }
      break;
    }
    if (i < length && text.charCodeAt(i) === 0x0a) { i++; line++; }
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    if (visit(fields, recordLine) === false) return;
  }
}

/**
 * The text between `open` and `close` with doubled quotes made single. Joined in batches: one
 * replaceAll over millions of quotes takes seconds and a gigabyte; this stays linear and small.
 */
function unescapeQuoted(text: string, open: number, close: number): string {
  let q = text.indexOf('""', open);
  if (q < 0 || q >= close) return text.slice(open, close);
  let out = '';
  let parts: string[] = [];
  let from = open;
  for (; q >= 0 && q < close; q = text.indexOf('""', from)) {
    parts.push(text.slice(from, q + 1));
    from = q + 2;
    if (parts.length === 8192) {
      out += parts.join('');
      parts = [];
    }
  }
  parts.push(text.slice(from, close));
  return out + parts.join('');
}

/** Index of the delimiter or newline that ends an unquoted field starting at `from`. */
function fieldEnd(text: string, from: number, delim: number): number {
  let j = from;
  const length = text.length;
  while (j < length) {
    const c = text.charCodeAt(j);
    if (c === delim || c === 0x0a) return j;
    j++;
  }
  return j;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) n++;
  return n;
}

/** The fields of one line of CSV text (a metric table's header or row); empty for a blank line. */
export function parseCsvLine(text: string, delimiter: string): string[] {
  let fields: string[] = [];
  forEachCsvRecord(text, delimiter, (f) => { fields = f; return false; });
  return fields;
}
