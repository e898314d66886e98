/**
 * Edit latency and memory of open Python documents, as the language server keeps them: a 500-edit
 * trace of mixed edits (see edit-trace.ts) replayed on a 2,000-line and a 10,000-line script, each
 * edit timed as the parse of the statements around it + tree-copy update + facts + rules; then the JS heap one open
 * document holds. With `FITCHECK_BENCH_PEER=<path of another build's analyzers/linter.js>` the peer
 * build replays the same edits interleaved, edit by edit, so both see the same machine load; ruff (wasm)
 * re-checking the whole edited file is always interleaved with the open-document replay, as the peer
 * that has no incremental analysis.
 * `node --expose-gc out/test/bench/edit-bench.js [--no-write]`; part of `npm run bench:lint`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { createRequire } from 'node:module';
import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';
import { Linter } from '../../analyzers/linter.js';
import { ProjectLinter } from '../../analyzers/project/project-linter.js';
import { documentHeap } from './document-heap.js';
import { editTrace, longScript, type EditKind } from './edit-trace.js';
import { loadAverage, machine, noisy, summarize, writeSection, type Summary } from './bench-report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ruffVersion = (createRequire(import.meta.url)('@astral-sh/ruff-wasm-nodejs/package.json') as { version: string }).version;
const EDITS = 500;
const SIZES = [2000, 10000];
/** p90 above this multiple of p50 means the machine was too busy for the figures to mean anything. */
const NOISE_BOUND = 4;

type AnyLinter = Pick<Linter, 'lint' | 'openDocument'>;
type Edit = ReturnType<typeof editTrace>[number];
type AnyProject = Pick<ProjectLinter, 'setText' | 'lintModule' | 'dispose'>;
type ProjectLinterClass = new (linter: AnyLinter, roots: string[], read: (file: string) => string | undefined) => AnyProject;

/** The script as a module of a workspace folder (never on disk: its text comes from the editor). */
const WORKSPACE = path.join(os.tmpdir(), 'fitcheck-edit-bench');
const MODULE = path.join(WORKSPACE, 'train.py');

interface Measured {
  all: number[];
  /** The same edits as the language server runs them for a workspace file: through the project model. */
  project: number[];
  update: number[];
  byKind: Map<EditKind, number[]>;
  heap: number | undefined;
}

function time(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}


/** A turn of the event loop: the server analyses each edit in a task of its own (a debounce timer), never several in one. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `step` for every edit and every build, each in its own turn of the event loop, alternating which build goes first; returns each build's times. */
async function interleave(builds: number, edits: ReturnType<typeof editTrace>, step: (build: number, edit: Edit) => void): Promise<number[][]> {
  const samples = Array.from({ length: builds }, (): number[] => []);
  for (const [e, edit] of edits.entries()) {
    for (let k = 0; k < builds; k++) {
      const i = (k + e) % builds;
      await nextTurn();
      samples[i]!.push(time(() => step(i, edit)));
    }
  }
  return samples;
}

/**
 * Replays the trace on one open document per linter, edit by edit, alternating which goes first, with
 * ruff re-checking the whole edited text as one more contender; returns each linter's times and ruff's.
 */
async function replay(linters: AnyLinter[], projectLinters: ProjectLinterClass[], script: string, edits: ReturnType<typeof editTrace>): Promise<{ measured: Measured[]; ruff: number[] }> {
  const documents = linters.map((linter) => linter.openDocument());
  linters.forEach((linter, i) => linter.lint(script, {}, documents[i]));
  const ruff = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf16);
  const withRuff = await interleave(linters.length + 1, edits, (i, edit) => {
    if (i === linters.length) ruff.check(edit.text);
    else linters[i]!.lint(edit.text, {}, documents[i]);
  });
  ruff.free();
  const all = withRuff.slice(0, linters.length);
  // A pass of its own: as in the editor, one document is typed in at a time (others let go of their nodes).
  const updating = linters.map((linter) => linter.openDocument());
  updating.forEach((document) => document.update(script));
  const update = await interleave(linters.length, edits, (i, edit) => updating[i]!.update(edit.text));
  for (const document of [...documents, ...updating]) document.dispose();
  const projects = linters.map((linter, i) => new projectLinters[i]!(linter, [WORKSPACE], () => undefined));
  projects.forEach((project) => {
    // Open in the editor, as the server sets it (a build without that notion ignores the flag).
    project.setText(MODULE, script, true);
    project.lintModule(MODULE);
  });
  const project = await interleave(linters.length, edits, (i, edit) => {
    projects[i]!.setText(MODULE, edit.text, true);
    projects[i]!.lintModule(MODULE);
  });
  for (const linter of projects) linter.dispose();
  const measured = linters.map((_, i) => {
    const byKind = new Map<EditKind, number[]>();
    edits.forEach((edit, e) => {
      const kind = byKind.get(edit.kind) ?? [];
      kind.push(all[i]![e]!);
      byKind.set(edit.kind, kind);
    });
    return { all: all[i]!, project: project[i]!, update: update[i]!, byKind, heap: undefined };
  });
  return { measured, ruff: withRuff[linters.length]! };
}

const ms = (s: Summary) => `${s.n} | ${s.p50.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)}`;

async function main(): Promise<void> {
  const write = !process.argv.includes('--no-write') && process.env['FITCHECK_BENCH_NO_WRITE'] !== '1';
  const linters: { name: string; linter: AnyLinter; project: ProjectLinterClass }[] = [
    { name: 'this build', linter: await Linter.create(), project: ProjectLinter as unknown as ProjectLinterClass },
  ];
  const peerPath = process.env.FITCHECK_BENCH_PEER;
  if (peerPath) {
    const peer = (await import(path.resolve(peerPath))) as { Linter: { create(): Promise<AnyLinter> } };
    const peerProject = (await import(path.resolve(path.dirname(peerPath), 'project/project-linter.js'))) as { ProjectLinter: ProjectLinterClass };
    linters.push({ name: `peer (${peerPath})`, linter: await peer.Linter.create(), project: peerProject.ProjectLinter });
  }
  const loadBefore = loadAverage();
  const rows: string[] = [];
  const heapRows: string[] = [];
  let tooNoisy = false;
  for (const size of SIZES) {
    const script = longScript(root, size);
    const lines = script.split('\n').length;
    const edits = editTrace(script, EDITS);
    // Warm-up: the first 50 edits, not recorded.
    await replay(linters.map((l) => l.linter), linters.map((l) => l.project), script, edits.slice(0, 50));
    const { measured: results, ruff } = await replay(linters.map((l) => l.linter), linters.map((l) => l.project), script, edits);
    const ruffAll = summarize(ruff);
    if (noisy(ruffAll, NOISE_BOUND)) tooNoisy = true;
    rows.push(`| ${lines} | ruff ${ruffVersion} wasm (default rules) | all edits: the whole edited file checked again | ${ms(ruffAll)} |`);
    results.forEach((result, i) => {
      result.heap = documentHeap(linters[i]!.linter, script);
      const all = summarize(result.all);
      if (noisy(all, NOISE_BOUND)) tooNoisy = true;
      const name = linters[i]!.name;
      rows.push(`| ${lines} | ${name} | all edits | ${ms(all)} |`);
      for (const [kind, samples] of [...result.byKind].sort()) rows.push(`| ${lines} | ${name} | ${kind} | ${ms(summarize(samples))} |`);
      rows.push(`| ${lines} | ${name} | parse + copy update only | ${ms(summarize(result.update))} |`);
      const project = summarize(result.project);
      if (noisy(project, NOISE_BOUND)) tooNoisy = true;
      rows.push(`| ${lines} | ${name} | all edits, as a workspace module (project model) | ${ms(project)} |`);
      heapRows.push(`| ${lines} | ${name} | ${result.heap === undefined ? 'n/a (run with --expose-gc)' : `${(result.heap / 2 ** 20).toFixed(2)} MiB`} |`);
    });
  }
  const body = `
## Edit latency and memory of open documents (\`npm run bench:lint\`, edits section)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${loadBefore} before, ${loadAverage()} after.
A trace of ${EDITS} mixed edits (typing a statement into a function one keystroke at a time, adding a layer line,
changing a layer size or activation in the model class, pasting a copied function), replayed on generated training
scripts (a model class and loop, then the rule fixtures wrapped in functions); each edit timed as the language server
runs it (parse of the statements around the edit, tree-copy update, facts of the statement groups the edit touched, ${'rules'}), after a 50-edit warm-up,
each edit in a turn of the event loop of its own, as the server analyses edits (after a debounce timer; no idle time is added).
The row *as a workspace module* replays the trace through the project model, as the server analyses a file of a
workspace folder (module summary, linking with the project, then the same analysis).${linters.length > 1 ? ' The peer build replays the same edits interleaved with this one, edit by edit.' : ''}
Ruff (wasm, which has no incremental analysis) checks each edited file whole, interleaved edit by edit with the open-document rows.

| lines | build | edits | n | p50 ms | p90 ms | p99 ms | max ms |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Goal: p99 ≤ 16 ms at 2,000 lines, ≤ 25 ms at 10,000 lines.

Memory held per open document: JS heap and array buffers (ten documents opened and linted, after a forced GC; growth of tree-sitter's wasm memory, where its own tree lives, included when it happens):

| lines | build | heap per document |
| --- | --- | --- |
${heapRows.join('\n')}

Goal: ≤ 1.5 MiB per 2,000-line document.
`;
  console.log(body);
  if (tooNoisy) {
    console.error(`Too noisy to record (p90 above ${NOISE_BOUND}× p50); BENCHMARKS.md left as it was.`);
    process.exitCode = 1;
    return;
  }
  if (write) {
    writeSection(root, 'bench:lint:edits', body);
    console.log('Wrote BENCHMARKS.md');
  }
}

await main();
