/**
 * `npm run bench:lint`, project section: a generated 200-module project where one model module is
 * imported by 20 others. Measures the re-analysis of those 20 dependents after a one-character edit in
 * the model module (as the language server does it for open dependents), and the whole-project lint,
 * each beside ruff (wasm) and a file-by-file lint of the same files, interleaved in the same run. Writes
 * the numbers to BENCHMARKS.md, or refuses to when a series spread too far (see bench-run.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';
import { Linter } from '../../analyzers/linter.js';
import { ProjectLinter } from '../../analyzers/project/project-linter.js';
import { machine } from './bench-report.js';
import { BenchRun, interleave, summaryHeader, summaryRow } from './bench-run.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ruffVersion = (createRequire(import.meta.url)('@astral-sh/ruff-wasm-nodejs/package.json') as { version: string }).version;
const MODULES = 200;
const DEPENDENTS = 20;
const EDITS = 60;
/** Cold whole-project passes (FITCHECK_BENCH_ROUNDS), after WARMUP_ROUNDS unrecorded ones. */
const ROUNDS = Number(process.env['FITCHECK_BENCH_ROUNDS'] ?? 15);
/** The largest p90/p50 of any series before the run is refused as too noisy. */
const MAX_SPREAD = 1.5;
const WARMUP_ROUNDS = 6;

const MODEL = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(channels)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)) + x)


class Net(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, 64, 3, padding=1)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(0.25)
        self.head = nn.Linear(64, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.stem(x)))
        x = torch.flatten(self.pool(x), 1)
        return self.head(self.dropout(x))
`;

function dependent(i: number): string {
  return `import torch
import torch.nn as nn

from .model import Net


def evaluate(model, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
    return correct


model = Net(${10 + i})
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
train_loader = [(torch.randn(8, 3, 32, 32), torch.randint(0, 10, (8,))) for _ in range(4)]
val_loader = [(torch.randn(8, 3, 32, 32), torch.randint(0, 10, (8,))) for _ in range(2)]
for epoch in range(3):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, evaluate(model, val_loader))
`;
}

function helper(i: number): string {
  return `import math

import torch

from .util_${(i + 1) % (MODULES - DEPENDENTS - 2) + 1} import scale_${(i + 1) % (MODULES - DEPENDENTS - 2) + 1}


def scale_${i}(x, factor=${i}):
    return x * factor / math.sqrt(${i + 1})


def summary_${i}(values):
    total = torch.zeros(())
    for v in values:
        total = total + scale_${(i + 1) % (MODULES - DEPENDENTS - 2) + 1}(v)
    return total
`;
}

/** Writes the project; returns its files. */
function generate(dir: string): string[] {
  const pkg = path.join(dir, 'pkg');
  fs.mkdirSync(pkg, { recursive: true });
  const files: [string, string][] = [['__init__.py', ''], ['model.py', MODEL]];
  for (let i = 0; i < DEPENDENTS; i++) files.push([`train_${i}.py`, dependent(i)]);
  for (let i = 1; files.length < MODULES; i++) files.push([`util_${i}.py`, helper(i)]);
  for (const [name, text] of files) fs.writeFileSync(path.join(pkg, name), text);
  return files.map(([name]) => path.join(pkg, name));
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-project-bench-'));
  try {
    const run = new BenchRun('bench:lint:project', MAX_SPREAD);
    const files = generate(dir);
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const lines = [...texts.values()].reduce((n, t) => n + t.split('\n').length, 0);
    const linter = await Linter.create();
    const ruff = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf16);
    const modelFile = path.join(dir, 'pkg', 'model.py');
    const timed = (fn: () => void) => () => {
      const start = performance.now();
      fn();
      return performance.now() - start;
    };

    // Whole project, cold (a new project model each pass), beside ruff and the file-by-file lint.
    const cold = [
      { name: 'whole', sample: timed(() => {
        const project = new ProjectLinter(linter, [dir], (f) => texts.get(f));
        project.addFiles(files);
        project.lintAll();
        project.dispose();
      }) },
      { name: 'single', sample: timed(() => { for (const text of texts.values()) linter.lint(text); }) },
      { name: 'ruff', sample: timed(() => { for (const text of texts.values()) ruff.check(text); }) },
    ];
    // V8 tiers the JS and wasm up over the first four or five passes (as in lint-bench.ts): not recorded.
    await interleave(WARMUP_ROUNDS, cold);
    const passes = await interleave(ROUNDS, cold);

    // The server's case: every module analysed once, then one-character edits in the model module, each
    // beside ruff and a file-by-file lint of the texts it touched (neither links modules).
    const project = new ProjectLinter(linter, [dir], (f) => texts.get(f));
    project.addFiles(files);
    project.lintAll();
    const dependents = project.dependentsOf(modelFile);
    if (dependents.length !== DEPENDENTS) throw new Error(`expected ${DEPENDENTS} dependents, found ${dependents.length}`);
    let edit = 0;
    let touched = [texts.get(modelFile)!, ...dependents.map((f) => texts.get(f)!)];
    const editing = [
      { name: 'edit', sample: timed(() => {
        const edited = MODEL.replace('nn.Dropout(0.25)', `nn.Dropout(0.2${edit++ % 10})`);
        project.setText(modelFile, edited);
        project.lintModule(modelFile);
        touched = [edited, ...project.dependentsOf(modelFile).map((f) => texts.get(f)!)];
        for (const file of project.dependentsOf(modelFile)) project.lintModule(file);
      }) },
      { name: 'single', sample: timed(() => { for (const text of touched) linter.lint(text); }) },
      { name: 'ruff', sample: timed(() => { for (const text of touched) ruff.check(text); }) },
    ];
    await interleave(20, editing);
    const edits = await interleave(EDITS, editing);
    project.dispose();

    const series = (samples: Map<string, number[]>, name: string, label: string) => summaryRow(label, run.measure(label, samples.get(name)!), 1);
    const body = `## Project lint speed (\`npm run bench:lint\`, project section)

${machine()}; ${run.loadLine()}. Measured ${new Date().toISOString().slice(0, 10)}.
Project: generated, ${files.length} modules (${lines} lines) in one package; \`model.py\` (a residual CNN) is imported by ${DEPENDENTS}
training scripts (relative imports); the other modules are helpers importing each other. Each table's rows are interleaved
(who goes first rotates) after unrecorded warm-up rounds. Noise bound: every series' p90 ≤ ${MAX_SPREAD}× its p50, else nothing is recorded.

A one-character edit in \`model.py\`, ${EDITS} edits: Fitcheck re-analyses the model module and its ${DEPENDENTS} dependents as the
language server does for open dependents (relink, incremental re-parse, facts, rules); only the modules whose linked program
changed are analysed again (${DEPENDENTS + 1} of ${files.length}). Beside it, the same ${DEPENDENTS + 1} texts linted one by one without the project model, and by ruff.

${summaryHeader('ms', 'after one edit')}
${series(edits, 'edit', `Fitcheck, project model: the model and its ${DEPENDENTS} dependents (goal p50 ≤ 50, p99 ≤ 100)`)}
${series(edits, 'single', `Fitcheck, the same ${DEPENDENTS + 1} files one by one (no project model)`)}
${series(edits, 'ruff', `ruff ${ruffVersion} wasm (default rules), the same ${DEPENDENTS + 1} files`)}

The whole project, cold, ${ROUNDS} passes:

${summaryHeader('ms', 'one pass')}
${series(passes, 'whole', 'Fitcheck, project model (summaries, links, analysis of every module)')}
${series(passes, 'single', 'Fitcheck, the same files one by one (no project model)')}
${series(passes, 'ruff', `ruff ${ruffVersion} wasm (default rules), the same files`)}
`;
    run.finish(root, body);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
