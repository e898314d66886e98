/** `fitcheck train <spec>`: validate a run spec, train it in the trainer process, print progress and the diagnosis. */
import path from 'node:path';
import { encodeEvent } from '../metrics/diagnosis/codec.js';
import { describeDiagnosis, diagnosisTitle, REGIME_TITLES } from '../metrics/diagnosis/describe.js';
import type { EndEvent, InsightKind, RunEvent } from '../metrics/diagnosis/events.js';
import { runsDir as defaultRunsDir } from '../metrics/store/run-store.js';
import type { BackendChoice } from '../trainer/backend.js';
import { readRegularFile } from '../trainer/data/access.js';
import { DataError } from '../trainer/data/csv.js';
import { LIMITS, LimitError } from '../trainer/limits.js';
import { checkDataFitsSpec, loadDataset } from '../trainer/data/dataset.js';
import { startRun, type RunHandle, type StartOptions } from '../trainer/run.js';
import type { RunSpec } from '../trainer/spec/types.js';
import { validateSpec } from '../trainer/spec/validate.js';
import type { Output } from './lint-command.js';
import { ProgressPrinter } from './train-progress.js';
import { displayPath } from './display.js';

export interface TrainOptions {
  /** Print the metric events as NDJSON instead of progress and words. */
  json: boolean;
  backend: BackendChoice;
  /** The run store; default `.fitcheck/runs` under the working directory. */
  runsDir?: string;
  color: boolean;
  /** Draw a progress bar that redraws in place (stdout is a terminal). */
  tty: boolean;
  columns?: number;
  /**
   * Folders a spec's CSV file may be read from besides the current directory and the spec's own
   * folder (`--allow-data-dir`).
   */
  allowDataDirs?: string[];
  /** Trainer entry override (tests and bundles that keep it elsewhere). */
  childPath?: string;
  /** Receives the run handle, e.g. to stop it on Ctrl-C. */
  onStart?(run: RunHandle): void;
}

export const EXIT_COMPLETED = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_SPEC = 2;
/** A run stopped by the user (Ctrl-C), as shells report SIGINT. */
export const EXIT_STOPPED = 130;

/** Trains the spec at `specPath`; resolves to the exit code (0 completed, 1 failed, 2 bad spec, 130 stopped). */
export async function runTrain(specPath: string, options: TrainOptions, out: Output): Promise<number> {
  const loaded = loadSpec(specPath, out);
  if (!loaded) return EXIT_BAD_SPEC;
  const { spec, baseDir } = loaded;
  // Data files are read from the folder the user runs in, the spec's folder, and folders allowed explicitly.
  const dataRoots = [process.cwd(), baseDir, ...(options.allowDataDirs ?? []).map((d) => path.resolve(d))];

  // Load the data here first, so a bad CSV is a bad spec (exit 2) with line numbers, not a failed run.
  try {
    const misfit = checkDataFitsSpec(spec, loadDataset(spec, baseDir, { dataRoots }));
    if (misfit) throw new DataError(misfit);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    out.stderr(`${displayPath(specPath)}: ${error instanceof LimitError ? '' : 'data: '}${error.message}\n`);
    return EXIT_BAD_SPEC;
  }

  const start: StartOptions = { runsDir: options.runsDir ?? defaultRunsDir(process.cwd()), baseDir, dataRoots, backend: options.backend };
  if (options.childPath) start.childPath = options.childPath;
  let run: RunHandle;
  try {
    run = startRun(spec, start);
  } catch (error) {
    out.stderr(`fitcheck: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
  options.onStart?.(run);
  const printer = options.json ? undefined : new ProgressPrinter((text) => out.stdout(text), { tty: options.tty, color: options.color, ...(options.columns ? { columns: options.columns } : {}) });
  const insights: InsightKind[] = [];
  let end: EndEvent | undefined;
  for await (const event of run as AsyncIterable<RunEvent>) {
    if (options.json) out.stdout(encodeEvent(event));
    else printer!.onEvent(event);
    if (event.type === 'insight' && !insights.includes(event.kind)) insights.push(event.kind);
    if (event.type === 'end') end = event;
  }
  end ??= await run.done;
  if (!options.json) out.stdout(summary(spec, end, insights, run.dir));
  if (end.status === 'completed') return EXIT_COMPLETED;
  return end.status === 'stopped' ? EXIT_STOPPED : EXIT_FAILED;
}

/** Reads and validates a spec file; prints `file:line:col: error message` lines (1-based) and returns undefined when invalid. */
export function loadSpec(specPath: string, out: Output): { spec: RunSpec; baseDir: string } | undefined {
  let text: string;
  try {
    // A regular file of bounded size: a FIFO or /dev/zero given as the spec must not hang or fill memory.
    text = readRegularFile(specPath, LIMITS.specBytes, specPath, '').toString('utf8');
  } catch (error) {
    out.stderr(`fitcheck: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
  const { spec, errors } = validateSpec(text);
  if (!spec) {
    const shown = displayPath(specPath);
    for (const e of errors) out.stderr(`${shown}:${e.line + 1}:${e.column + 1}: error ${e.message}\n`);
    out.stderr(`fitcheck: ${shown} is not a valid run spec (${errors.length} error${errors.length === 1 ? '' : 's'}); see docs/runspec.md\n`);
    return undefined;
  }
  spec.name ??= path.basename(specPath).replace(/\.fitrun\.json$|\.json$/i, '');
  return { spec, baseDir: path.dirname(path.resolve(specPath)) };
}

/** The closing words: status, diagnosis, insights, whether the experiment showed what it expected, where the run is stored. */
function summary(spec: RunSpec, end: EndEvent, insights: InsightKind[], dir: string): string {
  const lines: string[] = [''];
  const head = end.status === 'completed' ? `Completed ${end.epochs} epoch${end.epochs === 1 ? '' : 's'}` : end.status === 'stopped' ? `Stopped after ${end.epochs} epochs` : `Failed after ${end.epochs} epochs`;
  lines.push(`${head}${end.reason ? ` (${end.reason})` : ''}${end.restoredBest ? `; restored the weights of epoch ${end.bestEpoch}` : ''}.`);
  if (end.status === 'failed' && end.error && end.error !== end.reason) lines.push(`Error: ${end.error}`);
  if (end.diagnosis) lines.push('', describeDiagnosis(end.diagnosis));
  if (insights.length > 0) lines.push('', `Insights: ${insights.join(', ')} (details above).`);
  const expect = spec.expect;
  if (expect && end.diagnosis) {
    const misses: string[] = [];
    if (expect.regime && expect.regime !== end.diagnosis.regime) misses.push(`expected ${REGIME_TITLES[expect.regime].toLowerCase()}, got ${diagnosisTitle(end.diagnosis).toLowerCase()}`);
    if (expect.state && expect.state !== end.diagnosis.state) misses.push(`expected the verdict to be ${expect.state}, got ${end.diagnosis.state}`);
    for (const kind of expect.insights ?? []) if (!insights.includes(kind)) misses.push(`expected the insight ${kind}`);
    for (const kind of expect.absentInsights ?? []) if (insights.includes(kind)) misses.push(`did not expect the insight ${kind}`);
    lines.push('', misses.length === 0 ? 'As expected by the spec.' : `Not as expected by the spec: ${misses.join('; ')}.`);
  }
  lines.push('', `Run stored in ${displayPath(dir)}`);
  return `${lines.join('\n')}\n`;
}
