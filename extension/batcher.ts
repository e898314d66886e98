/**
 * Collects items and hands them over in batches, at most once per interval: a fast run (hundreds
 * of epochs a second) must not flood the webview with one postMessage per epoch. Pure; the clock
 * and timer are injectable so tests need no real time.
 */

export interface Scheduler {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Batches items into `flush` calls at most every `intervalMs` (default 100 ms: 10 a second). */
export class Batcher<T> {
  private pending: T[] = [];
  private timer: unknown;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(private readonly flush: (items: T[]) => void, private readonly intervalMs = 100, private readonly scheduler: Scheduler = realScheduler) {}

  /** Queues an item; the batch goes out as soon as the interval since the last one allows. */
  push(item: T): void {
    this.pending.push(item);
    this.schedule();
  }

  /** Asks for a flush without an item (e.g. only the header changed). */
  touch(): void {
    this.schedule();
  }

  /** Sends what is pending now (the run ended: the last epoch must not wait). */
  flushNow(): void {
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = this.scheduler.now();
    const items = this.pending;
    this.pending = [];
    this.flush(items);
  }

  /** Drops pending items and the timer (the panel closed). */
  dispose(): void {
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.scheduler.now());
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = undefined;
      this.flushNow();
    }, wait);
  }
}
