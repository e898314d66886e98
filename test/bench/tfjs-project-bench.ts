/**
 * `npm run bench:lint`, tfjs project section: a generated 200-module TensorFlow.js project where one
 * model module is imported by 20 training scripts (through a barrel for half of them). Measures the
 * re-analysis of those 20 dependents after a one-character edit in the model module (as the language
 * server does it for open dependents: ts-morph source file replaced, program and checker rebuilt,
 * links, analysis) and the whole-project lint, each beside the same files linted one by one (interleaved
 * in the same run), and the language server's memory after opening all 200 modules in a workspace.
 * Writes the numbers to BENCHMARKS.md, or refuses to when a series spread too far (see bench-run.ts);
 * `--speed-only`: prints the speed figures, measures no memory and writes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from '../../analyzers/linter.js';
import { TfjsProject } from '../../analyzers/project/tfjs-project.js';
import { machine } from './bench-report.js';
import { BenchRun, interleave, summaryHeader, summaryRow } from './bench-run.js';
import { serverMemory, SETTLE_S } from './server-memory.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MODULES = 200;
const DEPENDENTS = 20;
const EDITS = 60;
/** Cold whole-project passes (FITCHECK_BENCH_ROUNDS), after WARMUP_ROUNDS unrecorded ones. */
const ROUNDS = Number(process.env['FITCHECK_BENCH_ROUNDS'] ?? 15);
/** The largest p90/p50 of any series before the run is refused as too noisy. */
const MAX_SPREAD = 1.5;
const WARMUP_ROUNDS = 6;
/** Passes over the touched files averaged into one sample of the file-by-file lint after an edit. */
const SINGLE_PASSES = 5;

const MODEL = `import * as tf from '@tensorflow/tfjs';

const HIDDEN = 128;

export function buildModel(classes: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: HIDDEN, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.dense({ units: classes }));
  return model;
}
`;

function dependent(i: number): string {
  const from = i % 2 === 0 ? './model' : './index';
  return `import * as tf from '@tensorflow/tfjs';
import { buildModel } from '${from}';
import { scale${i + 1} } from './util_${i + 1}';

export async function train${i}(xs: tf.Tensor4D, ys: tf.Tensor2D): Promise<tf.History> {
  const model = buildModel(${10 + i});
  model.compile({
    optimizer: tf.train.adam(0.001),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
    metrics: ['accuracy'],
  });
  const history = await model.fit(xs, ys, {
    epochs: ${5 + i}, batchSize: 32, validationSplit: 0.2,
    callbacks: tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: 3 }),
  });
  console.log(scale${i + 1}(history.history.loss.length));
  return history;
}
`;
}

function helper(i: number): string {
  const next = (i % (MODULES - DEPENDENTS - 3)) + 1;
  return `import * as tf from '@tensorflow/tfjs';
import { scale${next} } from './util_${next}';

export function scale${i}(x: number, factor = ${i}): number {
  return (x * factor) / Math.sqrt(${i + 1});
}

export function summary${i}(values: tf.Tensor[]): tf.Tensor {
  return tf.tidy(() => values.reduce((total, v) => total.add(v.mul(scale${next}(1))), tf.scalar(0)));
}
`;
}

/** Writes the project; returns its files. */
function generate(dir: string): string[] {
  const files: [string, string][] = [['model.ts', MODEL], ['index.ts', "export * from './model';\n"]];
  for (let i = 0; i < DEPENDENTS; i++) files.push([`train_${i}.ts`, dependent(i)]);
  for (let i = 1; files.length < MODULES; i++) files.push([`util_${i}.ts`, helper(i)]);
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  return files.map(([name]) => path.join(dir, name));
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-tfjs-project-bench-'));
  try {
    const run = new BenchRun('bench:lint:tfjs-project', MAX_SPREAD);
    const files = generate(dir);
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const lines = [...texts.values()].reduce((n, t) => n + t.split('\n').length, 0);
    const linter = await Linter.create();
    const modelFile = path.join(dir, 'model.ts');
    const timed = (fn: () => void) => () => {
      const start = performance.now();
      fn();
      return performance.now() - start;
    };

    // Whole project, cold (a new ts-morph project each pass), beside the file-by-file lint.
    let projectFiles = 0;
    const cold = [
      { name: 'whole', sample: timed(() => {
        const project = new TfjsProject(linter, [dir], (f) => texts.get(f));
        project.include(files);
        for (const file of files) project.lintModule(file);
        projectFiles = project.fileCount();
      }) },
      { name: 'single', sample: timed(() => { for (const text of texts.values()) linter.lintScript(text); }) },
    ];
    // V8 tiers the JS and wasm up over the first four or five passes (as in lint-bench.ts): not recorded.
    await interleave(WARMUP_ROUNDS, cold);
    const passes = await interleave(ROUNDS, cold);

    // The server's case: every module analysed once, then one-character edits in the model module, each
    // beside a file-by-file lint of the texts it touched.
    const project = new TfjsProject(linter, [dir], (f) => texts.get(f));
    project.include(files);
    for (const file of files) project.lintModule(file);
    const dependents = project.dependentsOf(modelFile);
    if (dependents.length !== DEPENDENTS) throw new Error(`expected ${DEPENDENTS} dependents, found ${dependents.length}`);
    let edit = 0;
    let touched = [texts.get(modelFile)!, ...dependents.map((f) => texts.get(f)!)];
    const editing = [
      { name: 'edit', sample: timed(() => {
        const edited = MODEL.replace('rate: 0.25', `rate: 0.2${edit++ % 10}`);
        project.setText(modelFile, edited);
        project.lintModule(modelFile);
        touched = [edited, ...project.dependentsOf(modelFile).map((f) => texts.get(f)!)];
        for (const file of project.dependentsOf(modelFile)) project.lintModule(file);
      }) },
      // The mean of SINGLE_PASSES passes: one pass (~9 ms) meets a ~10 ms scavenge every third sample.
      { name: 'single', sample: () => timed(() => { for (let k = 0; k < SINGLE_PASSES; k++) for (const text of touched) linter.lintScript(text); })() / SINGLE_PASSES },
    ];
    await interleave(20, editing);
    const edits = await interleave(EDITS, editing);

    const series = (samples: Map<string, number[]>, name: string, label: string) => summaryRow(label, run.measure(label, samples.get(name)!), 1);
    let body = `## TensorFlow.js project lint speed and server memory (\`npm run bench:lint\`, tfjs project section)

${machine()}; ${run.loadLine()}. Measured ${new Date().toISOString().slice(0, 10)}.
Project: generated, ${files.length} TypeScript modules (${lines} lines); \`model.ts\` (a small CNN factory) is imported by ${DEPENDENTS}
training scripts (half directly, half through an \`export *\` barrel); the other modules are tfjs helpers importing each other.
The ts-morph project held ${projectFiles} files after the whole-project lint. Each table's rows are interleaved (who goes first
rotates) after unrecorded warm-up rounds. Noise bound: every series' p90 ≤ ${MAX_SPREAD}× its p50, else nothing is recorded.

A one-character edit in \`model.ts\`, ${EDITS} edits: the model module and its ${DEPENDENTS} dependents re-analysed (source file replaced,
program and checker rebuilt, links, analysis), beside the same ${DEPENDENTS + 1} texts linted one by one without the project model
(a sample of that is the mean of ${SINGLE_PASSES} passes: a single pass of ~9 ms meets a ~10 ms garbage collection every third time).

${summaryHeader('ms', 'after one edit')}
${series(edits, 'edit', `Fitcheck, project model: the model and its ${DEPENDENTS} dependents (goal p50 ≤ 50, p99 ≤ 100)`)}
${series(edits, 'single', `Fitcheck, the same ${DEPENDENTS + 1} files one by one (no project model)`)}

The whole project, cold, ${ROUNDS} passes:

${summaryHeader('ms', 'one pass')}
${series(passes, 'whole', 'Fitcheck, project model (new ts-morph project: parse, resolution, links, analysis of every module)')}
${series(passes, 'single', 'Fitcheck, the same files one by one (no project model)')}
`;
    if (process.argv.includes('--speed-only')) {
      process.env['FITCHECK_BENCH_NO_WRITE'] = '1';
    } else {
      const documents = files.map((file) => ({ file, languageId: 'typescript', text: texts.get(file)! }));
      const withProject = await serverMemory(root, documents, { workspace: dir });
      const alone = await serverMemory(root, documents);
      const mb = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
      body += `
| language server RSS, all ${files.length} modules opened | at start | 3 s after the last analysis | idle ${SETTLE_S} s |
| --- | --- | --- | --- |
| with the folder as workspace (project model) | ${mb(withProject.before)} | ${mb(withProject.after)} | **${mb(withProject.settled)}** |
| without a workspace folder (each file alone), same run | ${mb(alone.before)} | ${mb(alone.after)} | ${mb(alone.settled)} |
`;
    }
    run.finish(root, body);
  } finally {
    if (!process.env.FITCHECK_BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
