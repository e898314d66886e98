/**
 * The run monitor with real PyTorch: `fitcheck run` on unchanged scripts, the evidence it finds and
 * where it puts it (the CLI's file:line and the language server's diagnostics), forwarding of a
 * SummaryWriter's scalars, Ctrl-C, and training results left unchanged. Skipped, with the reason,
 * where no Python with torch is found.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  DocumentDiagnosticRequest, DidOpenTextDocumentNotification, ConfigurationRequest, type Diagnostic, type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node.js';
import { fixturePath, repoRoot } from '../../unit/helpers.js';
import { bootstrap, cli, copyScript, events, evidenceLines, runCli, runFiles } from './monitor-run.js';
import { initializeServer, startServer, stopServer } from '../../unit/server-process.js';

/** The first interpreter that imports torch: $FITCHECK_TEST_PYTHON, Debian's python3, python3 on PATH. */
function torchPython(): string | undefined {
  for (const candidate of [process.env.FITCHECK_TEST_PYTHON, '/usr/bin/python3', 'python3']) {
    if (candidate && spawnSync(candidate, ['-c', 'import torch'], { timeout: 60_000 }).status === 0) return candidate;
  }
  return undefined;
}

const python = torchPython();
const skip = python ? false : 'no Python with torch found (set FITCHECK_TEST_PYTHON, or run scripts/provision.sh, which installs python3-torch)';
const realTensorboard = python && spawnSync(python, ['-c', 'import torch.utils.tensorboard'], { timeout: 60_000 }).status === 0;

/** The diagnostics the language server (dist/server.mjs, a real process) reports for `name` in workspace `dir`. */
async function serverDiagnostics(dir: string, name: string): Promise<FullDocumentDiagnosticReport> {
  const server = startServer((c) => {
    c.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
    c.onNotification('window/logMessage', () => undefined);
  });
  const { connection } = server;
  try {
    await initializeServer(connection, { path: dir, name: 'w' }, { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } });
    const uri = pathToFileURL(path.join(dir, name)).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: fs.readFileSync(path.join(dir, name), 'utf8') } });
    return await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as FullDocumentDiagnosticReport;
  } finally {
    await stopServer(server);
  }
}

describe('the run monitor with real PyTorch', { skip }, () => {
  let work: string;
  before(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-monitor-')); });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const copy = (name: string) => copyScript(work, name);

  it('leaves training results unchanged: the same final loss with and without the monitor', () => {
    for (const script of ['sigmoid_mlp', 'relu_mlp']) {
      const file = fixturePath('monitor', `${script}.py`);
      const plain = spawnSync(python!, [file, '60'], { encoding: 'utf8' });
      const monitored = spawnSync(python!, [file, '60'], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: bootstrap, FITCHECK_MONITOR_DIR: path.join(work, `same-${script}`) } });
      assert.equal(plain.status, 0, plain.stderr);
      assert.equal(monitored.status, 0, monitored.stderr);
      assert.match(plain.stdout, /final loss \d\.\d{8}/);
      assert.equal(monitored.stdout, plain.stdout);
      assert.equal(fs.readdirSync(path.join(work, `same-${script}`)).length, 1, 'the monitored run wrote one run file');
    }
  });

  it('finds vanishing gradients in a 12-layer sigmoid MLP and names the lines that create its early layers', async () => {
    const dir = copy('sigmoid_mlp');
    const result = await runCli(['run', '--json', '--', python!, 'sigmoid_mlp.py', '100'], dir);
    assert.equal(result.code, 0, result.stderr);
    const found = evidenceLines(result.stdout).filter((e) => e.kind === 'vanishing-gradients');
    const byLayer = new Map(found.map((e) => [e.layer, e.line]));
    // nn.Linear calls sit on lines 9, 11, 13… of the script: module paths 0, 2, 4…
    assert.equal(byLayer.get('0'), 9);
    assert.equal(byLayer.get('2'), 11);
    assert.equal(byLayer.get('4'), 13);
    assert.ok(!byLayer.has('22'), 'the last layer is the reference, not a finding');
    assert.equal(found[0]!.file, path.join(dir, 'sigmoid_mlp.py'));
    // The live stream: events as `fitcheck watch --json` prints them, the vanishing insight among them.
    assert.match(result.stdout, /"kind":"vanishing-gradients"/);
  });

  it('puts that evidence on the layer lines in the language server, and on the static finding of the sigmoid stack as related information', async () => {
    const dir = copy('sigmoid_mlp');
    const result = await runCli(['run', '--', python!, 'sigmoid_mlp.py', '60'], dir);
    assert.equal(result.code, 0, result.stderr);
    // The CLI's words: file:line per layer.
    assert.match(result.stdout, /sigmoid_mlp\.py:9: \[vanishing-gradients\] in run sigmoid_mlp, step 60: layer 0's gradient norm was/);
    const report = await serverDiagnostics(dir, 'sigmoid_mlp.py');
    const runtime = report.items.filter((d: Diagnostic) => d.source === 'fitcheck-run');
    const lines = runtime.filter((d) => d.code === 'vanishing-gradients').map((d) => d.range.start.line + 1);
    assert.ok(lines.includes(9) && lines.includes(11) && lines.includes(13), `runtime diagnostics on lines ${lines.join(', ')}`);
    assert.match(runtime[0]!.message, /^In run sigmoid_mlp, step 60: layer 0's gradient norm was/);
    const staticOnStack = report.items.filter((d) => d.source === 'fitcheck' && (d.relatedInformation ?? []).some((r) => r.message.startsWith('measured: ')));
    assert.ok(staticOnStack.length > 0, `a static finding carries the evidence: ${report.items.filter((d) => d.source === 'fitcheck').map((d) => `${String(d.code)}@${d.range.start.line + 1}`).join(', ')}`);
  });

  it("puts the evidence of a run watched with the helper's log.watch(model) on the lines that create the layers", async () => {
    const dir = copy('watched_sigmoid');
    const run = spawnSync(python!, ['watched_sigmoid.py', '60'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONPATH: path.join(repoRoot, 'python') } });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(fs.readdirSync(path.join(dir, 'runs')).length, 1, "the helper wrote its run in the script's runs/ folder");
    const report = await serverDiagnostics(dir, 'watched_sigmoid.py');
    const lines = report.items.filter((d: Diagnostic) => d.source === 'fitcheck-run' && d.code === 'vanishing-gradients').map((d) => d.range.start.line + 1);
    // One more import than sigmoid_mlp.py: the nn.Linear calls sit on lines 10, 12, 14…
    assert.ok(lines.includes(10) && lines.includes(12) && lines.includes(14), `runtime diagnostics on lines ${lines.join(', ')}`);
  });

  it('finds nothing to report in a healthy ReLU network, while it records its gradients and dead-unit fractions', async () => {
    const dir = copy('relu_mlp');
    const result = await runCli(['run', '--json', '--', python!, 'relu_mlp.py', '200'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(evidenceLines(result.stdout), []);
    const [file] = runFiles(dir);
    const scalars = events(file!).filter((e) => e.type === 'scalars');
    assert.equal(scalars.length, 20);
    const last = scalars[scalars.length - 1]!.values!;
    for (const tag of ['train/batch_loss', 'train/lr', 'grad_norm/fc1', 'grad_norm/fc2', 'grad_norm/head', 'dead_frac/act1', 'dead_frac/act2']) assert.equal(typeof last[tag], 'number', tag);
    assert.equal(events(file!).at(-1)!.status, 'completed');
  });

  it("forwards a SummaryWriter's scalars to the monitor while the writer still writes all of its own records (tensorboardX stand-in)", async () => {
    const dir = copy('summary_writer');
    const env = { ...process.env, PYTHONPATH: fixturePath('monitor', 'standin') };
    // Without torch's tensorboard the script falls back to the tensorboardX stand-in on PYTHONPATH.
    const result = await runCli(['run', '--json', '--', python!, 'summary_writer.py', 'tb'], dir, env);
    assert.equal(result.code, 0, result.stderr);
    if (!realTensorboard) {
      const own = fs.readFileSync(path.join(dir, 'tb', 'events.standin.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tag: string });
      assert.equal(own.filter((r) => r.tag === 'Loss/train').length, 5);
      assert.equal(own.filter((r) => r.tag.startsWith('extra/')).length, 10);
    }
    const [file] = runFiles(dir);
    const forwarded = events(file!).filter((e) => e.type === 'scalars' && e.values && 'Loss/train' in e.values);
    assert.equal(forwarded.length, 5);
    assert.ok(events(file!).some((e) => e.values?.['extra/b'] === 2));
  });

  it("forwards torch's own SummaryWriter and keeps its TensorBoard event files", { skip: realTensorboard ? false : 'torch.utils.tensorboard does not import with this Python (Debian packages no tensorboard for it; monitor-frameworks.test.ts runs this with torch 2.14 and tensorboard 2.21)' }, async () => {
    const dir = copy('summary_writer');
    const result = await runCli(['run', '--json', '--', python!, 'summary_writer.py', 'tb'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fs.readdirSync(path.join(dir, 'tb')).some((f) => f.startsWith('events.out.tfevents.')));
    const [file] = runFiles(dir);
    assert.equal(events(file!).filter((e) => e.values && 'Loss/train' in e.values).length, 5);
  });

  it("adds a callback to Keras' Model.fit that records each epoch's logs, and keeps the script's own callbacks (Keras stand-in)", async () => {
    const dir = copy('keras_fit');
    const result = await runCli(['run', '--json', '--', python!, 'keras_fit.py'], dir, { ...process.env, PYTHONPATH: fixturePath('monitor', 'standin') });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /own callback saw 3 epochs/);
    const [file] = runFiles(dir);
    const epochs = events(file!).filter((e) => e.type === 'scalars');
    assert.deepEqual(epochs.map((e) => e.step), [1, 2, 3]);
    assert.deepEqual(epochs[2]!.values, { loss: 1 / 3, accuracy: 0.5 + 0.1 * 2, val_loss: 1.2 / 3, val_accuracy: 0.45 + 0.1 * 2 });
  });

  it("appends a callback to PyTorch Lightning's Trainer that records each epoch's callback_metrics, and keeps the script's own (Lightning stand-in)", async () => {
    const dir = copy('lightning_fit');
    const result = await runCli(['run', '--json', '--', python!, 'lightning_fit.py'], dir, { ...process.env, PYTHONPATH: fixturePath('monitor', 'standin') });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /own callback saw 3 epochs/);
    assert.match(result.stdout, /pickled trainer has 2 callbacks/, 'a trainer with the callback still pickles (ddp_spawn sends it to its processes)');
    const [file] = runFiles(dir);
    const epochs = events(file!).filter((e) => e.type === 'scalars');
    assert.deepEqual(epochs.map((e) => e.step), [4, 8, 12], "at the trainer's global step (the script itself calls no backward())");
    assert.deepEqual(epochs[2]!.values, { train_loss: 1 / 3, val_loss: 0.5, epoch: 2 });
  });

  it("adds a callback to Hugging Face's Trainer that records every on_log dict, and keeps the script's own (transformers stand-in)", async () => {
    const dir = copy('hf_trainer');
    const result = await runCli(['run', '--json', '--', python!, 'hf_trainer.py'], dir, { ...process.env, PYTHONPATH: fixturePath('monitor', 'standin') });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /own callback saw 4 logs/);
    const [file] = runFiles(dir);
    const logs = events(file!).filter((e) => e.type === 'scalars');
    assert.deepEqual(logs.map((e) => e.step), [2, 4, 6, 6]);
    assert.deepEqual(logs[0]!.values, { loss: 1, grad_norm: 0.5, learning_rate: 1e-3, epoch: 1 / 3 });
    assert.deepEqual(logs[3]!.values, { eval_loss: 0.25, epoch: 1 });
  });

  it('leaves the Lightning and Hugging Face Trainers alone when FITCHECK_MONITOR_LIGHTNING / _TRANSFORMERS are off', async () => {
    for (const [script, flag] of [['lightning_fit', 'FITCHECK_MONITOR_LIGHTNING'], ['hf_trainer', 'FITCHECK_MONITOR_TRANSFORMERS']] as const) {
      const dir = copy(script);
      const result = await runCli(['run', '--json', '--', python!, `${script}.py`], dir, { ...process.env, PYTHONPATH: fixturePath('monitor', 'standin'), [flag]: '0' });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(runFiles(dir).flatMap((f) => events(f).filter((e) => e.type === 'scalars')), []);
    }
  });

  it('passes Ctrl-C on to the script, which stops, records the run as stopped, and exits with 130', async () => {
    const dir = copy('sigmoid_mlp');
    const child = spawn(process.execPath, [cli, 'run', '--', python!, 'sigmoid_mlp.py', '100000000'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !runFiles(dir).some((f) => events(f).some((e) => e.type === 'scalars'))) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const code = await closed;
    assert.equal(code, 130);
    const [file] = runFiles(dir);
    const end = events(file!).at(-1)!;
    assert.equal(end.type, 'end');
    assert.equal(end.status, 'stopped');
  });
});
