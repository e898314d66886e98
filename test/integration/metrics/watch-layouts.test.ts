/**
 * Live watching of the folder layouts the common writers use, written record by record while the
 * watch runs: Keras' `logs/fit/<run>/train|validation` pair (its `validation/` folder appears only
 * after the first epoch, as Keras creates it), Lightning's `lightning_logs/version_N/`, Hugging
 * Face's `runs/<date>_<host>/`, a deeply nested run and a Ray Tune run. Every epoch a one-shot read
 * finds must reach the watcher's updates and `fitcheck watch`'s live output. The records are those of
 * the real files in ../shared/tfevents when present (split with the project's own TFRecord scanner),
 * else small files built here, so the layouts are always exercised.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { EpochEvent, RunEvent, StartEvent } from '../../../metrics/diagnosis/events.js';
import { decodeEventRecord } from '../../../metrics/tfevents/proto.js';
import { scanRecords } from '../../../metrics/tfevents/tfrecord.js';
import { discoverRuns } from '../../../metrics/watch/discover.js';
import { RunSource } from '../../../metrics/watch/run-source.js';
import type { TagMapping } from '../../../metrics/watch/tag-roles.js';
import { RunWatcher } from '../../../metrics/watch/watcher.js';
import { fileVersion, legacyScalar, tempFolders, tf2Scalar } from '../../unit/metrics/event-file-builder.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const realDir = path.resolve(repoRoot, '..', 'shared', 'tfevents');
const cli = path.join(repoRoot, 'dist', 'cli.mjs');

const folder = tempFolders();

/** One file of a layout: where it goes under the watched folder, and its records in order. */
interface LayoutFile {
  dest: string;
  records: Uint8Array[];
  /** Records written before the watch starts (0: the file and its folder appear later). */
  before: number;
}

/** The wall time of a framed record (to interleave a run's writers as they wrote). */
function wallTimeOf(record: Uint8Array): number {
  const data = record.subarray(12, record.length - 4);
  return decodeEventRecord(data).wallTime ?? 0;
}

/** A file's framed records, split by the reader's own scanner. */
function recordsOf(file: string): Uint8Array[] {
  const bytes = fs.readFileSync(file);
  const out: Uint8Array[] = [];
  for (const r of scanRecords(bytes, true).records) {
    const start = r.byteOffset - bytes.byteOffset - 12;
    out.push(new Uint8Array(bytes.subarray(start, start + r.byteLength + 16)));
  }
  return out;
}

function realFile(folder: string): string {
  const dir = path.join(realDir, folder);
  return path.join(dir, fs.readdirSync(dir).find((f) => f.includes('tfevents'))!);
}

const KERAS_RUN = 'logs/fit/20230727-194049';
/** The layouts, from the real files. */
function realLayout(): LayoutFile[] {
  const file = (folder: string, dest: string, before: number) => ({ dest: `${dest}/${path.basename(realFile(folder))}`, records: recordsOf(realFile(folder)), before });
  return [
    file('tf2-keras-mnist/train', `${KERAS_RUN}/train`, 1),
    file('tf2-keras-mnist/validation', `${KERAS_RUN}/validation`, 0),
    file('pt-sb3-dqn', 'lightning_logs/version_0', 1),
    file('tf1-golbin-hist', 'lightning_logs/version_1', 0),
    file('pt-fmnist-tutorial', 'runs/Nov22_12-18-03_1660a54c475f', 0),
    file('tf1-golbin-dqn', 'nested/exp/a/b/c', 0),
    file('tbx-ray-ppo', 'ray_results/PPO_cycle/PPO_0_2021-04-11', 2),
  ];
}

/** The same layouts from files built here (epoch-axis Keras scalars, step-axis PyTorch ones). */
function builtLayout(): LayoutFile[] {
  const t0 = 1_700_000_000;
  const keras = (offset: number) => [fileVersion(t0 + offset), ...Array.from({ length: 8 }, (_, e) => [
    tf2Scalar('epoch_loss', e, 1 / (e + 1) + offset, e === 0, t0 + e * 10 + offset),
    tf2Scalar('epoch_accuracy', e, 0.5 + e * 0.05, e === 0, t0 + e * 10 + offset),
  ]).flat()];
  const steps = (tag: string, n: number, every: number) => [fileVersion(t0), ...Array.from({ length: n }, (_, i) => legacyScalar(tag, (i + 1) * every, 2 / (i + 1), t0 + i))];
  return [
    { dest: `${KERAS_RUN}/train/events.out.tfevents.1.h.0.v2`, records: keras(0), before: 1 },
    { dest: `${KERAS_RUN}/validation/events.out.tfevents.2.h.1.v2`, records: keras(5), before: 0 },
    { dest: 'lightning_logs/version_0/events.out.tfevents.3.h', records: steps('train_loss', 30, 50), before: 1 },
    { dest: 'lightning_logs/version_1/events.out.tfevents.4.h', records: steps('train_loss', 12, 50), before: 0 },
    { dest: 'runs/Nov22_12-18-03_host/events.out.tfevents.5.h', records: steps('loss', 20, 500), before: 0 },
    { dest: 'nested/exp/a/b/c/events.out.tfevents.6.h', records: steps('avg.reward/ep.', 25, 1), before: 0 },
    { dest: 'ray_results/PPO_cycle/PPO_0/events.out.tfevents.7.h', records: steps('ray/tune/total_loss', 200, 4000), before: 2 },
  ];
}

/** The order the records are appended in: each run's writers merged by wall time, runs taking turns. */
function schedule(files: LayoutFile[]): { file: LayoutFile; record: Uint8Array }[] {
  const byRun = new Map<string, { file: LayoutFile; record: Uint8Array; wall: number; seq: number }[]>();
  for (const file of files) {
    const run = runOf(file.dest);
    const list = byRun.get(run) ?? [];
    file.records.slice(file.before).forEach((record, i) => list.push({ file, record, wall: wallTimeOf(record), seq: i }));
    byRun.set(run, list);
  }
  const queues = [...byRun.values()].map((list) => list.sort((a, b) => a.wall - b.wall || a.seq - b.seq));
  const out: { file: LayoutFile; record: Uint8Array }[] = [];
  for (let i = 0; queues.some((q) => i < q.length); i++) for (const q of queues) if (i < q.length) out.push(q[i]!);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes the `before` records of each file, then appends the rest one write per record, yielding now and then. */
async function write(root: string, files: LayoutFile[], started: () => void): Promise<void> {
  for (const f of files) {
    if (f.before === 0) continue;
    fs.mkdirSync(path.dirname(path.join(root, f.dest)), { recursive: true });
    fs.writeFileSync(path.join(root, f.dest), Buffer.concat(f.records.slice(0, f.before)));
  }
  started();
  const order = schedule(files);
  // About 100 pauses, each longer than the watcher's shortest poll, so it reads while the files grow.
  const every = Math.max(1, Math.ceil(order.length / 100));
  for (let i = 0; i < order.length; i++) {
    const { file, record } = order[i]!;
    const dest = path.join(root, file.dest);
    if (!fs.existsSync(dest)) fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.appendFileSync(dest, record);
    if (i % every === every - 1) await sleep(25);
  }
}

/** Each run's epochs as a one-shot read of the finished files gives them. */
function expectedEpochs(root: string, mapping: TagMapping, axes?: Map<string, string | undefined>): Map<string, EpochEvent[]> {
  const out = new Map<string, EpochEvent[]>();
  for (const run of discoverRuns(root).runs) {
    const source = new RunSource(run, { mapping });
    source.poll(true);
    const events = source.assemble(false).events;
    out.set(run.name, events.filter((e): e is EpochEvent => e.type === 'epoch'));
    axes?.set(run.name, events.find((e): e is StartEvent => e.type === 'start')?.axis);
  }
  return out;
}

const MAPPING: TagMapping = { 'avg.reward/ep.': 'trainLoss' };
/** The run each file belongs to: its folder, or the folder above Keras' split folders. */
function runOf(dest: string): string {
  const dir = path.posix.dirname(dest);
  return /\/(train|validation)$/.test(dir) ? path.posix.dirname(dir) : dir;
}
const runNames = (files: LayoutFile[]) => [...new Set(files.map((f) => runOf(f.dest)))].sort();

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

function suite(kind: string, layout: () => LayoutFile[]): void {
  describe(`watching the common layouts live (${kind})`, () => {
    it('every epoch of every layout reaches the watcher while the files are written record by record', async () => {
      const root = folder();
      const files = layout();
      const seen = new Map<string, Map<number, EpochEvent>>();
      const latest = new Map<string, RunEvent[]>();
      let written = false;
      const firstSeenWhileWriting = new Set<string>();
      let watcher: RunWatcher | undefined;
      try {
        await write(root, files, () => {
          watcher = new RunWatcher(root, {
            mapping: MAPPING, minPollMs: 20, maxPollMs: 100,
            onUpdate: (u) => {
              latest.set(u.target.name, u.events);
              const map = seen.get(u.target.name) ?? new Map<number, EpochEvent>();
              for (const e of u.reset ? u.events : u.appended) if (e.type === 'epoch') map.set(e.epoch, e);
              seen.set(u.target.name, map);
              if (!written && map.size > 0) firstSeenWhileWriting.add(u.target.name);
            },
          });
          watcher.start();
        });
        written = true;
        const expected = expectedEpochs(root, MAPPING);
        assert.deepEqual([...expected.keys()].sort(), runNames(files), 'each layout is found as one run');
        const caughtUp = () => [...expected].every(([name, epochs]) => {
          const now = (latest.get(name) ?? []).filter((e): e is EpochEvent => e.type === 'epoch');
          return now.length === epochs.length;
        });
        await until(caughtUp, 20_000);
        for (const [name, epochs] of expected) {
          assert.ok(epochs.length > 0, `${name}: the one-shot read finds epochs`);
          const map = seen.get(name);
          assert.ok(map, `${name}: the watcher reported the run`);
          for (const e of epochs) {
            const got = map.get(e.epoch);
            assert.ok(got, `${name}: epoch ${e.epoch} (step ${e.step}) reached the watcher`);
            assert.equal(got.step, e.step, `${name}: epoch ${e.epoch}'s step`);
          }
          const now = (latest.get(name) ?? []).filter((x): x is EpochEvent => x.type === 'epoch');
          assert.deepEqual(now.map((x) => [x.step, x.train.loss, x.val?.loss]), epochs.map((x) => [x.step, x.train.loss, x.val?.loss]), `${name}: the live run equals the one-shot read`);
        }
        // Live, not read in one lump at the end: the Keras pair showed epochs while it was written.
        assert.ok(firstSeenWhileWriting.has(KERAS_RUN), 'the Keras run had epochs before its writers finished');
        const keras = expected.get(KERAS_RUN)!;
        assert.ok(keras.every((e) => e.val !== undefined), 'every Keras epoch has its validation values');
      } finally {
        watcher?.close();
      }
    });

    it('`fitcheck watch` prints every epoch of every layout live, with the step where the log has one', { skip: fs.existsSync(cli) ? false : 'dist/cli.mjs is not built (run node esbuild.mjs)' }, async () => {
      const root = folder();
      const files = layout();
      let stdout = '';
      let stderr = '';
      // Started on an empty folder: every run starts after the watch began.
      const child = spawn(process.execPath, [cli, 'watch', root, '--no-color', '--map', 'avg.reward/ep.=trainLoss'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        assert.ok(await until(() => stdout.includes('Watching'), 10_000), `the watch started: ${stderr}`);
        await write(root, files, () => {});
        const axes = new Map<string, string | undefined>();
        const expected = expectedEpochs(root, MAPPING, axes);
        // A run logged by global step is printed by step; one logged by epoch by epoch, with its step when it differs.
        const lines = [...expected].flatMap(([name, epochs]) => epochs.map((e) => (axes.get(name) === 'step'
          ? `[${name}] step ${e.step ?? e.epoch}  `
          : `[${name}] epoch ${e.epoch}${e.step !== undefined && e.step !== e.epoch ? ` (step ${e.step})` : ''}  `)));
        await until(() => lines.every((l) => stdout.includes(l)), 30_000);
        if (process.env.WATCH_DUMP) fs.writeFileSync(process.env.WATCH_DUMP, stdout);
        for (const line of lines) assert.ok(stdout.includes(line), `printed: ${line.trim()}\n--- stdout tail:\n${stdout.slice(-2000)}\n--- stderr:\n${stderr}`);
        assert.ok(lines.some((l) => /\] step \d+/.test(l)) && lines.some((l) => /\] epoch \d+/.test(l)), 'both a step axis and an epoch axis were printed');
        assert.doesNotMatch(stderr, /skipped|error/i);
      } finally {
        child.kill('SIGINT');
      }
      assert.equal(await exited, 0);
    });
  });
}

suite('files built here', builtLayout);
if (fs.existsSync(realDir)) suite('real TensorBoard files from ../shared/tfevents', realLayout);
else it('watches the real TensorBoard files live', { skip: 'the real TensorBoard files are absent (../shared/tfevents not found)' }, () => {});
