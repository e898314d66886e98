/**
 * `npm run bench:watch`: what watching a big run costs the thread that hosts the watch (the
 * extension host, shared with every other extension). A per-step TensorBoard event file
 * (FITCHECK_BENCH_MB, default 100 MB) is written with the project's own writer (the protobuf types the
 * reader decodes, TFRecord framing); then, in this process, the watch catches up on it and tails it
 * while a child process appends steps. Measured: this thread's event-loop delay
 * (perf_hooks.monitorEventLoopDelay) while catching up and while tailing, the time from starting the
 * watch to its first update with epochs, and the catch-up rate in MB/s, for the worker-thread watch
 * the extension uses and, for comparison, the same watch in this thread. The peer, in the same run,
 * is TensorBoard's own loader (EventAccumulator keeping every scalar) on a smaller file of the same kind
 * (FITCHECK_BENCH_PEER_MB, default 10), from the Python named by FITCHECK_TB_PYTHON (else the
 * provisioning cache's ~/.cache/fitcheck/py-frameworks, else /tmp/tb-venv/bin/python, else python3); without TensorBoard there the peer is skipped, saying why.
 * FITCHECK_BENCH_ROUNDS (2) rounds interleave the floor, both watches and the peer. Writes the
 * `bench:watch` section of BENCHMARKS.md, or refuses (exit 1) when this thread's floor was too noisy.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { EpochEvent } from '../../metrics/diagnosis/events.js';
import { EventType } from '../../metrics/tfevents/proto.js';
import { frameRecord } from '../../metrics/tfevents/tfrecord.js';
import { RunWatcher, type WatcherOptions } from '../../metrics/watch/watcher.js';
import { WorkerRunWatcher } from '../../metrics/watch/worker-watcher.js';
import { machine, type Summary } from './bench-report.js';
import { BenchRun, interleave } from './bench-run.js';

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '../../..');
/** Validation every this many steps: the run's epochs (fewer than the assembler's 1,000 before grouping). */
const VAL_EVERY = 5000;
const TAIL_SECONDS = 5;
/** The largest p99/p50 of this thread's delay with no watch before the run is refused as too noisy. */
const MAX_SPREAD = 1.5;

/** The records of one training step (PyTorch SummaryWriter layout: one scalar per event), and validation every VAL_EVERY steps. */
function stepRecords(step: number): Uint8Array[] {
  const scalar = (tag: string, value: number) => frameRecord(EventType.encode(EventType.fromObject({ wallTime: 1.7e9 + step / 100, step, summary: { value: [{ tag, simpleValue: value }] } })).finish());
  const out = [scalar('train/loss', 0.1 + 1 / Math.sqrt(step + 1)), scalar('train/accuracy', 0.9 - 0.5 / Math.sqrt(step + 1)), scalar('lr', 0.001)];
  if (step % VAL_EVERY === VAL_EVERY - 1) out.push(scalar('val/loss', 0.15 + 1 / Math.sqrt(step + 1)), scalar('val/accuracy', 0.88 - 0.5 / Math.sqrt(step + 1)));
  return out;
}

/** Appends steps from `from` until `bytes` are written; returns the next step. */
function writeSteps(file: string, from: number, bytes: number): number {
  const fd = fs.openSync(file, 'a');
  let written = 0;
  let step = from;
  const chunk: Uint8Array[] = [];
  while (written < bytes) {
    for (const r of stepRecords(step)) {
      chunk.push(r);
      written += r.length;
    }
    step += 1;
    if (chunk.length >= 8192) fs.writeSync(fd, Buffer.concat(chunk.splice(0)));
  }
  fs.writeSync(fd, Buffer.concat(chunk));
  fs.closeSync(fd);
  return step;
}

/** The child process that grows the file while the watch tails it: `from`, steps per second, seconds. */
if (process.argv[2] === 'append') {
  const [file, fromText, rateText, secondsText] = process.argv.slice(3);
  let step = Number(fromText);
  const rate = Number(rateText);
  const end = Date.now() + Number(secondsText) * 1000;
  const timer = setInterval(() => {
    if (Date.now() > end) return clearInterval(timer);
    const records = [];
    for (let i = 0; i < rate / 20; i++) records.push(...stepRecords(step++));
    fs.appendFileSync(file!, Buffer.concat(records));
  }, 50);
} else {
  await main();
}

/** n, p50, p90, p99 and max (ms) of an event-loop delay histogram. */
function phase(h: ReturnType<typeof monitorEventLoopDelay>): Summary {
  return { n: h.count, p50: h.percentile(50) / 1e6, p90: h.percentile(90) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
}

/** A delay summary as the table shows it (a function declaration: main() runs before this module's constants exist). */
function delays(s: Summary): string {
  return `${s.n}: ${s.p50.toFixed(1)} / ${s.p90.toFixed(1)} / **${s.p99.toFixed(1)}** / **${s.max.toFixed(1)}**`;
}

/** Watches `file` with `make` and measures this thread; resolves once it has caught up and tailed, to the table's row. */
async function measure(label: string, file: string, lastValStep: number, nextStep: number, make: (options: WatcherOptions) => { start(): void; close(): void }): Promise<string> {
  const bytes = fs.statSync(file).size;
  let lastEpochStep = -1;
  let firstUpdate = Number.NaN;
  const started = performance.now();
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const watcher = make({
    onUpdate: (u) => {
      const epochs = u.events.filter((e): e is EpochEvent => e.type === 'epoch');
      if (epochs.length > 0 && Number.isNaN(firstUpdate)) firstUpdate = performance.now() - started;
      lastEpochStep = epochs[epochs.length - 1]?.step ?? lastEpochStep;
    },
  });
  watcher.start();
  while (lastEpochStep < lastValStep) await new Promise((r) => setTimeout(r, 5));
  const caughtUp = performance.now() - started;
  h.disable();
  const catchUp = phase(h);
  // Tailing: a child process appends 20,000 steps a second (a fast per-step logger) for TAIL_SECONDS.
  const tail = monitorEventLoopDelay({ resolution: 5 });
  const child = spawn(process.execPath, [here, 'append', file, String(nextStep), '20000', String(TAIL_SECONDS)], { stdio: 'inherit' });
  tail.enable();
  await new Promise((r) => child.on('exit', r));
  await new Promise((r) => setTimeout(r, 1000));
  tail.disable();
  watcher.close();
  const tailing = phase(tail);
  const grown = fs.statSync(file).size - bytes;
  const mbps = (bytes / 2 ** 20 / (caughtUp / 1000)).toFixed(0);
  console.error(`  ${label}: first update ${firstUpdate.toFixed(0)} ms, caught up ${caughtUp.toFixed(0)} ms (${mbps} MB/s)`);
  return `| ${label} | ${firstUpdate.toFixed(0)} ms | **${mbps} MB/s** (${(caughtUp / 1000).toFixed(1)} s) | ${delays(catchUp)} | ${delays(tailing)} (${(grown / 2 ** 20).toFixed(0)} MiB appended) |`;
}

/** TensorBoard's EventAccumulator, every scalar kept, on `file`: MB/s, or why it was not run. */
function tensorboardPeer(file: string): string {
  const cache = path.join(os.homedir(), '.cache', 'fitcheck', 'py-frameworks', 'bin', 'python');
  const candidates = [process.env['FITCHECK_TB_PYTHON'], cache, '/tmp/tb-venv/bin/python', 'python3'].filter((p): p is string => !!p);
  const script = [
    'import sys, time',
    'from tensorboard.backend.event_processing.event_accumulator import EventAccumulator',
    't = time.perf_counter()',
    'acc = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "tensors": 0})',
    'acc.Reload()',
    'n = sum(len(acc.Scalars(tag)) for tag in acc.Tags()["scalars"])',
    'import tensorboard',
    'print((time.perf_counter() - t) * 1000, n, tensorboard.__version__)',
  ].join('\n');
  const why: string[] = [];
  for (const python of candidates) {
    if (python.includes('/') && !fs.existsSync(python)) continue;
    const probe = spawnSync(python, ['-c', 'import tensorboard'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      why.push(`${python}: no tensorboard module`);
      continue;
    }
    const run = spawnSync(python, ['-c', script, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) return `TensorBoard's EventAccumulator failed: ${run.stderr.trim().split('\n').pop()}`;
    const [ms, points, version] = run.stdout.trim().split(/\s+/);
    const rate = fs.statSync(file).size / 2 ** 20 / (Number(ms) / 1000);
    return `TensorBoard ${version} \`EventAccumulator\` (every scalar kept, ${Number(points).toLocaleString('en-US')} points) on that file: **${rate.toFixed(1)} MB/s** (${(Number(ms) / 1000).toFixed(1)} s)`;
  }
  const reason = `TensorBoard's EventAccumulator not measured: ${why.join('; ') || 'no Python found'} (pip install tensorboard into a venv and set FITCHECK_TB_PYTHON)`;
  console.log(reason);
  return reason;
}

async function main(): Promise<void> {
  const megabytes = Number(process.env['FITCHECK_BENCH_MB'] ?? 100);
  const peerMegabytes = Number(process.env['FITCHECK_BENCH_PEER_MB'] ?? 10);
  const rounds = Number(process.env['FITCHECK_BENCH_ROUNDS'] ?? 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-watch-bench-'));
  try {
    const runDir = path.join(dir, 'run');
    fs.mkdirSync(runDir);
    const file = path.join(runDir, 'events.out.tfevents.1700000000.bench');
    const t = performance.now();
    const next = writeSteps(file, 0, megabytes * 2 ** 20);
    const lastValStep = Math.floor(next / VAL_EVERY) * VAL_EVERY - 1;
    const size = fs.statSync(file).size;
    console.error(`wrote ${(size / 2 ** 20).toFixed(0)} MiB, ${next.toLocaleString('en-US')} steps in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // TensorBoard's loader is ~15× slower: it reads a smaller file of the same kind, so a round stays short.
    const peerDir = path.join(dir, 'peer');
    fs.mkdirSync(peerDir);
    const peerFile = path.join(peerDir, 'events.out.tfevents.1700000000.peer');
    writeSteps(peerFile, 0, peerMegabytes * 2 ** 20);
    const peerSize = fs.statSync(peerFile).size;
    const run = new BenchRun('bench:watch', MAX_SPREAD);
    const rows: string[] = [];
    const peers: string[] = [];
    // Each watch reads a fresh copy at the size written (tailing grows it), removed after.
    const fresh = (name: string) => {
      const copy = path.join(dir, name);
      fs.mkdirSync(copy);
      fs.copyFileSync(file, path.join(copy, path.basename(file)));
      return path.join(copy, path.basename(file));
    };
    const counts = new Map<string, number>();
    const round = (name: string) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return counts.get(name)!;
    };
    const none: number[] = [];
    await interleave(rounds, [
      // The floor on this machine: this thread's delay with no watch at all, over as long as a tail; the noise check reads it.
      { name: 'floor', sample: async () => {
        const idle = monitorEventLoopDelay({ resolution: 5 });
        idle.enable();
        await new Promise((r) => setTimeout(r, TAIL_SECONDS * 1000));
        idle.disable();
        const label = `no watch (this machine's floor), round ${round('floor')}`;
        const floor = run.record(label, phase(idle), 'p99');
        rows.push(`| ${label} | — | — | — | ${delays(floor)} |`);
        return none;
      } },
      { name: 'worker', sample: async () => {
        const copy = fresh(`worker-${round('worker')}`);
        rows.push(await measure(`worker thread (what the extension runs), round ${counts.get('worker')}`, copy, lastValStep, next, (o) => new WorkerRunWatcher(path.dirname(copy), { ...o, workerFile: path.join(repoRoot, 'dist', 'watch-worker.mjs') })));
        fs.rmSync(path.dirname(copy), { recursive: true, force: true });
        return none;
      } },
      { name: 'here', sample: async () => {
        const copy = fresh(`here-${round('here')}`);
        rows.push(await measure(`same thread (the CLI's way), round ${counts.get('here')}`, copy, lastValStep, next, (o) => new RunWatcher(path.dirname(copy), o)));
        fs.rmSync(path.dirname(copy), { recursive: true, force: true });
        return none;
      } },
      { name: 'tensorboard', sample: () => {
        peers.push(`round ${round('tensorboard')}: ${tensorboardPeer(peerFile)}`);
        return none;
      } },
    ]);
    const body = `## Watching a big run (\`npm run bench:watch\`)

A per-step event file of ${(size / 2 ** 20).toFixed(0)} MiB (${next.toLocaleString('en-US')} steps; \`train/loss\`, \`train/accuracy\`, \`lr\` each step, validation every ${VAL_EVERY.toLocaleString('en-US')}), written with the project's own writer, is watched from scratch; then a child process appends 20,000 steps a second for ${TAIL_SECONDS} s. Event-loop delay is \`monitorEventLoopDelay\` (5 ms resolution) in the process hosting the watch: n samples, then p50 / p90 / p99 / max in ms. Goals: p99 ≤ 20 ms, max ≤ 50 ms, first update ≤ 1 s.
${rounds} rounds; in each, the floor (no watch), the worker watch, the same-thread watch and the peer run one after another (who goes first rotates).
Noise bound: the floor's p99 ≤ ${MAX_SPREAD}× its p50 in every round (the goals are on the tail, so the machine's tail must be quiet), else nothing is recorded.
Measured ${new Date().toISOString().slice(0, 10)}; ${machine()}; ${run.loadLine()}.

| watch | first update with epochs | catching up | loop delay catching up (n: p50 / p90 / p99 / max) | loop delay tailing |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

Peer, same run: TensorBoard's own loader on a ${(peerSize / 2 ** 20).toFixed(0)} MiB file of the same kind (a rate, so the size only shortens the wait):
${peers.map((p) => `- ${p}`).join('\n')}

Without TensorFlow installed (as here), TensorBoard reads event files through its bundled pure-Python \`tensorflow_stub\`, which accounts for much of the gap.`;
    run.finish(repoRoot, body);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
