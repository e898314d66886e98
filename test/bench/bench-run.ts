/**
 * What makes a benchmark's figures trustworthy: every contender interleaved with its peer in the same
 * run, every series summarized as n / p50 / p90 / p99 / max, the machine's load average recorded, and
 * a refusal (non-zero exit, a clear message, nothing written) when a series spread past the bench's bound.
 */
import os from 'node:os';
import { loadAverage, summarize, writeSection, type Summary } from './bench-report.js';

/** One measured series: durations (lower is better) under a label. */
export interface Series {
  label: string;
  summary: Summary;
  /** The quantile whose ratio to p50 is checked against the bound: p90 unless the tail itself is the figure. */
  gauge?: 'p90' | 'p99';
}

/** How far a series spread: its p90 (or `gauge`) over its p50 (1 = every sample alike). */
export function spread(summary: Summary, gauge: 'p90' | 'p99' = 'p90'): number {
  return summary.p50 > 0 ? summary[gauge] / summary.p50 : Number.POSITIVE_INFINITY;
}

/** Fewer samples than this cannot show a spread at all: such a series is refused too. */
export const MIN_SAMPLES = 5;

/** The reason to refuse the run's figures (one line per series past `bound` or with too few samples), or undefined when all are steady enough. */
export function noiseVerdict(series: readonly Series[], bound: number): string | undefined {
  const bad = series.filter((s) => s.summary.n < MIN_SAMPLES || spread(s.summary, s.gauge) > bound);
  if (bad.length === 0) return undefined;
  return bad.map((s) => (s.summary.n < MIN_SAMPLES
    ? `  ${s.label}: ${s.summary.n} samples, fewer than the ${MIN_SAMPLES} a spread needs`
    : `  ${s.label}: ${s.gauge ?? 'p90'} is ${spread(s.summary, s.gauge).toFixed(2)}× p50 over ${s.summary.n} samples (bound ${bound}×)`)).join('\n');
}

/** One contender of an interleaved comparison: a name and one timed sample (or several, e.g. one per epoch). */
export interface Contender {
  name: string;
  sample(): number | number[] | Promise<number | number[]>;
}

/**
 * Runs every contender once per round, for `rounds` rounds, rotating who goes first each round so that
 * neither always runs on a warmer (or busier) machine; returns each contender's samples by name.
 */
export async function interleave(rounds: number, contenders: readonly Contender[]): Promise<Map<string, number[]>> {
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(round + i) % contenders.length]!;
      const got = await contender.sample();
      samples.get(contender.name)!.push(...(Array.isArray(got) ? got : [got]));
    }
  }
  return samples;
}

/** The markdown header of a summary table whose rows come from `summaryRow`. */
export function summaryHeader(unit: string, firstColumn = 'measure'): string {
  return `| ${firstColumn} | n | p50 ${unit} | p90 ${unit} | p99 ${unit} | max ${unit} |\n| --- | --- | --- | --- | --- | --- |`;
}

/** One markdown row: label, n, p50, p90, p99, max (to `digits` decimals). */
export function summaryRow(label: string, s: Summary, digits = 1): string {
  const f = (x: number) => x.toFixed(digits);
  return `| ${label} | ${s.n} | ${f(s.p50)} | ${f(s.p90)} | ${f(s.p99)} | ${f(s.max)} |`;
}

/**
 * A benchmark run: it notes the load average when it starts, collects the series it measures, and at the
 * end either writes its BENCHMARKS.md section or refuses to.
 */
export class BenchRun {
  readonly loadBefore = loadAverage();
  private readonly measured: Series[] = [];

  /** `section` names the BENCHMARKS.md section; `maxSpread` is the largest p90/p50 any series may show. */
  constructor(readonly section: string, readonly maxSpread: number) {}

  /** Summarizes `samples` under `label` and keeps it for the noise check. */
  measure(label: string, samples: readonly number[]): Summary {
    const summary = summarize([...samples]);
    this.measured.push({ label, summary });
    return summary;
  }

  /** Keeps a summary measured elsewhere (e.g. a histogram's) for the noise check, on its p90 or, where the tail is the figure, its p99. */
  record(label: string, summary: Summary, gauge: 'p90' | 'p99' = 'p90'): Summary {
    this.measured.push({ label, summary, gauge });
    return summary;
  }

  /** The load line for the section: 1 / 5 / 15-minute averages before and now, and the cores they share. */
  loadLine(): string {
    return `load average (1 / 5 / 15 min) ${this.loadBefore} before, ${loadAverage()} after, on ${os.availableParallelism()} cores`;
  }

  /**
   * Writes `body` as the section when every series was steady enough (and FITCHECK_BENCH_NO_WRITE is not 1);
   * otherwise prints why, writes nothing and sets a non-zero exit code. Returns whether it wrote.
   */
  finish(root: string, body: string): boolean {
    const verdict = noiseVerdict(this.measured, this.maxSpread);
    if (verdict !== undefined) {
      // The figures are shown (to see what was noisy) but never written.
      console.error(`${body}\n(not recorded: see below)`);
      console.error(`\n${this.section}: REFUSED — the run was too noisy to record (${this.loadLine()}):\n${verdict}\nNothing was written to BENCHMARKS.md. Run it again on a quieter machine.`);
      process.exitCode = 1;
      return false;
    }
    console.log(body);
    if (process.env['FITCHECK_BENCH_NO_WRITE'] === '1') {
      console.error(`${this.section}: FITCHECK_BENCH_NO_WRITE=1, BENCHMARKS.md left as it was`);
      return false;
    }
    writeSection(root, this.section, body);
    console.error(`${this.section}: passed the noise check (every series within ${this.maxSpread}× its p50); BENCHMARKS.md updated`);
    return true;
  }
}
