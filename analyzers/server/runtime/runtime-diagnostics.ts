/**
 * Runtime evidence as LSP diagnostics (source `fitcheck-run`) on the lines that create the layers,
 * from the latest monitored run of the script (or the latest run its `fitcheck_logger` wrote, when it
 * names the script); a static finding on the same line gets the evidence
 * as related information. A healthy newer run clears them (only the latest run counts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { PythonParser } from '../../python/parser.js';
import { loggedRunFiles } from './logged-runs.js';
import { MONITOR_FOLDER } from './monitor-env.js';
import { latestRunAmong, latestRunOf } from './monitored-runs.js';
import { placeEvidence, type PlacedEvidence } from './script-evidence.js';
import type { MonitoredRun } from './run-evidence.js';

export const RUNTIME_SOURCE = 'fitcheck-run';
/** How long a listing of the monitor folders is trusted before it is read again. */
const LISTING_TTL_MS = 2000;

/** Finds and caches each script's latest monitored run; `invalidate()` when run files change. */
export class RuntimeEvidence {
  private readonly latest = new Map<string, { at: number; found?: { file: string; run: MonitoredRun; stamp: string } }>();

  constructor(private readonly parser: () => Promise<PythonParser>) {}

  /** Forgets every cached run (a run file was written or removed). */
  invalidate(): void {
    this.latest.clear();
  }

  /** Which run the evidence of `file` comes from now (its path and size/mtime stamp); '' when it has none. */
  currentRun(file: string, roots: readonly string[]): string {
    const found = this.runOf(file, roots);
    return found ? `${found.file}@${stampOf(found.file)}` : '';
  }

  /** The runtime diagnostics of `file` (with `text` as its current content), and the static ones with related evidence. */
  async diagnose(file: string, text: string, roots: readonly string[], uri: string, staticDiagnostics: Diagnostic[]): Promise<Diagnostic[]> {
    const found = this.runOf(file, roots);
    if (!found) return staticDiagnostics;
    const placed = placeEvidence(await this.parser(), text, found.run).filter((e): e is PlacedEvidence & { span: NonNullable<PlacedEvidence['span']> } => e.span !== undefined);
    if (placed.length === 0) return staticDiagnostics;
    const runtime: Diagnostic[] = placed.map((e) => ({
      range: { start: e.span.start, end: { line: e.span.start.line, character: Math.max(e.span.start.character, lineEnd(text, e.span.start.line)) } },
      severity: e.kind === 'exploding-gradients' ? DiagnosticSeverity.Warning : e.kind === 'vanishing-gradients' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
      code: e.kind,
      source: RUNTIME_SOURCE,
      message: e.message.charAt(0).toUpperCase() + e.message.slice(1),
      data: { runFile: found.file, runId: found.run.runId, step: e.step, layer: e.layer },
    }));
    const withRelated = staticDiagnostics.map((d) => {
      const evidence = runtime.filter((r) => r.range.start.line >= d.range.start.line && r.range.start.line <= d.range.end.line);
      if (evidence.length === 0) return d;
      return { ...d, relatedInformation: [...(d.relatedInformation ?? []), ...evidence.map((r) => ({ location: { uri, range: r.range }, message: `measured: ${r.message}` }))] };
    });
    return [...withRelated, ...runtime];
  }

  /** The newest run of `file`: under the monitor folders of the roots that hold it and of its own folder, or a helper's run near them. */
  private runOf(file: string, roots: readonly string[]): { file: string; run: MonitoredRun } | undefined {
    const now = Date.now();
    const cached = this.latest.get(file);
    if (cached && now - cached.at < LISTING_TTL_MS && (!cached.found || stampOf(cached.found.file) === cached.found.stamp)) return cached.found;
    const searched = [...new Set([...roots.filter((r) => file.startsWith(r + path.sep)), path.dirname(file)])];
    let best: { file: string; run: MonitoredRun; stamp: string } | undefined;
    let bestTime = -Infinity;
    // The monitor's runs, and the runs the helper wrote (`log.watch(model)` names layers the same way).
    const candidates = [...searched.map((r) => latestRunOf(path.join(r, MONITOR_FOLDER), file)), latestRunAmong(loggedRunFiles(searched), file)];
    for (const found of candidates) {
      if (!found) continue;
      const time = fs.statSync(found.file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      if (time > bestTime) {
        best = { ...found, stamp: stampOf(found.file) };
        bestTime = time;
      }
    }
    this.latest.set(file, best ? { at: now, found: best } : { at: now });
    return best;
  }
}

function stampOf(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.mtimeMs}:${stat.size}` : '';
}

/** The length of line `line` of `text`. */
function lineEnd(text: string, line: number): number {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return 0;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return (end < 0 ? text.length : end) - start;
}
