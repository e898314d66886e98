/**
 * `npm run bench:readers`: how fast Fitcheck reads users' runs. A generated 100 MB TensorBoard event
 * file (two mixes: scalars only, the densest case; and scalars with histogram tensors, as the Keras
 * callback writes) read with EventFileReader, the same file through the live tailer (RunSource, 8 MiB
 * steps), and a Fitcheck JSONL file of the Python helper's `scalars` lines. Peers measured in the same
 * run, interleaved: the bare file read (the I/O floor), the CRC-32C pass alone, and Python's json.loads
 * over the same JSONL (Debian's python3). TensorBoard's own loader is bench:watch's peer. Writes the
 * `bench:readers` section of BENCHMARKS.md, or refuses (exit 1) when the run was too noisy.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventFileReader } from '../../metrics/readers/event-file.js';
import { JsonlReader } from '../../metrics/readers/jsonl.js';
import { maskedCrc32c } from '../../metrics/tfevents/crc32c.js';
import { MAX_READ_BYTES } from '../../metrics/readers/file-tail.js';
import { EventType } from '../../metrics/tfevents/proto.js';
import { frameRecord } from '../../metrics/tfevents/tfrecord.js';
import { addPoint } from '../../metrics/diagnosis/scalars.js';
import { discoverRuns } from '../../metrics/watch/discover.js';
import { RunSource } from '../../metrics/watch/run-source.js';
import { machine } from './bench-report.js';
import { BenchRun, interleave, summaryRow } from './bench-run.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Size of each generated file (FITCHECK_BENCH_MB, default 100 MiB). */
const TARGET_BYTES = Number(process.env['FITCHECK_BENCH_MB'] ?? 100) * 1024 * 1024;
/** Interleaved rounds (FITCHECK_BENCH_ROUNDS): one pass of every reader and peer each. */
const ROUNDS = Number(process.env['FITCHECK_BENCH_ROUNDS'] ?? 12);
/** The largest p90/p50 of any series before the run is refused as too noisy. */
const MAX_SPREAD = 1.3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-readers-bench-'));

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

const mbps = (bytes: number, ms: number) => (bytes / 2 ** 20 / (ms / 1000)).toFixed(0);
/** One timed pass of `fn`, in ms. */
const timed = (fn: () => void, passes = 1) => () => {
  const t = performance.now();
  for (let i = 0; i < passes; i++) fn();
  return (performance.now() - t) / passes;
};
/** The floors take 40-80 ms a pass, where a scheduler hiccup alone breaks the noise bound: a sample averages this many. */
const FLOOR_PASSES = 8;
const run = new BenchRun('bench:readers', MAX_SPREAD);
/** A table row: the label, the summary of its passes (ms) and the rate at p50. */
function row(label: string, samples: number[], rate: (ms: number) => string): string {
  const s = run.measure(label, samples);
  return `${summaryRow(label, s, 0)} ${rate(s.p50)} |`;
}

const stepBuffer = Buffer.alloc(MAX_READ_BYTES);

/** Reads the whole file in the readers' 8 MiB steps into one reused buffer; returns the bytes read. */
function readInSteps(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    let total = 0;
    for (let n; (n = fs.readSync(fd, stepBuffer, 0, stepBuffer.length, total)) > 0;) total += n;
    return total;
  } finally {
    fs.closeSync(fd);
  }
}

try {
  const rows: string[] = [];
  const inputs: string[] = [];
  for (const histograms of [false, true]) {
    const file = path.join(dir, `events.out.tfevents.${histograms ? 'mixed' : 'scalars'}`);
    const { bytes, records } = writeEventFile(file, histograms);
    let points = 0;
    const bytesRead = fs.readFileSync(file);
    const mix = histograms ? 'scalars + histograms' : 'scalars only';
    const contenders = [
      // Parsing: every record framed, both CRCs checked, the Event decoded, its scalars handed over (8 MiB reads).
      { name: 'parse', sample: timed(() => {
        const r = new EventFileReader(file);
        points = 0;
        for (let more = true; more;) {
          const u = r.poll(true, () => { points += 1; });
          if (u.issues.length > 0) throw new Error(u.issues[0]!.message);
          more = u.more;
        }
      }) },
      { name: 'series', sample: timed(() => {
        const r = new EventFileReader(file);
        const series = new Map();
        for (let more = true; more;) more = r.poll(true, (tag, step, value, wallTime) => addPoint(series, tag, step, value, wallTime)).more;
      }) },
      { name: 'tailer', sample: timed(() => {
        const source = new RunSource(discoverRuns(file).runs[0]!);
        source.poll(true);
      }) },
      // The bytes alone, read as the reader reads them (8 MiB steps into one buffer): a fresh 100 MiB
      // buffer per pass (readFileSync) made this floor swing 2-3x with the allocator, refusing whole runs.
      { name: 'read', sample: timed(() => { readInSteps(file); }, FLOOR_PASSES) },
      { name: 'crc', sample: timed(() => { maskedCrc32c(bytesRead); }, FLOOR_PASSES) },
    ];
    await interleave(1, contenders); // warms the page cache and the JIT for every contender; not recorded
    const samples = await interleave(ROUNDS, contenders);
    const rate = (ms: number) => `${mbps(bytes, ms)} MB/s`;
    inputs.push(`- event file, ${histograms ? 'scalars + histogram tensors (Keras-like)' : 'scalars only (PyTorch SummaryWriter layout)'}: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${records.toLocaleString('en-US')} records, ${points.toLocaleString('en-US')} points`);
    rows.push(
      row(`${mix}: Fitcheck reader, parsing`, samples.get('parse')!, (ms) => `**${rate(ms)}**`),
      row(`${mix}: + into per-tag series`, samples.get('series')!, rate),
      row(`${mix}: the live tailer (RunSource)`, samples.get('tailer')!, rate),
      row(`${mix}: peer, reading the bytes alone (8 MiB steps)`, samples.get('read')!, rate),
      row(`${mix}: peer, CRC-32C alone`, samples.get('crc')!, rate),
    );
    fs.rmSync(file);
  }
  const jsonl = path.join(dir, 'bench.fitcheck.jsonl');
  const { bytes, lines } = writeJsonl(jsonl);
  const pythonLoop = 'import json,sys,time\nt=time.perf_counter()\nwith open(sys.argv[1]) as f:\n  for line in f:\n    json.loads(line)\nprint((time.perf_counter()-t)*1000)';
  const jsonlContenders = [
    { name: 'fitcheck', sample: timed(() => {
      const r = new JsonlReader(jsonl);
      for (let more = true; more;) more = r.poll(true, () => {}).more;
    }) },
    // The interpreter's start is not timed: the script times its own loop.
    { name: 'python', sample: () => {
      const python = spawnSync('/usr/bin/python3', ['-c', pythonLoop, jsonl], { encoding: 'utf8' });
      if (python.status !== 0) throw new Error(`python3 json.loads failed: ${python.stderr}`);
      return Number(python.stdout.trim());
    } },
  ];
  await interleave(1, jsonlContenders);
  const samples = await interleave(ROUNDS, jsonlContenders);
  const linesPerSec = (ms: number) => `${Math.round(lines / (ms / 1000)).toLocaleString('en-US')} lines/s`;
  inputs.push(`- Fitcheck JSONL (the Python helper's \`scalars\` lines): ${(bytes / 2 ** 20).toFixed(0)} MiB, ${lines.toLocaleString('en-US')} lines`);
  const fitcheckJsonl = run.measure('JSONL: Fitcheck reader', samples.get('fitcheck')!);
  const pythonJsonl = run.measure('JSONL: peer, Python 3 json.loads per line', samples.get('python')!);
  rows.push(
    `${summaryRow('JSONL: Fitcheck reader', fitcheckJsonl, 0)} **${linesPerSec(fitcheckJsonl.p50)}** |`,
    `${summaryRow(`JSONL: peer, Python ${pythonVersion()} \`json.loads\` per line`, pythonJsonl, 0)} ${linesPerSec(pythonJsonl.p50)} |`,
  );
  const body = `### Reading users' runs (\`npm run bench:readers\`)

${machine()}; ${run.loadLine()}. Measured ${new Date().toISOString().slice(0, 10)}.
Files generated by the bench in the OS temp folder:
${inputs.join('\n')}

Each input's readers and peers run interleaved, one pass each per round, ${ROUNDS} rounds after an unrecorded warm-up round (who goes first rotates);
a sample is one whole pass over the file, in ms (for the two floors, the mean of ${FLOOR_PASSES} passes). Noise bound: every series' p90 ≤ ${MAX_SPREAD}× its p50, else nothing is recorded.

| reader (ms per pass) | n | p50 | p90 | p99 | max | rate at p50 |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Target: event-file parsing at least 100 MB/s. Parsing reads the file in the reader's 8 MiB steps,
checks both CRCs of every record, decodes every \`Event\` with protobufjs and hands each scalar over;
"+ into per-tag series" also stores the points in columns (what a watched run keeps), and the live
tailer adds its bookkeeping per file. The event-file peers are floors, not competitors: the bare
read of the bytes in the reader's 8 MiB steps and a CRC-32C pass over them. TensorBoard's own loader (\`EventAccumulator\`) is the
peer of \`npm run bench:watch\`; at about 1.5 MB/s it would take a minute per pass here.`;
  run.finish(repoRoot, body);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

function pythonVersion(): string {
  return spawnSync('/usr/bin/python3', ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).stdout.trim();
}
