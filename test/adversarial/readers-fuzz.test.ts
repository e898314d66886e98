/**
 * Fuzzing the run readers (issue 20): 30,000 mutants of real-shaped inputs — the Python helper's
 * JSONL, TensorBoard event files and metrics CSVs — each read to the end by the reader the watcher
 * uses, then assembled and diagnosed. None may throw, and every read must end.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeEvent } from '../../metrics/diagnosis/codec.js';
import type { RunEvent } from '../../metrics/diagnosis/events.js';
import { analyzeEvents } from '../../metrics/diagnosis/insights.js';
import { CsvReader } from '../../metrics/readers/csv.js';
import { EventFileReader } from '../../metrics/readers/event-file.js';
import { JsonlReader } from '../../metrics/readers/jsonl.js';
import type { MetricsReader } from '../../metrics/readers/reader.js';
import { addPoint, type ScalarSeries } from '../../metrics/diagnosis/scalars.js';
import { assembleRun } from '../../metrics/watch/assemble.js';
import { random } from '../unit/fuzz-mutations.js';
import { concat, fileVersion, histogramTensor, legacyScalar, tf2Scalar } from '../unit/metrics/event-file-builder.js';

/** One mutation of a byte string: flip, insert, delete, truncate, duplicate a slice, or splice in junk. */
function mutate(input: Buffer, rnd: () => number): Buffer {
  const pick = (n: number) => Math.floor(rnd() * n);
  const bytes = Buffer.from(input);
  const at = pick(Math.max(1, bytes.length));
  switch (pick(6)) {
    case 0: bytes[at] = pick(256); return bytes;
    case 1: return Buffer.concat([bytes.subarray(0, at), Buffer.from([pick(256), pick(256), pick(256)]), bytes.subarray(at)]);
    case 2: return Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + pick(16)))]);
    case 3: return bytes.subarray(0, at);
    case 4: {
      const end = Math.min(bytes.length, at + 1 + pick(64));
      return Buffer.concat([bytes.subarray(0, end), bytes.subarray(at, end), bytes.subarray(end)]);
    }
    default: {
      const junk = ['NaN', '-1e309', '{"type":"epoch"}', '\n', '"', ',', '\u0000', '[[[[[[', '9'.repeat(400), '{"type":"scalars","step":1e400,"values":{}}'];
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(junk[pick(junk.length)]!), bytes.subarray(at)]);
    }
  }
}

function helperJsonl(): Buffer {
  const events: RunEvent[] = [
    { type: 'start', format: 'fitcheck-metrics', version: 1, runId: 'r', time: '2026-01-01T00:00:00Z', backend: 'pytorch', versions: {}, task: 'multiclass', metric: 'error', epsilon: 0.1, epochs: 20 },
  ];
  for (let s = 1; s <= 20; s++) events.push({ type: 'scalars', step: s, wallTime: s, values: { train_loss: 1 / s, val_loss: 1 / s + 0.05, val_accuracy: 0.5 + s / 50, lr: 0.01 } });
  events.push({ type: 'end', status: 'completed', epochs: 20, wallTime: 21, diagnosis: null });
  return Buffer.from(events.map((e) => encodeEvent(e)).join(''));
}

function eventFile(): Buffer {
  const records = [fileVersion()];
  for (let s = 0; s < 20; s++) {
    records.push(legacyScalar('loss', s, 1 / (s + 1)), tf2Scalar('epoch_accuracy', s, 0.5 + s / 50, s === 0));
    if (s % 5 === 0) records.push(histogramTensor('dense/kernel', s, s === 0));
  }
  return concat(records);
}

function metricsCsv(): Buffer {
  const rows = ['step,train_loss,val_loss,val_accuracy'];
  for (let s = 1; s <= 30; s++) rows.push(`${s},${1 / s},${1 / s + 0.05},${0.5 + s / 70}`);
  return Buffer.from(`${rows.join('\n')}\n`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-readers-fuzz-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Reads a file to the end as the watcher would, assembles and diagnoses it; returns what it read. */
function readAll(file: string, reader: MetricsReader): number {
  const series = new Map<string, ScalarSeries>();
  const events: RunEvent[] = [];
  let polls = 0;
  for (;;) {
    const update = reader.poll(true);
    polls++;
    for (const p of update.points) addPoint(series, p.tag, p.step, p.value, p.wallTime);
    for (const e of update.events) events.push(e);
    if (!update.more) break;
    assert.ok(polls < 10_000, `${file}: the read ends`);
  }
  const run = assembleRun(series, { runId: 'fuzz', name: 'fuzz', source: 'fuzz', events });
  analyzeEvents(run.events);
  if (events.length > 0) analyzeEvents(events);
  return run.events.length;
}

const KINDS = [
  { name: 'the Python helper\'s JSONL', file: 'run.fitcheck.jsonl', base: helperJsonl, reader: (f: string) => new JsonlReader(f) },
  { name: 'TensorBoard event files', file: 'events.out.tfevents.1.host', base: eventFile, reader: (f: string) => new EventFileReader(f) },
  { name: 'metrics CSVs', file: 'metrics.csv', base: metricsCsv, reader: (f: string) => new CsvReader(f) },
] as const;

/** 10,000 mutants per kind: 30,000 in all. */
const PER_KIND = 10_000;

describe('fuzzing the run readers', () => {
  for (const [k, kind] of KINDS.entries()) {
    it(`reads ${PER_KIND.toLocaleString('en-US')} mutants of ${kind.name} without an exception`, () => {
      const base = kind.base();
      const rnd = random(1000 + k);
      const file = path.join(dir, `${k}-${kind.file}`);
      let input = base;
      let read = 0;
      for (let i = 0; i < PER_KIND; i++) {
        // Mutations pile up for a while, then start again from the clean input.
        input = i % 8 === 0 ? mutate(base, rnd) : mutate(input, rnd);
        if (input.length > 1 << 20) input = base;
        fs.writeFileSync(file, input);
        try {
          read += readAll(file, kind.reader(file));
        } catch (error) {
          assert.fail(`mutant ${i} of ${kind.name} threw: ${(error as Error).stack}\n${JSON.stringify(input.toString('latin1').slice(0, 400))}`);
        }
      }
      assert.ok(read > 0, 'the mutants still held readable runs');
    });
  }
});
