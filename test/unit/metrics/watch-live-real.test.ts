/**
 * Real TensorBoard logs (../shared/tfevents) followed live: copies of the files are written record by
 * record, in the order their writers wrote them, into the folder layouts Keras, Lightning, Hugging
 * Face and nested experiment trees use, all after the watch began. Every epoch must reach both the
 * watcher's updates and the `fitcheck watch` output. Skips, saying why, when the folder is absent.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { epochLine, runWatch } from '../../../cli/watch-command.js';
import type { EpochEvent, RunEvent, StartEvent } from '../../../metrics/diagnosis/events.js';
import { decodeEventRecord } from '../../../metrics/tfevents/proto.js';
import { frameRecord, scanRecords } from '../../../metrics/tfevents/tfrecord.js';
import { discoverRuns } from '../../../metrics/watch/discover.js';
import { RunSource } from '../../../metrics/watch/run-source.js';
import { RunWatcher } from '../../../metrics/watch/watcher.js';
import { tempFolders } from './event-file-builder.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const realDir = path.resolve(repoRoot, '..', 'shared', 'tfevents');
const absent = fs.existsSync(realDir) ? false : `${realDir} is absent (real TensorBoard logs are not shipped with the project)`;
const folder = tempFolders();

/** One record of a real file, to be written to `file` (a path under the watched folder). */
interface Pending {
  file: string;
  data: Uint8Array;
  wallTime: number;
  tags: string[];
}

/** The records of the real file in `source`, bound for `into` under the watched folder. */
function recordsOf(source: string, into: string): Pending[] {
  const dir = path.join(realDir, source);
  const name = fs.readdirSync(dir).find((f) => f.includes('tfevents'))!;
  return scanRecords(fs.readFileSync(path.join(dir, name)), true).records.map((data) => {
    const event = decodeEventRecord(data);
    return { file: path.join(into, name), data, wallTime: event.wallTime ?? 0, tags: (event.summary?.value ?? []).map((v) => v.tag ?? '') };
  });
}

/** Waits until `check` holds (the watch works on timers and file-system events); fails after `ms`. */
async function until(check: () => boolean, what: () => string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const epochsOf = (events: readonly RunEvent[]) => events.filter((e): e is EpochEvent => e.type === 'epoch');

/** What a one-off read of the finished folder gives per run: its start and epochs. */
function finishedRuns(root: string): Map<string, { start: StartEvent; epochs: EpochEvent[] }> {
  const out = new Map<string, { start: StartEvent; epochs: EpochEvent[] }>();
  for (const run of discoverRuns(root).runs) {
    const source = new RunSource(run);
    source.poll(true);
    const events = source.assemble(false).events;
    out.set(run.name, { start: events.find((e): e is StartEvent => e.type === 'start')!, epochs: epochsOf(events) });
  }
  return out;
}

describe('real logs followed live, record by record', { skip: absent }, () => {
  it("follows Keras' train/ and validation/ writers, Lightning, Hugging Face and nested runs that start after the watch, epoch by epoch, in the watcher and the CLI", async () => {
    const root = folder();
    const keras = path.join('logs', 'fit', '20230727-193409');
    const lightning = path.join('lightning_logs', 'version_0');
    const huggingFace = path.join('runs', 'Jul27_19-34-09_host');
    const nested = path.join('sb3', 'buffer_size=1000000', 'seed_3', 'DQN_1');
    // Keras' two writers interleave as they wrote (validation at each epoch's end).
    const kerasRecords = [...recordsOf('tf2-keras-mnist/train', path.join(root, keras, 'train')), ...recordsOf('tf2-keras-mnist/validation', path.join(root, keras, 'validation'))]
      .sort((a, b) => a.wallTime - b.wallTime);
    const others = [
      ...recordsOf('pt-fmnist-tutorial', path.join(root, lightning)),
      ...recordsOf('tf1-golbin-hist', path.join(root, huggingFace)),
      ...recordsOf('pt-sb3-dqn', path.join(root, nested)),
    ];

    // The watcher (what the editor runs) and the CLI, both started on the empty folder.
    const epochsSeen = new Map<string, EpochEvent[]>();
    let updates = 0;
    const listed = new Set<string>();
    const watcher = new RunWatcher(root, {
      minPollMs: 20,
      onRuns: (runs) => runs.forEach((r) => listed.add(r.name)),
      onUpdate: (u) => {
        updates += 1;
        const list = u.reset ? [] : epochsSeen.get(u.target.name) ?? [];
        for (const e of u.reset ? u.events : u.appended) if (e.type === 'epoch') list.push(e);
        epochsSeen.set(u.target.name, list);
      },
    });
    let printed = '';
    const controller = new AbortController();
    const cli = runWatch(root, { once: false, json: false, color: false, signal: controller.signal, minPollMs: 20 }, { stdout: (s) => { printed += s; }, stderr: (s) => { printed += s; } });
    watcher.start();
    try {
      // Keras: after the validation writer's last value of each epoch, that epoch must arrive before the next is written.
      let kerasEpochs = 0;
      let validating = false;
      for (const r of kerasRecords) {
        fs.mkdirSync(path.dirname(r.file), { recursive: true });
        fs.appendFileSync(r.file, frameRecord(r.data));
        // The validation/ writer appears only at the first epoch's end: until then the watch sees train/ alone.
        if (!validating && r.file.includes(`${path.sep}train${path.sep}`) && r.tags.length > 0) {
          validating = true;
          await new Promise((resolve) => setTimeout(resolve, 400));
        }
        if (r.file.includes(`${path.sep}validation${path.sep}`) && r.tags.includes('epoch_accuracy')) {
          kerasEpochs += 1;
          const name = keras.split(path.sep).join('/');
          await until(() => (epochsSeen.get(name)?.length ?? 0) >= kerasEpochs && new RegExp(`\\[${name}\\] epoch ${kerasEpochs} \\(`).test(printed),
            () => `Keras epoch ${kerasEpochs} (watcher has ${epochsSeen.get(name)?.length ?? 0}); printed:\n${printed}`);
        }
      }
      assert.equal(kerasEpochs, 10);
      // The other layouts, record by record, yielding now and then so the watch reads them as they grow.
      for (const [i, r] of others.entries()) {
        fs.mkdirSync(path.dirname(r.file), { recursive: true });
        fs.appendFileSync(r.file, frameRecord(r.data));
        if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const expected = finishedRuns(root);
      assert.deepEqual([...expected.keys()], ['lightning_logs/version_0', 'logs/fit/20230727-193409', 'runs/Jul27_19-34-09_host', 'sb3/buffer_size=1000000/seed_3/DQN_1']);
      for (const [name, run] of expected) {
        assert.ok(run.epochs.length > 0, `${name} has epochs`);
        const lines = run.epochs.map((e) => `[${name}] ${epochLine(e, run.start)}`);
        await until(() => (epochsSeen.get(name)?.length ?? 0) >= run.epochs.length && lines.every((l) => printed.includes(`${l}\n`)),
          () => `${name}: ${run.epochs.length} epochs (watcher has ${epochsSeen.get(name)?.length ?? 0}); missing line ${lines.find((l) => !printed.includes(l))}`);
        assert.deepEqual(epochsSeen.get(name)!.map((e) => [e.epoch, e.step, e.train.loss]), run.epochs.map((e) => [e.epoch, e.step, e.train.loss]), name);
        // Each epoch printed once, in order.
        const at = lines.map((l) => printed.indexOf(`${l}\n`));
        assert.deepEqual(at, [...at].sort((a, b) => a - b), `${name}: epochs printed in order`);
        for (const l of lines) assert.equal(printed.split(`${l}\n`).length, 2, `printed once: ${l}`);
      }
      // The step axis where the log has one (the RL run logs by timestep), epochs where Keras logs epochs.
      assert.match(printed, /\[sb3\/buffer_size=1000000\/seed_3\/DQN_1\] step \d+ {2}loss/);
      assert.match(printed, /\[logs\/fit\/20230727-193409\] epoch 10 \(step 9\) {2}loss 0\.1805/);
      // One run per Keras pair: the train/ writer alone was never listed as a run of its own.
      assert.deepEqual([...listed].sort(), [...expected.keys()]);
      assert.equal(watcher.runs.length, 4);
      assert.doesNotMatch(printed, /\[logs\/fit\/20230727-193409\/train\]/);
      assert.ok(updates > expected.size, 'updates came as the files grew, not all at once');
    } finally {
      watcher.close();
      controller.abort();
    }
    assert.equal(await cli, 0);
  });
});
