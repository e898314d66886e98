/** Runtime evidence: module paths mapped to the lines that create them, and the judgement of monitored runs. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PythonParser } from '../../../analyzers/python/parser.js';
import type { SyntaxNode } from '../../../analyzers/python/syntax-tree.js';
import { entryPointLines } from '../../../analyzers/server/runtime/entry-points.js';
import { lineOfModule, moduleLines } from '../../../analyzers/server/runtime/module-lines.js';
import { loggedRunFiles } from '../../../analyzers/server/runtime/logged-runs.js';
import { latestRunAmong, latestRunOf } from '../../../analyzers/server/runtime/monitored-runs.js';
import { parseMonitoredRun, runEvidence } from '../../../analyzers/server/runtime/run-evidence.js';
import { fixturePath } from '../helpers.js';

const run = (name: string) => parseMonitoredRun(fs.readFileSync(fixturePath('monitor', 'runs', `${name}.fitcheck.jsonl`), 'utf8'))!;

describe('module paths to source lines', () => {
  it('maps Sequential items, nested Sequentials, module attributes, ModuleList comprehensions and a root Sequential to the calls that create them', async () => {
    const parser = await PythonParser.create();
    const tree = parser.parse(fs.readFileSync(fixturePath('monitor', 'models', 'nested.py'), 'utf8'));
    const lines = moduleLines(tree.rootNode as unknown as SyntaxNode);
    const line = (p: string) => { const s = lineOfModule(lines, p); return s ? s.start.line + 1 : undefined; };
    assert.equal(line('features.0'), 23);
    assert.equal(line('features.1'), 24);
    assert.equal(line('features.2.0'), 25);
    assert.equal(line('head'), 28);
    // A block made in a comprehension: its own attribute's line beats the loop's.
    assert.equal(line('encoder.layers.3.fc1'), 8);
    assert.equal(line('encoder.layers.3'), 16);
    // The root model `model = nn.Sequential(...)`: paths are bare indices.
    assert.equal(line('2'), 31);
    assert.equal(line('no.such.module'), undefined);
    tree.delete();
  });
});

describe('runtime evidence of a monitored run', () => {
  it('finds vanishing gradients on the early layers and saturated sigmoid outputs', () => {
    const evidence = runEvidence(run('vanishing'));
    assert.deepEqual(evidence.map((e) => `${e.kind}:${e.layer}`), ['vanishing-gradients:0', 'vanishing-gradients:2', 'saturated-units:1']);
    assert.match(evidence[0]!.message, /^in run vanishing, step 30: layer 0's gradient norm was 2\.0e-9, 6\.7e-9 of the last layer's \(layer 6: 3\.0e-1\)/);
  });

  it('reports nothing once the last sampled steps are healthy', () => {
    assert.deepEqual(runEvidence(run('recovered')), []);
  });

  it('reports a ReLU layer dead in two windows in a row, and not one that is mostly alive', () => {
    const evidence = runEvidence(run('dead'));
    assert.deepEqual(evidence.map((e) => `${e.kind}:${e.layer}:${e.step}`), ['dead-units:act1:120']);
    assert.match(evidence[0]!.message, /80% of this ReLU's units never activated/);
  });

  it('reports a non-finite gradient norm as exploding', () => {
    const evidence = runEvidence(run('exploding'));
    assert.deepEqual(evidence.map((e) => `${e.kind}:${e.layer}`), ['exploding-gradients:0']);
    assert.equal(evidence[0]!.value, Number.POSITIVE_INFINITY);
  });

  it('tolerates a file cut off mid-line and lines that are not events', () => {
    const text = fs.readFileSync(fixturePath('monitor', 'runs', 'vanishing.fitcheck.jsonl'), 'utf8');
    const cut = `${text.split('\n').slice(0, 4).join('\n')}\nnot json\n{"type":"scalars","step":40,"val`;
    const parsed = parseMonitoredRun(cut)!;
    assert.equal(parsed.status, 'running');
    assert.equal(parsed.records.length, 3);
  });

  it('finds the newest run of a script among the monitor sessions, by the script recorded in its start event', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-monitor-'));
    try {
      const write = (session: string, name: string, script: string, mtime: number) => {
        const dir = path.join(root, session);
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${name}.fitcheck.jsonl`);
        fs.writeFileSync(file, `${JSON.stringify({ type: 'start', format: 'fitcheck-metrics', version: 1, runId: name, time: '2026-12-04T14:00:00.000Z', name, backend: 'pytorch', versions: {}, script })}\n`);
        fs.utimesSync(file, mtime, mtime);
      };
      write('a', 'old', '/w/train.py', 1000);
      write('b', 'new', '/w/train.py', 2000);
      write('c', 'other', '/w/other.py', 3000);
      assert.equal(latestRunOf(root, '/w/train.py')?.run.runId, 'new');
      assert.equal(latestRunOf(root, '/w/missing.py'), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("finds the newest run the helper wrote for a script in a logdir up to two folders down, skipping hidden folders and environments", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-logged-'));
    try {
      const write = (dir: string, name: string, script: string | undefined, mtime: number) => {
        fs.mkdirSync(path.join(root, dir), { recursive: true });
        const file = path.join(root, dir, `${name}.fitcheck.jsonl`);
        const start = { type: 'start', format: 'fitcheck-metrics', version: 1, runId: name, time: '2026-12-04T14:00:00.000Z', name, backend: 'pytorch', versions: {}, source: 'fitcheck_logger', ...(script ? { script } : {}) };
        fs.writeFileSync(file, `${JSON.stringify(start)}\n`);
        fs.utimesSync(file, mtime, mtime);
        return file;
      };
      const script = path.join(root, 'train.py');
      write('runs', 'old', script, 1000);
      write(path.join('runs', 'exp1'), 'new', script, 2000);
      write('runs', 'unnamed', undefined, 3000); // an older helper: no script in its start event
      write(path.join('.venv', 'lib'), 'hidden', script, 4000);
      write('node_modules', 'dependency', script, 5000);
      write(path.join('a', 'b', 'c'), 'too-deep', script, 6000);
      const files = loggedRunFiles([root]).map((f) => path.basename(f, '.fitcheck.jsonl'));
      assert.deepEqual(files, ['unnamed', 'new', 'old']);
      assert.equal(latestRunAmong(loggedRunFiles([root]), script)?.run.runId, 'new');
      assert.equal(latestRunAmong(loggedRunFiles([root]), path.join(root, 'other.py')), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('training script entry points', () => {
  it('puts the lens on the main guard of a script that imports torch', () => {
    assert.deepEqual(entryPointLines('import torch\n\ndef main():\n    pass\n\nif __name__ == "__main__":\n    main()\n'), [5]);
  });

  it('puts the lens on a top-level loop that calls backward() when there is no main guard', () => {
    assert.deepEqual(entryPointLines('from torch import nn\nx = 1\nfor epoch in range(3):\n    loss = f()\n\n    loss.backward()\n'), [2]);
  });

  it('offers nothing in a file that imports no training framework, or whose loops do not train', () => {
    assert.deepEqual(entryPointLines('if __name__ == "__main__":\n    print(1)\n'), []);
    assert.deepEqual(entryPointLines('import torch\nfor i in range(3):\n    print(i)\n'), []);
  });
});
