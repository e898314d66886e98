/**
 * `npm run bench:lint`, tfjs project section: a generated 200-module TensorFlow.js project where one
 * model module is imported by 20 training scripts (through a barrel for half of them). Measures the
 * re-analysis of those 20 dependents after a one-character edit in the model module (as the language
 * server does it for open dependents: ts-morph source file replaced, program and checker rebuilt,
 * links, analysis), the whole-project lint beside the same files linted one by one, and the language
 * server's memory after opening all 200 modules in a workspace. Writes the numbers to BENCHMARKS.md
 * (`--speed-only`: prints the speed figures, measures no memory and writes nothing).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as protocol from 'vscode-languageserver-protocol/node.js';
import { Linter } from '../../analyzers/linter.js';
import { TfjsProject } from '../../analyzers/project/tfjs-project.js';
import { loadAverage, machine, quantile, writeSection } from './bench-report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MODULES = 200;
const DEPENDENTS = 20;
const EDITS = 60;

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

/** Opens every file in the real server bundle with the folder as its workspace; the process's RSS in KiB before and after. */
async function serverMemory(dir: string, files: string[], workspace: boolean): Promise<{ before: number; after: number }> {
  const child = fork(path.join(root, 'dist', 'server.mjs'), ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
  const connection = protocol.createProtocolConnection(new protocol.IPCMessageReader(child), new protocol.IPCMessageWriter(child));
  connection.onRequest(protocol.ConfigurationRequest.type, (params) => params.items.map(() => ({})));
  connection.onNotification('window/logMessage', () => undefined);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.listen();
  const folder = pathToFileURL(dir).href;
  await connection.sendRequest(protocol.InitializeRequest.type, {
    processId: process.pid, rootUri: workspace ? folder : null, workspaceFolders: workspace ? [{ uri: folder, name: 'bench' }] : null,
    capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } },
  });
  await connection.sendNotification(protocol.InitializedNotification.type, {});
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rss();
  for (const file of files) {
    const uri = pathToFileURL(file).href;
    await connection.sendNotification(protocol.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text: fs.readFileSync(file, 'utf8') } });
    await connection.sendRequest(protocol.DocumentDiagnosticRequest.type, { textDocument: { uri } });
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = rss();
  await connection.sendRequest(protocol.ShutdownRequest.type).catch(() => undefined);
  await connection.sendNotification(protocol.ExitNotification.type).catch(() => undefined);
  connection.dispose();
  child.kill();
  return { before, after };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-tfjs-project-bench-'));
  try {
    const loads = [loadAverage()];
    const files = generate(dir);
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const lines = [...texts.values()].reduce((n, t) => n + t.split('\n').length, 0);
    const linter = await Linter.create();
    const modelFile = path.join(dir, 'model.ts');

    // Whole project, cold (a new ts-morph project each pass), beside the file-by-file lint.
    const whole: number[] = [];
    const single: number[] = [];
    for (let pass = 0; pass < 7; pass++) {
      let start = performance.now();
      const project = new TfjsProject(linter, [dir], (f) => texts.get(f));
      project.include(files);
      for (const file of files) project.lintModule(file);
      if (pass >= 2) whole.push(performance.now() - start);
      start = performance.now();
      for (const text of texts.values()) linter.lintScript(text);
      if (pass >= 2) single.push(performance.now() - start);
    }

    // The server's case: every module analysed once, then one-character edits in the model module.
    const project = new TfjsProject(linter, [dir], (f) => texts.get(f));
    project.include(files);
    for (const file of files) project.lintModule(file);
    const dependents = project.dependentsOf(modelFile);
    if (dependents.length !== DEPENDENTS) throw new Error(`expected ${DEPENDENTS} dependents, found ${dependents.length}`);
    const edits: number[] = [];
    for (let i = 0; i < EDITS + 5; i++) {
      const edited = MODEL.replace('rate: 0.25', `rate: 0.2${i % 10}`);
      const start = performance.now();
      project.setText(modelFile, edited);
      project.lintModule(modelFile);
      for (const file of project.dependentsOf(modelFile)) project.lintModule(file);
      if (i >= 5) edits.push(performance.now() - start);
    }
    const projectFiles = project.fileCount();
    loads.push(loadAverage());

    if (process.argv.includes('--speed-only')) {
      console.log(`edit: median ${quantile(edits, 0.5).toFixed(1)} p99 ${quantile(edits, 0.99).toFixed(1)}; whole ${quantile(whole, 0.5).toFixed(0)}; single ${quantile(single, 0.5).toFixed(0)}; load ${loads.join(' → ')}`);
      return;
    }
    const withProject = await serverMemory(dir, files, true);
    const alone = await serverMemory(dir, files, false);
    loads.push(loadAverage());
    const median = (s: number[]) => quantile(s, 0.5);
    const mb = (kib: number) => `${(kib / 1024).toFixed(0)} MB`;
    const body = `## TensorFlow.js project lint speed and server memory (\`npm run bench:lint\`, tfjs project section)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, load average ${loads.join(' → ')} (a shared machine: other work was running).
Project: generated, ${files.length} TypeScript modules (${lines} lines); \`model.ts\` (a small CNN factory) is imported by ${DEPENDENTS}
training scripts (half directly, half through an \`export *\` barrel); the other modules are tfjs helpers importing each other.
The ts-morph project held ${projectFiles} files after the whole-project lint.

| measurement | median ms | p99 ms | target |
| --- | --- | --- | --- |
| re-analysis after a one-character edit in \`model.ts\`: the model module and its ${DEPENDENTS} dependents (source file replaced, program and checker rebuilt, links, analysis), ${EDITS} edits | **${median(edits).toFixed(1)}** | **${quantile(edits, 0.99).toFixed(1)}** | ≤ 50 / ≤ 100 (the Python project's) |
| whole project, cold (new ts-morph project: parse, resolution, links, analysis of every module), 5 passes | ${median(whole).toFixed(0)} | ${quantile(whole, 0.99).toFixed(0)} | |
| the same files linted one by one (no project model), same run | ${median(single).toFixed(0)} | ${quantile(single, 0.99).toFixed(0)} | |

| language server RSS, all ${files.length} modules opened | before | after |
| --- | --- | --- |
| with the folder as workspace (project model) | ${mb(withProject.before)} | **${mb(withProject.after)}** |
| without a workspace folder (each file alone, as before), same run | ${mb(alone.before)} | ${mb(alone.after)} |
`;
    console.log(body);
    writeSection(root, 'bench:lint:tfjs-project', body);
    console.log('Wrote BENCHMARKS.md (tfjs project section)');
  } finally {
    if (!process.env.FITCHECK_BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
