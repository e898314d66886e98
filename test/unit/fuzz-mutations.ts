/** Deterministic mutations of real fixtures, shared by the fuzz test and the fuzz benchmark. */
import fs from 'node:fs';
import path from 'node:path';

/** A small seeded PRNG (mulberry32), so every run mutates the same way. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MUTATIONS = ['delete-lines', 'duplicate-lines', 'truncate', 'random-bytes', 'deep-nesting', 'swap-lines', 'dedent'] as const;

/** One mutated variant of `text`, and the name of the mutation. */
export function mutate(text: string, next: () => number): { kind: string; text: string } {
  const lines = text.split('\n');
  const pick = (n: number) => Math.floor(next() * n);
  const kind = MUTATIONS[pick(MUTATIONS.length)]!;
  switch (kind) {
    case 'delete-lines': {
      const at = pick(lines.length);
      lines.splice(at, 1 + pick(4));
      return { kind, text: lines.join('\n') };
    }
    case 'duplicate-lines': {
      const at = pick(lines.length);
      lines.splice(at, 0, ...lines.slice(at, at + 1 + pick(6)));
      return { kind, text: lines.join('\n') };
    }
    case 'truncate':
      return { kind, text: text.slice(0, pick(text.length)) };
    case 'random-bytes': {
      const chars = [...text];
      for (let i = 0; i < 1 + pick(20); i++) chars.splice(pick(chars.length), pick(2), String.fromCharCode(pick(0x2fff)));
      return { kind, text: chars.join('') };
    }
    case 'deep-nesting': {
      const depth = 50 + pick(400);
      const at = pick(lines.length);
      lines.splice(at, 0, `x = ${'['.repeat(depth)}model(x)${']'.repeat(pick(2) ? depth : pick(depth))}`,
        ...Array.from({ length: 1 + pick(30) }, (_, i) => `${'    '.repeat(i)}for i${i} in range(3):`));
      return { kind, text: lines.join('\n') };
    }
    case 'swap-lines': {
      const a = pick(lines.length);
      const b = pick(lines.length);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return { kind, text: lines.join('\n') };
    }
    case 'dedent':
      return { kind, text: lines.map((l) => (next() < 0.3 ? l.trimStart() : l)).join('\n') };
  }
}

/** Every Python fixture under `test/fixtures/python` and `test/fixtures/clean`. */
export function fuzzCorpus(root: string): string[] {
  const dirs = [path.join(root, 'test', 'fixtures', 'python'), path.join(root, 'test', 'fixtures', 'clean')];
  const files: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.py')) files.push(full);
    }
  };
  dirs.forEach(walk);
  return files.sort().map((f) => fs.readFileSync(f, 'utf8'));
}
