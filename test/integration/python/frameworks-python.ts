/** Finds the Python of the real-framework environment for the monitor's integration tests, and which frameworks it imports. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Framework = 'torch' | 'keras' | 'lightning' | 'transformers' | 'tensorboard';

export interface FrameworksPython {
  /** The interpreter, when one was found. */
  python?: string;
  /** Why none was found (the skip reason). */
  reason: string;
  /** The frameworks it imports, each with its version. */
  versions: Partial<Record<Framework, string>>;
}

/** Where scripts/provision-frameworks.sh builds the environment (its defaults, the same variables). */
export function provisionedVenv(): string {
  return process.env.FITCHECK_FRAMEWORKS_VENV
    ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'fitcheck', 'py-frameworks');
}

// One process imports each framework and prints what imported: the imports cost seconds each.
const PROBE = `
import json, os
os.environ.setdefault("KERAS_BACKEND", "torch")
found = {}
def probe(name, load):
    try:
        found[name] = str(load())
    except Exception:
        pass
probe("torch", lambda: __import__("torch").__version__)
probe("keras", lambda: __import__("keras").__version__)
def lightning():
    try:
        import lightning.pytorch as pl
    except ImportError:
        import pytorch_lightning as pl
    return pl.__version__
probe("lightning", lightning)
def transformers():
    import transformers.trainer, accelerate
    from transformers import Trainer
    assert Trainer.__module__ == "transformers.trainer"
    return transformers.__version__
probe("transformers", transformers)
probe("tensorboard", lambda: (__import__("torch.utils.tensorboard"), __import__("tensorboard").__version__)[1])
print(json.dumps(found))
`;

/**
 * The interpreter: $FITCHECK_TEST_FRAMEWORKS_PYTHON when set, else the provisioned environment when its
 * build finished (its `.fitcheck-ready` marker). Never installs anything.
 */
export function frameworksPython(): FrameworksPython {
  let python = process.env.FITCHECK_TEST_FRAMEWORKS_PYTHON;
  if (!python) {
    const venv = provisionedVenv();
    if (!fs.existsSync(path.join(venv, '.fitcheck-ready'))) {
      return { reason: `no real-framework Python: ${venv} was not built (run scripts/provision.sh where the local wheel indexes exist, or set FITCHECK_TEST_FRAMEWORKS_PYTHON)`, versions: {} };
    }
    python = path.join(venv, 'bin', 'python');
  }
  const probe = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, HF_HUB_OFFLINE: '1' } });
  if (probe.status !== 0) return { reason: `${python} does not run: ${(probe.stderr || String(probe.error ?? '')).trim().split('\n').at(-1) ?? ''}`, versions: {} };
  const versions = JSON.parse(probe.stdout.trim().split('\n').at(-1) ?? '{}') as Partial<Record<Framework, string>>;
  if (!versions.torch) return { reason: `${python} does not import torch`, versions };
  return { python, reason: '', versions };
}

/** A test's skip option: false when `framework` imports, else the reason. */
export function frameworkAbsent(found: FrameworksPython, framework: Framework): string | false {
  if (!found.python) return found.reason;
  return found.versions[framework] ? false : `${found.python} does not import ${framework}`;
}
