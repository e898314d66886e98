/**
 * Long training scripts and a reproducible trace of mixed edits over them, for the edit-latency
 * benchmark: typing inside a function, adding a layer, editing the model class, pasting a block.
 */
import fs from 'node:fs';
import path from 'node:path';
import { random } from '../unit/fuzz-mutations.js';

/** The model class and training loop every generated script starts with: the target of model edits. */
const HEADER = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)
        self.drop = nn.Dropout(0.2)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = self.drop(F.relu(self.fc2(x)))
        return self.fc3(x)


def train(loader, epochs):
    model = Net()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
`;

/** A training script of at least `lines` lines: the header, then the project's fixtures, each wrapped in a function. */
export function longScript(root: string, lines: number): string {
  const dir = path.join(root, 'test', 'fixtures', 'python');
  const parts: string[] = [HEADER];
  let count = HEADER.split('\n').length;
  for (let round = 0; count < lines; round++) {
    for (const code of fs.readdirSync(dir).sort()) {
      for (const file of fs.readdirSync(path.join(dir, code)).sort()) {
        if (count >= lines) break;
        const body = fs.readFileSync(path.join(dir, code, file), 'utf8').replace(/^(from|import) .*$/gm, '');
        const wrapped = `def script_${round}_${code}_${file.replace(/\W/g, '_')}():\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\n`;
        parts.push(wrapped);
        count += wrapped.split('\n').length;
      }
    }
  }
  return parts.join('\n');
}


/** What kind of change an edit belongs to, for the per-kind figures. */
export type EditKind = 'typing' | 'layer' | 'model' | 'paste';

/** One step of the trace: the document's whole text after the edit. */
export interface TracedEdit {
  kind: EditKind;
  text: string;
}

/** Offsets where each line starts. */
function lineOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * `count` edits over `text`, as the editor sends them: typing a new statement into a function (one
 * edit per keystroke), adding a layer line after a layer, changing a layer's size or activation in a
 * model, pasting a copied function between two top-level functions or over one.
 */
export function editTrace(text: string, count: number, seed = 19): TracedEdit[] {
  const next = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  const edits: TracedEdit[] = [];
  let current = text;
  const push = (kind: EditKind, updated: string) => {
    if (edits.length < count) edits.push({ kind, text: (current = updated) });
  };
  let serial = 0;
  while (edits.length < count) {
    const roll = next();
    const starts = lineOffsets(current);
    const lines = current.split('\n');
    if (roll < 0.035) {
      // Typing: a new statement at the end of a line inside a function, one keystroke at a time
      // (a burst is ~30 edits, so this branch is rare per roll and still about half of all edits).
      const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^ {8}\S/.test(l) && !/[:,([{\\]$/.test(l.trimEnd()));
      const [line, row] = pick(candidates);
      const at = starts[row]! + line.length;
      const typed = `\n${' '.repeat(line.length - line.trimStart().length)}value_${serial++} = torch.mean(x) * 2`;
      for (let k = 1; k <= typed.length && edits.length < count; k++) {
        push('typing', current.slice(0, at) + typed.slice(0, k) + current.slice(at + k - 1));
      }
    } else if (roll < 0.45) {
      // Adding a layer: a new line after an existing `nn.Linear(...)` / `nn.Conv2d(...)` line.
      const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /nn\.(Linear|Conv2d)\(.*\)[,)]?\s*$/.test(l));
      if (candidates.length === 0) continue;
      const [line, row] = pick(candidates);
      const indent = ' '.repeat(line.length - line.trimStart().length);
      const added = line.trimEnd().endsWith(',') ? `${indent}nn.Dropout(0.1),` : /^\s*self\.\w+ = /.test(line) ? `${indent}self.extra_${serial++} = nn.ReLU()` : `${indent}extra_${serial++} = nn.ReLU()`;
      const at = starts[row]! + line.length;
      push('layer', `${current.slice(0, at)}\n${added}${current.slice(at)}`);
    } else if (roll < 0.85) {
      // Editing the model class: a layer size retyped, or an activation swapped.
      const rows = lines.map((l, i) => [l, i] as const).filter(([l]) => /self\.fc\d = nn\.Linear\(\d+, \d+\)/.test(l) || /F\.(relu|tanh)\(/.test(l));
      if (rows.length === 0) continue;
      const [line, r] = pick(rows);
      const changed = /F\.relu\(/.test(line) ? line.replace('F.relu(', 'F.tanh(') : /F\.tanh\(/.test(line) ? line.replace('F.tanh(', 'F.relu(') :
        line.replace(/\((\d+), (\d+)\)/, (_, a: string, b: string) => `(${a}, ${Number(b) === 128 ? 64 : 128})`);
      push('model', current.slice(0, starts[r]!) + changed + current.slice(starts[r]! + line.length));
    } else {
      // Pasting: a copy of a top-level function, renamed, between two top-level functions.
      const defs = lines.map((l, i) => [l, i] as const).filter(([l]) => /^def \w+\(/.test(l)).map(([, i]) => i);
      if (defs.length < 3) continue;
      const k = Math.floor(next() * (defs.length - 2));
      const from = starts[defs[k]!]!;
      const to = starts[defs[k + 1]!]!;
      if (to - from > 3000) continue;
      const block = current.slice(from, to).replace(/^def (\w+)\(/, `def $1_copy_${serial++}(`);
      // Pasted over a selected function, half of the time, so that the script keeps its size.
      const target = 1 + Math.floor(next() * (defs.length - 2));
      const at = starts[defs[target]!]!;
      const replaced = next() < 0.5 ? starts[defs[target + 1]!]! : at;
      push('paste', current.slice(0, at) + block + current.slice(replaced));
    }
  }
  return edits;
}
