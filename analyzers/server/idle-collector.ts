/**
 * Gives the garbage of a burst of analyses back once the server falls idle. Node gives V8 no idle
 * tasks, so V8's memory reducer only compacts the heap 15-30 s into a pause; until then the pages the
 * analyses' short-lived objects filled stay resident. A few full collections while nothing else runs
 * hand that memory back within a second or two, at a time nobody waits on the server.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Milliseconds without analysis after which the server collects: longer than a pause between keystrokes. */
export const IDLE_COLLECT_MS = 1000;
/** Pause between two collections of one idle spell, so that a request arriving meanwhile is served first. */
const STEP_MS = 50;
/** Collections per idle spell at most: each compacts only the emptiest pages, so one is not enough. */
const MAX_STEPS = 6;
/** Old space holding less than this share of garbage is left as it is. */
const SLACK = 0.25;

/** V8's full collection, exposed for this process without a command-line flag; undefined where V8 refuses. */
export function exposedCollector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    // A new context reads the flag when it is made; the process's own global was made before it.
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    return typeof gc === 'function' ? () => void (gc as () => unknown)() : undefined;
  } catch {
    return undefined;
  }
}

/** Share of the old space's committed size that holds no live object. */
export function oldSpaceSlack(): number {
  const old = getHeapSpaceStatistics().find((space) => space.space_name === 'old_space');
  return old && old.space_size > 0 ? 1 - old.space_used_size / old.space_size : 0;
}

/** Collects `delayMs` after the last {@link busy} call, then again while the old space stays slack, a few times at most. */
export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly collect: (() => void) | undefined, private readonly delayMs = IDLE_COLLECT_MS, private readonly slack = oldSpaceSlack) {}

  /** Work that made garbage just ended: (re)arms the collection, cancelling one under way. */
  busy(): void {
    if (!this.collect) return;
    this.arm(this.delayMs, MAX_STEPS);
  }

  /** Cancels a pending collection. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delay: number, steps: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.collect!();
      if (steps > 1 && this.slack() > SLACK) this.arm(STEP_MS, steps - 1);
    }, delay);
    // An armed collection never keeps the process alive.
    this.timer.unref();
  }
}
