/**
 * `npm run bench:lint`, project section: a generated 200-module project where one model module is
 * imported by 20 others. Measures the re-analysis of those 20 dependents after a one-character edit in
 * the model module (as the language server does it for open dependents), and the whole-project lint
 * beside ruff (wasm) on the same files in the same run. Writes the numbers to BENCHMARKS.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';
import { Linter } from '../../analyzers/linter.js';
import { ProjectLinter } from '../../analyzers/project/project-linter.js';
import { machine, quantile, writeSection } from './bench-report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MODULES = 200;
const DEPENDENTS = 20;
const EDITS = 60;

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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fitcheck-project-bench-"));
  try {
    const files = generate(dir);
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const lines = [...texts.values()].reduce((n, t) => n + t.split('\n').length, 0);
    const linter = await Linter.create();
    const ruff = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf16);
    const modelFile = path.join(dir, 'pkg', 'model.py');

    // Whole project, cold (new project model each pass), beside ruff and the file-by-file lint.
    const whole: number[] = [];
    const single: number[] = [];
    const ruffPasses: number[] = [];
    for (let pass = 0; pass < 7; pass++) {
      let start = performance.now();
      const project = new ProjectLinter(linter, [dir], (f) => texts.get(f));
      project.addFiles(files);
      project.lintAll();
      project.dispose();
      if (pass >= 2) whole.push(performance.now() - start);
      start = performance.now();
      for (const text of texts.values()) linter.lint(text);
      if (pass >= 2) single.push(performance.now() - start);
      start = performance.now();
      for (const text of texts.values()) ruff.check(text);
      if (pass >= 2) ruffPasses.push(performance.now() - start);
    }

    // The server's case: every module analysed once, then one-character edits in the model module.
    const project = new ProjectLinter(linter, [dir], (f) => texts.get(f));
    project.addFiles(files);
    project.lintAll();
    const dependents = project.dependentsOf(modelFile);
    if (dependents.length !== DEPENDENTS) throw new Error(`expected ${DEPENDENTS} dependents, found ${dependents.length}`);
    const edits: number[] = [];
    for (let i = 0; i < EDITS + 5; i++) {
      const edited = MODEL.replace('nn.Dropout(0.25)', `nn.Dropout(0.2${i % 10})`);
      const start = performance.now();
      project.setText(modelFile, edited);
      project.lintModule(modelFile);
      for (const file of project.dependentsOf(modelFile)) project.lintModule(file);
      if (i >= 5) edits.push(performance.now() - start);
    }
    project.dispose();

    const median = (s: number[]) => quantile(s, 0.5);
    const body = `## Project lint speed (\`npm run bench:lint\`, project section)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (a shared machine: other work was running).
Project: generated, ${files.length} modules (${lines} lines) in one package; \`model.py\` (a residual CNN) is imported by ${DEPENDENTS}
training scripts (relative imports); the other modules are helpers importing each other.

| measurement | median ms | p99 ms | target |
| --- | --- | --- | --- |
| re-analysis after a one-character edit in \`model.py\`: the model module and its ${DEPENDENTS} dependents (relink, incremental re-parse, facts, rules), ${EDITS} edits | **${median(edits).toFixed(1)}** | **${quantile(edits, 0.99).toFixed(1)}** | ≤ 50 / ≤ 100 |
| whole project, cold (summaries, links, analysis of every module), 5 passes | ${median(whole).toFixed(0)} | ${quantile(whole, 0.99).toFixed(0)} | |
| the same files linted one by one (no project model), same run | ${median(single).toFixed(0)} | ${quantile(single, 0.99).toFixed(0)} | |
| ruff 0.17.4 wasm (default rules) on the same files, same run | ${median(ruffPasses).toFixed(0)} | ${quantile(ruffPasses, 0.99).toFixed(0)} | |

Only the modules whose linked program changed are analysed again (${DEPENDENTS} of ${files.length}); the helpers' results are reused.
TorchFix (\`flake8 --select=TOR\`) and native \`ruff\` were not installed on this machine, so they are not in the table.
`;
    console.log(body);
    writeSection(root, 'bench:lint:project', body);
    console.log('Wrote BENCHMARKS.md (project section)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
