/**
 * The event-file reader on real TensorBoard files written by TF1, TF2/Keras, PyTorch and tensorboardX
 * (../shared/tfevents, see its README), intact and with damage made here: truncation, a flipped byte,
 * garbage between records. The folder is not shipped with the project; without it one test says so.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { EventFileReader } from '../../../metrics/readers/event-file.js';
import type { ReaderUpdate } from '../../../metrics/readers/reader.js';
import type { ScalarPoint } from '../../../metrics/diagnosis/scalars.js';
import { scanRecords } from '../../../metrics/tfevents/tfrecord.js';
import { tempDir } from '../../unit/metrics/event-file-builder.js';

/** The repository root (this file runs from out/test/unit/metrics). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const realDir = path.resolve(repoRoot, '..', 'shared', 'tfevents');

/** The one event file in a folder of ../shared/tfevents. */
function eventFile(folder: string): string {
  const dir = path.join(realDir, folder);
  const name = fs.readdirSync(dir).find((f) => f.includes('tfevents'));
  assert.ok(name, `no event file in ${dir}`);
  return path.join(dir, name);
}

/** Reads a whole file at once, as a finished run is read. */
function readAll(file: string, maxRead?: number): { update: ReaderUpdate; reader: EventFileReader } {
  const reader = new EventFileReader(file, maxRead);
  const update = reader.poll(true);
  for (let update2 = update; update2.more; ) {
    update2 = reader.poll(true);
    update.points.push(...update2.points);
    update.issues.push(...update2.issues);
    update.more = update2.more;
  }
  return { update, reader };
}

const tagCounts = (points: ScalarPoint[]) => {
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.tag, (counts.get(p.tag) ?? 0) + 1);
  return counts;
};

/** A deterministic PRNG so a failure names a reproducible offset. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** Start offset and total framed length of every record of an intact file. */
function recordSpans(bytes: Buffer): { start: number; length: number }[] {
  return scanRecords(bytes, true).records.map((r) => ({ start: r.byteOffset - bytes.byteOffset - 12, length: r.byteLength + 16 }));
}

/**
 * An independent reading of the wire: every `simple_value` (Summary.Value field 2) with its event's
 * step and wall time, decoded by hand rather than by protobufjs, so presence rules cannot hide a value.
 */
function wireSimpleValues(bytes: Buffer): ScalarPoint[] {
  type Field = [number, number, number | Buffer];
  const fields = (b: Buffer): Field[] => {
    const out: Field[] = [];
    let i = 0;
    const varint = () => {
      let v = 0;
      for (let m = 1; ; m *= 128) {
        const x = b[i++]!;
        v += (x & 0x7f) * m;
        if (x < 128) return v;
      }
    };
    while (i < b.length) {
      const key = varint();
      const wire = key & 7;
      const size = wire === 0 ? 0 : wire === 1 ? 8 : wire === 5 ? 4 : wire === 2 ? varint() : Number.NaN;
      assert.ok(!Number.isNaN(size), `wire type ${wire}`);
      out.push([Math.floor(key / 8), wire, wire === 0 ? varint() : b.subarray(i, (i += size))]);
    }
    return out;
  };
  const points: ScalarPoint[] = [];
  for (const record of scanRecords(bytes, true).records) {
    const event = fields(Buffer.from(record.buffer, record.byteOffset, record.byteLength));
    const wall = event.find((f) => f[0] === 1)?.[2] as Buffer | undefined;
    const step = (event.find((f) => f[0] === 2)?.[2] as number | undefined) ?? 0;
    for (const [, , summary] of event.filter((f) => f[0] === 5)) {
      for (const [, , value] of fields(summary as Buffer).filter((f) => f[0] === 1)) {
        const parts = fields(value as Buffer);
        const simple = parts.find((f) => f[0] === 2 && f[1] === 5)?.[2] as Buffer | undefined;
        if (!simple) continue;
        const tag = (parts.find((f) => f[0] === 1)?.[2] as Buffer | undefined)?.toString('utf8') ?? '';
        points.push({ tag, step, value: simple.readFloatLE(0), wallTime: wall ? wall.readDoubleLE(0) : Number.NaN });
      }
    }
  }
  return points;
}

interface Expectation {
  folder: string;
  /** Scalar tags and their point counts; `undefined` counts are only required to be present. */
  tags: Record<string, number | undefined>;
  /** Whether `tags` is every scalar tag of the file. */
  exact: boolean;
  /** Tags on the wire that are not scalars (histograms, PR curves, images) and must not be read. */
  notScalars: string[];
  records?: [number, number];
  /** Only `simple_value` scalars: the hand-decoded wire must equal what the reader reads. */
  legacy: boolean;
  /** Why the wire check is expected to fail today (a known reader bug). */
  check?: (points: ScalarPoint[]) => void;
}

const keras = (points: ScalarPoint[]) => {
  for (const p of points) assert.ok(Number.isFinite(p.value) && Number.isFinite(p.wallTime), `${p.tag} ${p.step}`);
  for (const p of points.filter((q) => q.tag.includes('accuracy'))) assert.ok(p.value >= 0 && p.value <= 1, `${p.tag} ${p.value}`);
  assert.deepEqual(points.filter((p) => p.tag === 'epoch_loss').map((p) => p.step), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
};

const EXPECTED: Expectation[] = [
  { folder: 'tf1-golbin-dqn', tags: { 'avg.reward/ep.': 491 }, exact: true, notScalars: [], legacy: true },
  {
    folder: 'tf1-golbin-hist', tags: { 'optimizer/cost': 100 }, exact: true, legacy: true,
    notScalars: ['layer1/X', 'layer1/Weights', 'layer2/Weights', 'output/Weights', 'output/Model'],
  },
  {
    folder: 'tf2-keras-mnist/train', tags: { epoch_loss: 10, epoch_accuracy: 10 }, exact: true, legacy: false, check: keras,
    notScalars: ['keras', 'dense/kernel_0/histogram', 'dense/kernel_0/image', 'dense_1/bias_0/histogram'],
  },
  {
    folder: 'tf2-keras-mnist/validation', exact: true, legacy: false, check: keras, notScalars: [],
    tags: { epoch_loss: 10, epoch_accuracy: 10, evaluation_loss_vs_iterations: 10, evaluation_accuracy_vs_iterations: 10 },
  },
  {
    folder: 'pt-sb3-dqn', exact: true, legacy: true, notScalars: [],
    tags: { 'rollout/ep_len_mean': 200, 'rollout/ep_rew_mean': undefined, 'rollout/exploration rate': 200, 'time/fps': 200, 'train/learning_rate': 195, 'train/loss': 195 },
  },
  {
    folder: 'pt-fmnist-tutorial', tags: { 'training loss': 15 }, exact: true, legacy: true, notScalars: ['T-shirt/top', 'predictions vs. actuals'],
  },
  {
    folder: 'tbx-ray-ppo', exact: false, legacy: true, records: [18_500, 19_500],
    notScalars: ['ray/tune/hist_stats/episode_reward', 'ray/tune/hist_stats/episode_lengths'],
    tags: { 'ray/tune/info/learner/default_policy/total_loss': 500, 'ray/tune/episode_reward_mean': 498, 'ray/tune/timesteps_total': 500 },
  },
];

if (!fs.existsSync(realDir)) {
  test('real TensorBoard event files', { skip: 'the real TensorBoard files are absent (../shared/tfevents not found)' }, () => {});
} else {
  describe('real TensorBoard event files', () => {
    for (const want of EXPECTED) {
      test(`${want.folder}: every record is intact and its scalar tags are read as the README describes`, () => {
        const { update, reader } = readAll(eventFile(want.folder));
        assert.deepEqual(update.issues, []);
        assert.equal(reader.undecodable, 0);
        assert.ok(reader.records > 0);
        if (want.records) assert.ok(reader.records >= want.records[0] && reader.records <= want.records[1], `${reader.records} records`);
        const counts = tagCounts(update.points);
        for (const [tag, count] of Object.entries(want.tags)) {
          assert.ok(counts.has(tag), `tag ${tag} missing`);
          if (count !== undefined) assert.equal(counts.get(tag), count, tag);
        }
        if (want.exact) assert.deepEqual([...counts.keys()].sort(), Object.keys(want.tags).sort());
        for (const tag of want.notScalars) assert.equal(counts.has(tag), false, `${tag} read as a scalar`);
        for (const p of update.points) assert.ok(Number.isInteger(p.step) && p.step >= 0, `${p.tag} step ${p.step}`);
        want.check?.(update.points);
      });
      if (want.legacy) {
        test(`${want.folder}: every simple_value on the wire, zeros included, is read with its step and wall time`, () => {
          const file = eventFile(want.folder);
          assert.deepEqual(readAll(file).update.points, wireSimpleValues(fs.readFileSync(file)));
        });
      }
    }

    test('tbx-ray-ppo: all 36 scalar tags on the wire are read', () => {
      const file = eventFile('tbx-ray-ppo');
      assert.equal(new Set(wireSimpleValues(fs.readFileSync(file)).map((p) => p.tag)).size, 36);
      assert.equal(tagCounts(readAll(file).update.points).size, 36);
    });

    test('a real file read in small bounded steps gives the same points as one read', () => {
      const file = eventFile('tbx-ray-ppo');
      assert.deepEqual(readAll(file, 64 * 1024).update.points, readAll(file).update.points);
    });

    describe('damaged copies of real files', () => {
      let dir = '';
      let cleanup = () => {};
      let n = 0;
      before(() => ({ dir, cleanup } = tempDir()));
      after(() => cleanup());
      const write = (bytes: Uint8Array) => {
        const file = path.join(dir, `events.out.tfevents.${++n}.damaged`);
        fs.writeFileSync(file, bytes);
        return file;
      };

      for (const folder of ['tf1-golbin-dqn', 'tf2-keras-mnist/train', 'pt-sb3-dqn']) {
        const load = () => {
          const bytes = fs.readFileSync(eventFile(folder));
          return { bytes, spans: recordSpans(bytes), intact: readAll(eventFile(folder)).update.points };
        };

        test(`${folder}: a file growing in uneven appends is tailed to exactly the points of one read`, () => {
          const { bytes, intact } = load();
          const next = rng(11);
          const file = write(new Uint8Array(0));
          const reader = new EventFileReader(file);
          const points: ScalarPoint[] = [];
          for (let at = 0; at < bytes.length; ) {
            const to = Math.min(bytes.length, at + 1 + Math.floor(next() * 40_000));
            fs.appendFileSync(file, bytes.subarray(at, to));
            at = to;
            const update = reader.poll(false);
            assert.deepEqual(update.issues, []);
            points.push(...update.points);
          }
          assert.deepEqual(points, intact);
        });

        test(`${folder}: truncated mid-record, the final read reports an incomplete record and keeps every earlier point`, () => {
          const { bytes, spans, intact } = load();
          const next = rng(23);
          for (let trial = 0; trial < 5; trial++) {
            const k = 1 + Math.floor(next() * (spans.length - 1));
            const span = spans[k]!;
            const cut = span.start + 1 + Math.floor(next() * (span.length - 1));
            const expected = readAll(write(bytes.subarray(0, span.start))).update.points;
            assert.deepEqual(intact.slice(0, expected.length), expected);
            const { update } = readAll(write(bytes.subarray(0, cut)));
            assert.deepEqual(update.points, expected, `cut at ${cut} in record ${k}`);
            assert.equal(update.issues.length, 1);
            assert.match(update.issues[0]!.message, new RegExp(`^skipped ${cut - span.start} bytes at offset ${span.start}: an incomplete record`));
          }
        });

        test(`${folder}: one flipped byte loses exactly the record holding it and keeps all the others`, () => {
          const { bytes, spans } = load();
          const next = rng(5);
          for (const at of [Math.floor(bytes.length / 2), ...Array.from({ length: 4 }, () => Math.floor(next() * bytes.length))]) {
            const k = spans.findIndex((s) => at >= s.start && at < s.start + s.length);
            const without = Buffer.concat([bytes.subarray(0, spans[k]!.start), bytes.subarray(spans[k]!.start + spans[k]!.length)]);
            const damaged = Buffer.from(bytes);
            damaged[at]! ^= 0x20;
            const { update, reader } = readAll(write(damaged));
            assert.equal(reader.records, spans.length - 1, `flip at ${at}`);
            assert.deepEqual(update.points, readAll(write(without)).update.points, `flip at ${at} in record ${k}`);
            assert.equal(update.issues.length, 1);
            assert.match(update.issues[0]!.message, new RegExp(`^skipped ${spans[k]!.length} bytes at offset ${spans[k]!.start}: `));
          }
        });

        test(`${folder}: 100 garbage bytes between two records lose nothing and give one issue`, () => {
          const { bytes, spans, intact } = load();
          const next = rng(9);
          const k = Math.floor(spans.length / 2);
          const garbage = Buffer.from(Array.from({ length: 100 }, () => Math.floor(next() * 256)));
          const damaged = Buffer.concat([bytes.subarray(0, spans[k]!.start), garbage, bytes.subarray(spans[k]!.start)]);
          const { update, reader } = readAll(write(damaged));
          assert.equal(reader.records, spans.length);
          assert.deepEqual(update.points, intact);
          assert.deepEqual(update.issues.map((i) => i.message), [`skipped 100 bytes at offset ${spans[k]!.start}: bytes that are not a valid record (bad length checksum)`]);
        });
      }
    });
  });
}
