/**
 * Edit latency and memory of open Python documents, as the language server keeps them: a 500-edit
 * trace of mixed edits (see edit-trace.ts) replayed on a 2,000-line and a 10,000-line script, each
 * edit timed as the parse of the statements around it + tree-copy update + facts + rules; then the JS heap one open
 * document holds. With `FITCHECK_BENCH_PEER=<path of another build's analyzers/linter.js>` the peer
 * build replays the same edits interleaved, edit by edit, so both see the same machine load.
 * `node --expose-gc out/test/bench/edit-bench.js [--no-write]`; part of `npm run bench:lint`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from '../../analyzers/linter.js';
import { documentHeap } from './document-heap.js';
import { editTrace, longScript, type EditKind } from './edit-trace.js';
import { loadAverage, machine, noisy, summarize, writeSection, type Summary } from './bench-report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const EDITS = 500;
const SIZES = [2000, 10000];
/** p90 above this multiple of p50 means the machine was too busy for the figures to mean anything. */
const NOISE_BOUND = 4;

type AnyLinter = Pick<Linter, 'lint' | 'openDocument'>;

interface Measured {
  all: number[];
  update: number[];
  byKind: Map<EditKind, number[]>;
  heap: number | undefined;
}

function time(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}


/** Replays the trace on one open document per linter, edit by edit, alternating which goes first. */
function replay(linters: AnyLinter[], script: string, edits: ReturnType<typeof editTrace>): Measured[] {
  const measured = linters.map((): Measured => ({ all: [], update: [], byKind: new Map(), heap: undefined }));
  const documents = linters.map((linter) => linter.openDocument());
  const updating = linters.map((linter) => linter.openDocument());
  linters.forEach((linter, i) => linter.lint(script, {}, documents[i]));
  edits.forEach((edit, e) => {
    for (let k = 0; k < linters.length; k++) {
      const i = (k + e) % linters.length;
      const sample = time(() => linters[i]!.lint(edit.text, {}, documents[i]));
      measured[i]!.all.push(sample);
      const kind = measured[i]!.byKind.get(edit.kind) ?? [];
      kind.push(sample);
      measured[i]!.byKind.set(edit.kind, kind);
    }
  });
  // A pass of its own: as in the editor, one document is typed in at a time (others let go of their nodes).
  updating.forEach((document) => document.update(script));
  edits.forEach((edit, e) => {
    for (let k = 0; k < linters.length; k++) {
      const i = (k + e) % linters.length;
      measured[i]!.update.push(time(() => updating[i]!.update(edit.text)));
    }
  });
  for (const document of [...documents, ...updating]) document.dispose();
  return measured;
}

const ms = (s: Summary) => `${s.n} | ${s.p50.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)}`;

async function main(): Promise<void> {
  const write = !process.argv.includes('--no-write') && process.env['FITCHECK_BENCH_NO_WRITE'] !== '1';
  const linters: { name: string; linter: AnyLinter }[] = [{ name: 'this build', linter: await Linter.create() }];
  const peerPath = process.env.FITCHECK_BENCH_PEER;
  if (peerPath) {
    const peer = (await import(path.resolve(peerPath))) as { Linter: { create(): Promise<AnyLinter> } };
    linters.push({ name: `peer (${peerPath})`, linter: await peer.Linter.create() });
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
    replay(linters.map((l) => l.linter), script, edits.slice(0, 50));
    const results = replay(linters.map((l) => l.linter), script, edits);
    results.forEach((result, i) => {
      result.heap = documentHeap(linters[i]!.linter, script);
      const all = summarize(result.all);
      if (noisy(all, NOISE_BOUND)) tooNoisy = true;
      const name = linters[i]!.name;
      rows.push(`| ${lines} | ${name} | all edits | ${ms(all)} |`);
      for (const [kind, samples] of [...result.byKind].sort()) rows.push(`| ${lines} | ${name} | ${kind} | ${ms(summarize(samples))} |`);
      rows.push(`| ${lines} | ${name} | parse + copy update only | ${ms(summarize(result.update))} |`);
      heapRows.push(`| ${lines} | ${name} | ${result.heap === undefined ? 'n/a (run with --expose-gc)' : `${(result.heap / 2 ** 20).toFixed(2)} MiB`} |`);
    });
  }
  const body = `
## Edit latency and memory of open documents (\`npm run bench:lint\`, edits section)

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${loadBefore} before, ${loadAverage()} after.
A trace of ${EDITS} mixed edits (typing a statement into a function one keystroke at a time, adding a layer line,
changing a layer size or activation in the model class, pasting a copied function), replayed on generated training
scripts (a model class and loop, then the rule fixtures wrapped in functions); each edit timed as the language server
runs it (parse of the statements around the edit, tree-copy update, facts of the statement groups the edit touched, ${'rules'}), after a 50-edit warm-up.${linters.length > 1 ? ' The peer build replays the same edits interleaved with this one, edit by edit.' : ''}

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
