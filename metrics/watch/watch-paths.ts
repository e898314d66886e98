/**
 * Which watch owns a path: one watcher per file, so a path inside a watched folder is already
 * followed, and a folder above watched paths takes them over. Pure path logic (tested without an editor).
 */
import path from 'node:path';

/** Whether `inner` is `outer` or lies inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const a = path.resolve(inner);
  const b = path.resolve(outer);
  return a === b || a.startsWith(b.endsWith(path.sep) ? b : b + path.sep);
}

/** The watched path that already covers `target` (itself or a folder above it). */
export function coveringPath(watched: readonly string[], target: string): string | undefined {
  return watched.find((p) => isWithin(target, p));
}

/** The watched paths a new watch of `target` takes over (those inside it, itself excluded). */
export function pathsInside(watched: readonly string[], target: string): string[] {
  const resolved = path.resolve(target);
  return watched.filter((p) => path.resolve(p) !== resolved && isWithin(p, resolved));
}

/** Of the runs of the watch that covers `target`, those at or under it (all of them when it is the watched path itself). */
export function runsUnder<T extends { watchPath: string; root: string }>(runs: readonly T[], watched: readonly string[], target: string): T[] {
  const owner = coveringPath(watched, target);
  if (!owner) return [];
  const resolved = path.resolve(target);
  return runs.filter((r) => r.watchPath === owner && (path.resolve(owner) === resolved || isWithin(r.root, resolved)));
}
