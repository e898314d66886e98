/**
 * `npm run bench:readers`: how fast Fitcheck reads users' runs. A generated 100 MB TensorBoard event
 * file (two mixes: scalars only, the densest case; and scalars with histogram tensors, as the Keras
 * callback writes) read with EventFileReader, the same file through the live tailer (RunSource, 8 MiB
 * steps), and a Fitcheck JSONL file of the Python helper's `scalars` lines. Peers measured in the same
 * run: the bare file read (the I/O floor), the CRC-32C pass alone, and Python's json.loads over the same
 * JSONL (Debian's python3). TensorBoard's own loader is not installable here (not in Debian, no PyPI),
 * so it cannot be the peer. Writes the `bench:readers` section of BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventFileReader } from '../../metrics/readers/event-file.js';
import { JsonlReader } from '../../metrics/readers/jsonl.js';
import { maskedCrc32c } from '../../metrics/tfevents/crc32c.js';
import { EventType } from '../../metrics/tfevents/proto.js';
import { frameRecord } from '../../metrics/tfevents/tfrecord.js';
import { addPoint } from '../../metrics/diagnosis/scalars.js';
import { discoverRuns } from '../../metrics/watch/discover.js';
import { RunSource } from '../../metrics/watch/run-source.js';
import { machine, writeSection } from './bench-report.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TARGET_BYTES = 100 * 1024 * 1024;
const RUNS = 3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-readers-bench-'));

const float32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return b;
};

/** Writes records until the file reaches TARGET_BYTES; returns its size and the number of records. */
function writeEventFile(file: string, histograms: boolean): { bytes: number; records: number } {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let records = 0;
  const chunk: Uint8Array[] = [];
  const flush = () => {
    const buf = Buffer.concat(chunk);
    fs.writeSync(fd, buf);
    chunk.length = 0;
  };
  const histogram = new Uint8Array(30 * 3 * 8);
  for (let step = 0; bytes < TARGET_BYTES; step++) {
    const tags = ['train/loss', 'train/accuracy', 'val/loss', 'val/accuracy', 'lr'];
    for (const [i, tag] of tags.entries()) {
      // PyTorch SummaryWriter layout: one simple_value per event (simple_value patched in: 0 is never written by the encoder).
      const data = EventType.encode(EventType.fromObject({ wallTime: 1.7e9 + step, step, summary: { value: [{ tag, simpleValue: 1 + ((step * 7 + i) % 97) / 100 }] } })).finish();
      const framed = frameRecord(data);
      chunk.push(framed);
      bytes += framed.length;
      records += 1;
    }
    if (histograms && step % 10 === 0) {
      const data = EventType.encode(EventType.fromObject({ wallTime: 1.7e9 + step, step, summary: { value: [{ tag: 'dense/kernel_0', metadata: { pluginData: { pluginName: 'histograms' } }, tensor: { dtype: 2, tensorShape: { dim: [{ size: 30 }, { size: 3 }] }, tensorContent: histogram } }] } })).finish();
      const framed = frameRecord(data);
      chunk.push(framed);
      bytes += framed.length;
      records += 1;
    }
    if (chunk.length >= 4096) flush();
  }
  flush();
  fs.closeSync(fd);
  void float32;
  return { bytes, records };
}

function writeJsonl(file: string): { bytes: number; lines: number } {
  const lines: string[] = ['{"type":"start","format":"fitcheck-metrics","version":1,"runId":"bench","time":"2026-01-01T00:00:00.000Z","backend":"pytorch","versions":{},"source":"fitcheck_logger"}'];
  let bytes = lines[0]!.length + 1;
  for (let step = 1; bytes < TARGET_BYTES; step++) {
    const line = `{"type":"scalars","step":${step},"wallTime":${(step * 0.01).toFixed(2)},"values":{"train/loss":${(1 / step).toFixed(6)},"train/accuracy":${(1 - 1 / step).toFixed(6)},"grad_norm/fc1":${(0.1 / Math.sqrt(step)).toFixed(6)}}}`;
    lines.push(line);
    bytes += line.length + 1;
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return { bytes, lines: lines.length };
}

/** Best of RUNS timings (ms) of `fn`. */
function best(fn: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const mbps = (bytes: number, ms: number) => (bytes / 2 ** 20 / (ms / 1000)).toFixed(0);

try {
  const rows: string[] = [];
  for (const histograms of [false, true]) {
    const file = path.join(dir, `events.out.tfevents.${histograms ? 'mixed' : 'scalars'}`);
    const { bytes, records } = writeEventFile(file, histograms);
    let points = 0;
    // Parsing: every record framed, both CRCs checked, the Event decoded, its scalars handed over (8 MiB reads).
    const reader = best(() => {
      const r = new EventFileReader(file);
      points = 0;
      for (let more = true; more;) {
        const u = r.poll(true, () => { points += 1; });
        if (u.issues.length > 0) throw new Error(u.issues[0]!.message);
        more = u.more;
      }
    });
    const stored = best(() => {
      const r = new EventFileReader(file);
      const series = new Map();
      for (let more = true; more;) more = r.poll(true, (tag, step, value, wallTime) => addPoint(series, tag, step, value, wallTime)).more;
    });
    const tailed = best(() => {
      const source = new RunSource(discoverRuns(file).runs[0]!);
      source.poll(true);
    });
    const io = best(() => { fs.readFileSync(file); });
    const bytesRead = fs.readFileSync(file);
    const crc = best(() => { maskedCrc32c(bytesRead); });
    const mix = histograms ? 'scalars + histogram tensors (Keras-like)' : 'scalars only (PyTorch SummaryWriter layout)';
    rows.push(`| event file, ${mix} | ${(bytes / 2 ** 20).toFixed(0)} MiB, ${records.toLocaleString('en-US')} records, ${points.toLocaleString('en-US')} points | **${mbps(bytes, reader)} MB/s** (${reader.toFixed(0)} ms) | ${mbps(bytes, stored)} MB/s (${stored.toFixed(0)} ms) | ${mbps(bytes, tailed)} MB/s (${tailed.toFixed(0)} ms) | read ${mbps(bytes, io)} MB/s; CRC-32C alone ${mbps(bytes, crc)} MB/s |`);
    fs.rmSync(file);
  }
  const jsonl = path.join(dir, 'bench.fitcheck.jsonl');
  const { bytes, lines } = writeJsonl(jsonl);
  const reader = best(() => {
    const r = new JsonlReader(jsonl);
    for (let more = true; more;) more = r.poll(true, () => {}).more;
  });
  const python = spawnSync('/usr/bin/python3', ['-c', 'import json,sys,time\nt=time.perf_counter()\nn=0\nwith open(sys.argv[1]) as f:\n  for line in f:\n    json.loads(line); n+=1\nprint((time.perf_counter()-t)*1000)', jsonl], { encoding: 'utf8' });
  const pythonMs = python.status === 0 ? Number(python.stdout.trim()) : Number.NaN;
  const linesPerSec = (ms: number) => Math.round(lines / (ms / 1000)).toLocaleString('en-US');
  rows.push(`| Fitcheck JSONL (the Python helper's \`scalars\` lines) | ${(bytes / 2 ** 20).toFixed(0)} MiB, ${lines.toLocaleString('en-US')} lines | **${linesPerSec(reader)} lines/s** (${mbps(bytes, reader)} MB/s, ${reader.toFixed(0)} ms) | — | — | Python 3 \`json.loads\` per line: ${Number.isFinite(pythonMs) ? `${linesPerSec(pythonMs)} lines/s (${pythonMs.toFixed(0)} ms)` : 'not run'} |`);
  const body = `### Reading users' runs (\`npm run bench:readers\`)

Machine: ${machine()}. Best of ${RUNS} runs each; files generated by the bench in the OS temp folder.

| input | size | parsing (Fitcheck reader) | + into per-tag series | the live tailer (RunSource) | peers, same run |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Target: event-file parsing at least 100 MB/s. Parsing reads the file in the reader's 8 MiB steps,
checks both CRCs of every record, decodes every \`Event\` with protobufjs and hands each scalar over;
"+ into per-tag series" also stores the points in columns (what a watched run keeps), and the live
tailer adds its bookkeeping per file. The
peers are floors, not competitors: the bare \`readFileSync\` and a CRC-32C pass over the same bytes.
TensorBoard's own Python loader would be the natural peer, but it cannot be installed on these machines
(no PyPI; Debian does not package it).`;
  console.log(body);
  if (process.env.FITCHECK_BENCH_NO_WRITE !== '1') writeSection(repoRoot, 'bench:readers', body);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
