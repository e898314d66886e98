/**
 * Finds the runs under a folder the user watches: TensorBoard event files (a run is the folder of
 * its files; Keras' `train/` and `validation/` writers are one run), the Python helper's
 * `*.fitcheck.jsonl` files (a run each), DVCLive folders and metric CSV files. The walk is bounded
 * in depth and entries, skips hidden and dependency folders, and never throws.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dvcliveMetricName, hasStepColumn, isCsvName } from '../readers/csv.js';
import { isEventFileName } from '../readers/event-file-name.js';
import { openForReading } from '../readers/file-tail.js';
import { isFitcheckJsonlName } from '../readers/jsonl.js';

export type SourceKind = 'tfevents' | 'jsonl' | 'csv';

/** One file of a run; its tags are read as `prefix + tag`. */
export interface RunFile {
  file: string;
  kind: SourceKind;
  prefix: string;
  /** A single-metric file's metric (DVCLive). */
  metricName?: string;
}

export interface RunTarget {
  /** Stable across reloads: derived from the run's path. */
  runId: string;
  name: string;
  /** The run's folder, or its file for a single-file run. */
  root: string;
  files: RunFile[];
}

/** Folder names of a writer per split (Keras' TensorBoard callback writes `train/` and `validation/`). */
const SPLIT_DIRS = new Set(['train', 'training', 'validation', 'val', 'valid', 'eval', 'evaluation', 'test']);
const SKIP_DIRS = new Set(['node_modules', '__pycache__', 'site-packages', 'venv', 'env']);
/**
 * A CSV in a watched folder is a run when its header has a step, epoch or iteration column, as
 * metric logs do (Keras' CSVLogger, Lightning, fastai); a dataset CSV has none and is left alone.
 */
function csvHasStepColumn(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openForReading(file);
    if (!fs.fstatSync(fd).isFile()) return false;
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return hasStepColumn(buf.subarray(0, n).toString('utf8').split(/\r?\n/)[0]!);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export const DISCOVERY_LIMITS = { depth: 8, entries: 20_000 };

/** The folder to watch for a log file found in a workspace folder: its top-level folder there (`runs/`, `logs/`), else its own folder. */
export function watchRootFor(file: string, workspaceRoot: string): string {
  const relative = path.relative(workspaceRoot, file);
  const parts = relative.split(path.sep);
  if (relative.startsWith('..') || path.isAbsolute(relative) || parts.length < 2) return path.dirname(file);
  return path.join(workspaceRoot, parts[0]!);
}

/** The kind of a file Fitcheck can read, when the user points at it directly. */
export function fileKind(file: string): SourceKind | undefined {
  const name = path.basename(file);
  if (isEventFileName(name)) return 'tfevents';
  if (name.endsWith('.jsonl')) return 'jsonl';
  if (isCsvName(name) || name.endsWith('.log')) return 'csv';
  return undefined;
}

/** A run id for a path: `watch-<slug>-<hash>` (the hash keeps two runs of the same name apart). */
export function watchRunId(root: string): string {
  const slug = path.basename(root).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
  return `watch-${slug}-${crypto.createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 8)}`;
}

export interface Discovery {
  runs: RunTarget[];
  issues: string[];
  truncated: boolean;
  /** The folders walked, shallowest first (a live watch listens to them for new runs). */
  dirs: string[];
}

/** The runs under `target` (a folder, or one file); `issues` says what could not be listed. */
export function discoverRuns(target: string): Discovery {
  const issues: string[] = [];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    return { runs: [], issues: [`${target}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : String(error)}`], truncated: false, dirs: [] };
  }
  if (stat.isFile()) {
    const kind = fileKind(target);
    if (!kind) return { runs: [], issues: [`${target}: not a TensorBoard event file, Fitcheck JSONL or CSV/TSV metrics file`], truncated: false, dirs: [] };
    const metricName = kind === 'csv' ? dvcliveMetricName(target) : undefined;
    return { runs: [{ runId: watchRunId(target), name: path.basename(target), root: target, files: [{ file: target, kind, prefix: '', ...(metricName ? { metricName } : {}) }] }], issues, truncated: false, dirs: [] };
  }
  // A FIFO, socket or device would block or never end a read: only files and folders are read.
  if (!stat.isDirectory()) return { runs: [], issues: [`${target}: not a regular file or folder; only files and folders are read`], truncated: false, dirs: [] };
  const byRoot = new Map<string, RunTarget>();
  const add = (root: string, file: RunFile) => {
    let run = byRoot.get(root);
    if (!run) {
      const rel = path.relative(target, root);
      run = { runId: watchRunId(root), name: rel === '' ? path.basename(root) : rel.split(path.sep).join('/'), root, files: [] };
      byRoot.set(root, run);
    }
    run.files.push(file);
  };
  let entries = 0;
  let truncated = false;
  const eventFiles = new Map<string, string[]>();
  const walked: { dir: string; depth: number }[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > DISCOVERY_LIMITS.depth || truncated) return;
    walked.push({ dir, depth });
    let items: fs.Dirent[];
    try {
      items = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      issues.push(`${dir}: ${String((error as Error).message)}`);
      return;
    }
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const item of items) {
      if (++entries > DISCOVERY_LIMITS.entries) {
        truncated = true;
        return;
      }
      const full = path.join(dir, item.name);
      if (item.isDirectory()) {
        if (!item.name.startsWith('.') && !SKIP_DIRS.has(item.name)) walk(full, depth + 1);
        continue;
      }
      if (!item.isFile()) continue;
      if (isEventFileName(item.name)) {
        const list = eventFiles.get(dir) ?? [];
        list.push(full);
        eventFiles.set(dir, list);
      } else if (isFitcheckJsonlName(item.name)) {
        add(full, { file: full, kind: 'jsonl', prefix: '' });
      } else if (isCsvName(item.name)) {
        const metricName = dvcliveMetricName(full);
        if (metricName) {
          const parts = full.split(path.sep);
          add(parts.slice(0, parts.lastIndexOf('plots')).join(path.sep), { file: full, kind: 'csv', prefix: '', metricName });
        } else if (csvHasStepColumn(full)) {
          add(full, { file: full, kind: 'csv', prefix: '' });
        }
      }
    }
  };
  walk(target, 0);
  // Event-file folders become runs once all are known: how a folder is read depends on its siblings.
  for (const [dir, files] of eventFiles) {
    const parent = path.dirname(dir);
    const name = path.basename(dir);
    const split = dir !== target && SPLIT_DIRS.has(name.toLowerCase());
    const siblingSplit = split && [...eventFiles.keys()].some((d) => d !== dir && path.dirname(d) === parent && SPLIT_DIRS.has(path.basename(d).toLowerCase()));
    // TF2's writers (Keras' callback) name their files `….v2`: a lone train/ of them is Keras' run
    // before its validation/ writer appears (end of the first epoch). Read as the parent's from the
    // start, the run keeps one id, instead of a `train` run that the parent's run later duplicates.
    const kerasSplit = split && files.some((f) => f.endsWith('.v2'));
    // Keras writes train/ and validation/ side by side: one run. A lone train/ of TF1-style files (Ultralytics' runs/detect/train) is a run itself.
    // SummaryWriter.add_scalars writes <logdir>/<tag>_<name>/ next to the writer's own file in <logdir>: part of that run.
    const addScalarsChild = dir !== target && eventFiles.has(parent);
    const [root, prefix] = siblingSplit || kerasSplit || addScalarsChild ? [parent, `${name}/`] : [dir, ''];
    for (const file of files) add(root, { file, kind: 'tfevents', prefix });
  }
  if (truncated) issues.push(`${target}: stopped listing after ${DISCOVERY_LIMITS.entries} entries; watch a smaller folder to see every run`);
  const runs = [...byRoot.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const dirs = walked.sort((a, b) => a.depth - b.depth).map((w) => w.dir);
  return { runs, issues, truncated, dirs };
}
