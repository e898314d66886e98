/**
 * The run monitor with the real frameworks, not stand-ins: Keras 3 on the PyTorch backend, PyTorch
 * Lightning, the Hugging Face Trainer on a BERT built from a config, torch's SummaryWriter with
 * tensorboard installed, torch.compile, all on PyTorch 2.x. Each checks what the monitor records and that
 * the script's results are the same digit for digit with and without it. The interpreter is the
 * environment scripts/provision.sh builds from the local wheel indexes (frameworks-python.ts); where it is
 * absent every test skips and says so. Nothing here installs anything.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { frameworksPython, frameworkAbsent } from './frameworks-python.js';
import { copyScript, events, evidenceLines, runCli, runFiles, type RunEvent } from './monitor-run.js';

const found = frameworksPython();
// Offline by construction: no hub look-ups, and Keras on the PyTorch backend.
const env: NodeJS.ProcessEnv = { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', KERAS_BACKEND: 'torch' };
delete env.FITCHECK_MONITOR_EVERY; // the steps asserted below are those of the default window (10)

describe('the run monitor with the real frameworks on PyTorch 2', { skip: found.python ? false : found.reason }, () => {
  const python = found.python!;
  let work: string;
  before(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-monitor-frameworks-')); });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const copy = (name: string) => copyScript(work, name);

  /** Runs `name` plain, then under `fitcheck run --json`; checks both succeed with the same `final loss …` line. */
  async function plainAndMonitored(name: string, args: string[] = []): Promise<{ dir: string; stdout: string; stderr: string; run: RunEvent[] }> {
    const dir = copy(name);
    const plain = spawnSync(python, [`${name}.py`, ...args], { cwd: dir, encoding: 'utf8', env });
    assert.equal(plain.status, 0, plain.stderr);
    const result = await runCli(['run', '--json', '--', python, `${name}.py`, ...args], dir, env);
    assert.equal(result.code, 0, result.stderr);
    const finalLine = (out: string) => out.split('\n').find((l) => l.startsWith('final loss '));
    assert.match(finalLine(plain.stdout) ?? '', /^final loss \d+\.\d{8}/);
    assert.equal(finalLine(result.stdout), finalLine(plain.stdout), 'the same final loss with and without the monitor');
    assert.doesNotMatch(result.stderr, /fitcheck monitor:/, 'the monitor reported no trouble');
    const [file] = runFiles(dir);
    assert.ok(file, 'the monitored run wrote a run file');
    return { dir, stdout: result.stdout, stderr: result.stderr, run: events(file) };
  }

  const scalars = (run: RunEvent[]) => run.filter((e) => e.type === 'scalars');

  it('leaves plain PyTorch 2 training unchanged while it records losses and gradient norms', { skip: frameworkAbsent(found, 'torch') }, async () => {
    for (const script of ['sigmoid_mlp', 'relu_mlp']) {
      const { run } = await plainAndMonitored(script, ['60']);
      assert.match(run[0]!.versions!.torch!, /^2\./);
      const last = scalars(run).at(-1)!.values!;
      assert.ok(typeof last['grad_norm/0'] === 'number' || typeof last['grad_norm/fc1'] === 'number', `${script}: ${Object.keys(last).join(', ')}`);
    }
  });

  it("records each epoch's logs of a real Keras 3 fit on the PyTorch backend, with the script's callbacks as a list or a CallbackList", { skip: frameworkAbsent(found, 'keras') }, async () => {
    const { stdout, run } = await plainAndMonitored('real_keras');
    assert.match(stdout, /backend torch, own callback saw 4 epochs, its CallbackList still holds 1/);
    assert.match(run[0]!.versions!.keras!, /^3\./);
    const epochs = scalars(run);
    assert.deepEqual(epochs.map((e) => e.step), [1, 2, 3, 4], 'three epochs of the first fit, the fourth of the second');
    for (const e of epochs.slice(0, 3)) assert.deepEqual(Object.keys(e.values!).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    // Exactly as Keras computed it: the last epoch of the first fit is the script's history.
    const [, loss] = /final loss (\d+\.\d{8})/.exec(stdout)!;
    assert.equal((epochs[2]!.values!.loss as number).toFixed(8), loss);
    assert.ok(!epochs.some((e) => Object.keys(e.values!).some((k) => k.startsWith('train/'))), "Keras' own backward() passes are not counted as steps");
  });

  it("records a real Lightning run's train_loss and val_loss once per epoch, and its module's gradient norms", { skip: frameworkAbsent(found, 'lightning') }, async () => {
    const { stdout, run } = await plainAndMonitored('real_lightning');
    assert.match(stdout, /trained 3 epochs/);
    const epochs = scalars(run).filter((e) => e.values && 'val_loss' in e.values);
    assert.deepEqual(epochs.map((e) => e.values!.epoch), [0, 1, 2]);
    assert.deepEqual(epochs.map((e) => e.step), [4, 8, 12], 'on the monitor step clock: 4 backward() passes an epoch');
    const [, loss, valLoss] = /final loss (\d+\.\d{8}) val_loss (\d+\.\d{8})/.exec(stdout)!;
    assert.equal((epochs[2]!.values!.train_loss as number).toFixed(8), loss);
    assert.equal((epochs[2]!.values!.val_loss as number).toFixed(8), valLoss);
    assert.ok(scalars(run).some((e) => typeof e.values!['grad_norm/net.0'] === 'number'), "the LightningModule's layers get gradient norms");
  });

  it("records every on_log dict of a real Hugging Face Trainer on a BERT built from a config, and names its layers' gradients", { skip: frameworkAbsent(found, 'transformers') }, async () => {
    const { stdout, run } = await plainAndMonitored('real_hf_trainer');
    assert.match(stdout, /trained 12 steps/);
    const logged = scalars(run).filter((e) => e.values && 'learning_rate' in e.values);
    assert.deepEqual(logged.map((e) => e.step), [2, 4, 6, 8, 10, 12], 'every logging_steps');
    assert.ok(logged.every((e) => typeof e.values!.loss === 'number' && typeof e.values!.grad_norm === 'number'));
    assert.ok(scalars(run).filter((e) => e.values && 'eval_loss' in e.values).length >= 2, 'the evaluations at steps 6 and 12');
    const [, trainLoss] = /final loss (\d+\.\d{8})/.exec(stdout)!;
    const summary = scalars(run).find((e) => e.values && 'train_loss' in e.values)!;
    assert.equal((summary.values!.train_loss as number).toFixed(8), trainLoss);
    const sampled = scalars(run).find((e) => e.values && 'train/batch_loss' in e.values)!;
    assert.ok(Object.keys(sampled.values!).some((k) => k.startsWith('grad_norm/bert.encoder.layer.0.')), 'gradient norms by module path');
  });

  it("forwards torch's own SummaryWriter with tensorboard installed, which still writes its event files", { skip: frameworkAbsent(found, 'tensorboard') }, async () => {
    const dir = copy('summary_writer');
    const result = await runCli(['run', '--json', '--', python, 'summary_writer.py', 'tb'], dir, env);
    assert.equal(result.code, 0, result.stderr);
    const own = fs.readdirSync(path.join(dir, 'tb')).filter((f) => f.startsWith('events.out.tfevents.'));
    assert.equal(own.length, 1, "the script's own TensorBoard event file");
    assert.ok(fs.statSync(path.join(dir, 'tb', own[0]!)).size > 200, 'with its records in it');
    const run = events(runFiles(dir)[0]!);
    assert.equal(run.filter((e) => e.values && 'Loss/train' in e.values).length, 5);
    assert.ok(run.some((e) => e.values?.['extra/b'] === 2), 'add_scalars values, a tensor among them');
  });

  it("names a torch.compile'd model's layers by the script's module paths and puts the vanishing gradients on their lines", { skip: frameworkAbsent(found, 'torch') }, async () => {
    const { dir, stdout, run } = await plainAndMonitored('compiled_sigmoid', ['60']);
    assert.ok(!Object.keys(scalars(run).at(-1)!.values!).some((k) => k.includes('_orig_mod')));
    const byLayer = new Map(evidenceLines(stdout).filter((e) => e.kind === 'vanishing-gradients').map((e) => [e.layer, e]));
    // One docstring line more than sigmoid_mlp.py: the nn.Linear calls sit on lines 10, 12, 14…
    assert.equal(byLayer.get('0')?.line, 10);
    assert.equal(byLayer.get('2')?.line, 12);
    assert.equal(byLayer.get('0')?.file, path.join(dir, 'compiled_sigmoid.py'));
  });
});
