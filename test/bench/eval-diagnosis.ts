/**
 * `npm run eval:diagnosis`: is the diagnosis right, and right at every seed? Trains every example
 * spec and every spec under test/fixtures/diagnosis at several seeds (data and training seed
 * together), reads every run in ../shared/tfevents, and prints expected against got per seed with
 * the count of contradictory remedies. Not a unit test: it trains hundreds of models.
 *
 *   node out/test/bench/eval-diagnosis.js [--seeds 5] [--only name,name] [--dir SPECS] [--markdown FILE]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnosis, EndEvent, InsightKind, RunEvent } from '../../metrics/diagnosis/events.js';
import { analyzeEvents } from '../../metrics/diagnosis/insights.js';
import { contradictions } from '../../metrics/diagnosis/remedies.js';
import { runInProcess } from '../../trainer/in-process.js';
import { validateSpec } from '../../trainer/spec/validate.js';
import type { RunSpec } from '../../trainer/spec/types.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const seedCount = Number(option('--seeds') ?? 5);
const only = option('--only')?.split(',');
const markdownFile = option('--markdown');
const root = process.cwd();
const specDirs = option('--dir') ? [path.resolve(option('--dir')!)] : [path.join(root, 'examples', 'runs'), path.join(root, 'test', 'fixtures', 'diagnosis')];
const tfeventsDir = path.resolve(root, '..', 'shared', 'tfevents');

/** What a real log should get: the truth of each folder in ../shared/tfevents. */
const LOG_TRUTH: Record<string, string> = {
  'pt-fmnist-tutorial': 'no-verdict', // a loss only, no accuracy
  'pt-sb3-dqn': 'no-verdict', // reinforcement learning
  'tbx-ray-ppo': 'no-verdict', // reinforcement learning
  'tf1-golbin-dqn': 'none', // nothing recognised as a loss: no epochs at all
  'tf1-golbin-hist': 'no-verdict', // a cost only
  'tf2-keras-mnist': 'good-fit', // 95 % training and validation accuracy, ε = 0.1
};

interface Row {
  name: string;
  expected: string;
  got: string[];
  right: number;
  contradictions: number;
  insights: string[];
}

/** A diagnosis as one word for the table: its regime, or its state. */
const verdictOf = (d: Diagnosis | null | undefined): string => (!d ? 'none' : d.state === 'decided' ? d.regime! : d.state);

/** Remedies a user sees together at the end: the diagnosis's and those of the insights still open. */
function contradictionCount(d: Diagnosis | null, events: readonly RunEvent[]): number {
  const open = analyzeEvents(events).open;
  const texts = [...(d?.remedies ?? []), ...open.flatMap((i) => i.remedies)];
  return contradictions([...new Set(texts)]).length;
}

function withSeed(spec: RunSpec, seed: number): RunSpec {
  const copy = structuredClone(spec);
  copy.training.seed = seed;
  copy.data.seed = seed;
  return copy;
}

async function evalSpecs(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const dir of specDirs) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.fitrun.json')).sort()) {
      const name = file.replace(/\.fitrun\.json$/, '');
      if (only && !only.includes(name)) continue;
      const { spec, errors } = validateSpec(fs.readFileSync(path.join(dir, file), 'utf8'));
      if (!spec) {
        console.error(`${file}: ${errors.map((e) => e.message).join('; ')}`);
        continue;
      }
      const expected = spec.expect?.state && spec.expect.state !== 'decided' ? spec.expect.state : spec.expect?.regime ?? '?';
      const row: Row = { name, expected, got: [], right: 0, contradictions: 0, insights: [] };
      const seen = new Set<InsightKind>();
      for (let seed = 1; seed <= seedCount; seed++) {
        const started = Date.now();
        const { events, end } = await runInProcess(withSeed(spec, seed), { baseDir: dir, includeSpec: false, runId: `${name}-${seed}` });
        const got = verdictOf((end as EndEvent).diagnosis);
        row.got.push(got);
        if (got === expected) row.right++;
        row.contradictions += contradictionCount(end.diagnosis, events);
        for (const k of end.insights ?? []) seen.add(k);
        process.stderr.write(`${name} seed ${seed}: ${got} (${((Date.now() - started) / 1000).toFixed(1)} s) ${got === expected ? '' : `✗ expected ${expected}: ${end.diagnosis?.summary ?? ''}`}\n`);
      }
      row.insights = [...seen];
      rows.push(row);
    }
  }
  return rows;
}

function evalLogs(): Row[] {
  const rows: Row[] = [];
  if (!fs.existsSync(tfeventsDir)) {
    console.error(`${tfeventsDir} is absent: the real-log part of the evaluation is skipped.`);
    return rows;
  }
  for (const name of fs.readdirSync(tfeventsDir).filter((f) => fs.statSync(path.join(tfeventsDir, f)).isDirectory()).sort()) {
    if (only && !only.includes(name)) continue;
    const result = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.mjs'), 'watch', '--once', '--json', path.join(tfeventsDir, name)], { encoding: 'utf8' });
    const summaries = result.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as EndEvent & { insights?: string[] });
    const d = summaries[0]?.diagnosis ?? null;
    const got = verdictOf(d);
    const expected = LOG_TRUTH[name] ?? '?';
    rows.push({ name: `tfevents/${name}`, expected, got: [got], right: got === expected ? 1 : 0, contradictions: contradictions(d?.remedies ?? []).length, insights: summaries[0]?.insights ?? [] });
  }
  return rows;
}

function table(rows: readonly Row[], seeds: number): string {
  const head = `| run | expected | ${Array.from({ length: seeds }, (_, i) => `seed ${i + 1}`).join(' | ')} | right | contradictions | insights |`;
  const rule = `| --- | --- | ${Array.from({ length: seeds }, () => '---').join(' | ')} | --- | --- | --- |`;
  const lines = rows.map((r) => {
    const cells = Array.from({ length: seeds }, (_, i) => {
      const g = r.got[i];
      return g === undefined ? '' : g === r.expected ? g : `**${g}** ✗`;
    });
    return `| ${r.name} | ${r.expected} | ${cells.join(' | ')} | ${r.right}/${r.got.length} | ${r.contradictions} | ${r.insights.join(', ')} |`;
  });
  return [head, rule, ...lines].join('\n');
}

const started = Date.now();
const specRows = await evalSpecs();
const logRows = evalLogs();
const runs = specRows.reduce((a, r) => a + r.got.length, 0) + logRows.length;
const right = [...specRows, ...logRows].reduce((a, r) => a + r.right, 0);
const contradictionsTotal = [...specRows, ...logRows].reduce((a, r) => a + r.contradictions, 0);
const out = [
  `Diagnosis evaluation: ${specRows.length} specs × ${seedCount} seeds and ${logRows.length} real logs; ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  '',
  table(specRows, seedCount),
  '',
  table(logRows, 1),
  '',
  `${right} of ${runs} verdicts as expected; ${contradictionsTotal} contradictory remedy pairs.`,
].join('\n');
console.log(out);
if (markdownFile) fs.writeFileSync(markdownFile, `${out}\n`);
process.exit(right === runs && contradictionsTotal === 0 ? 0 : 1);
