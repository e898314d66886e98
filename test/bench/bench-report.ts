/** Shared benchmark helpers: statistics, the machine's description, and BENCHMARKS.md sections. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The value at quantile `q` (0..1) of the samples. */
export function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** One line naming the machine the numbers were measured on. */
export function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/** Replaces (or appends) the section between `<!-- name -->` and `<!-- /name -->` in BENCHMARKS.md. */
export function writeSection(root: string, name: string, body: string): void {
  const file = path.join(root, 'BENCHMARKS.md');
  const start = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\nMeasured by `npm run bench`; each section says what, where and against which peer.\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, text);
}

/** The figures every benchmark reports for a set of samples. */
export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** n, p50, p90, p99 and max of the samples. */
export function summarize(samples: number[]): Summary {
  return { n: samples.length, p50: quantile(samples, 0.5), p90: quantile(samples, 0.9), p99: quantile(samples, 0.99), max: Math.max(...samples) };
}

/** Whether the samples spread too much to be recorded: p90 above `bound` × p50. */
export function noisy(summary: Summary, bound: number): boolean {
  return summary.p90 > bound * summary.p50;
}

/** The 1, 5 and 15-minute load averages, for the record next to a figure. */
export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' / ');
}
