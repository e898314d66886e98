/** Shared test helpers: the repository root, one linter per process, fixture annotations. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from '../../analyzers/linter.js';

/** The repository root (tests run from `out/test/unit`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A path under `test/fixtures/`. */
export function fixturePath(...parts: string[]): string {
  return path.join(repoRoot, 'test', 'fixtures', ...parts);
}

let shared: Promise<Linter> | undefined;

/** The process-wide linter (loading the grammar once keeps the suite fast). */
export function getLinter(): Promise<Linter> {
  shared ??= Linter.create();
  return shared;
}

/** `CODE@line` pairs (1-based lines) from `# expect: FC101, FC301` annotations. */
export function expectedFindings(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const match = /#\s*expect:\s*([A-Z0-9,\s]+)/.exec(line);
    if (!match) return;
    for (const code of match[1]!.split(',').map((c) => c.trim()).filter(Boolean)) out.push(`${code}@${i + 1}`);
  });
  return out.sort();
}

/** The same `CODE@line` form for actual findings. */
export function actualFindings(findings: { code: string; span: { start: { line: number } } }[]): string[] {
  return findings.map((f) => `${f.code}@${f.span.start.line + 1}`).sort();
}
