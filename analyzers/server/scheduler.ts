/**
 * Debounces analysis per document: edits within `delayMs` of each other cause one analysis,
 * and a request for results waits for the analysis of the latest text.
 */

interface Entry<R> {
  text: string;
  version: number;
  timer: NodeJS.Timeout | undefined;
  running: Promise<R> | undefined;
  result: { version: number; value: R } | undefined;
  waiters: ((value: R) => void)[];
}

export class AnalysisScheduler<R> {
  private readonly entries = new Map<string, Entry<R>>();

  constructor(
    private readonly analyze: (uri: string, text: string, version: number) => Promise<R>,
    private readonly delayMs: number,
  ) {}

  /** Records new text; analysis runs after the delay (at once when `immediate`). */
  update(uri: string, text: string, version: number, immediate = false): void {
    let entry = this.entries.get(uri);
    if (!entry) {
      entry = { text, version, timer: undefined, running: undefined, result: undefined, waiters: [] };
      this.entries.set(uri, entry);
    }
    entry.text = text;
    entry.version = version;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.run(uri), immediate ? 0 : this.delayMs);
  }

  /** The analysis of the latest text, waiting for a pending one; undefined for unknown documents. */
  async result(uri: string): Promise<R | undefined> {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    if (!entry.timer && !entry.running && entry.result?.version === entry.version) return entry.result.value;
    if (!entry.timer && !entry.running) return this.run(uri);
    return new Promise<R>((resolve) => entry.waiters.push(resolve));
  }

  /** Forces re-analysis of every open document (after a configuration change). */
  invalidateAll(): void {
    for (const [uri, entry] of this.entries) {
      entry.result = undefined;
      this.update(uri, entry.text, entry.version, true);
    }
  }

  /**
   * Replaces the settled result of `version` (a layer recomputed on top of it, e.g. runtime evidence);
   * false, changing nothing, when the document moved on or an analysis is pending (it will be fresh).
   */
  replace(uri: string, version: number, value: R): boolean {
    const entry = this.entries.get(uri);
    if (!entry || entry.timer || entry.running || entry.version !== version || entry.result?.version !== version) return false;
    entry.result = { version, value };
    return true;
  }

  /** Forgets a closed document. */
  close(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry?.timer) clearTimeout(entry.timer);
    this.entries.delete(uri);
  }

  private async run(uri: string): Promise<R | undefined> {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    if (entry.running) await entry.running.catch(() => undefined);
    if (!this.entries.has(uri) || entry.timer) return undefined; // closed or edited again meanwhile
    const version = entry.version;
    const running = this.analyze(uri, entry.text, version);
    entry.running = running;
    try {
      const value = await running;
      entry.result = { version, value };
      if (entry.version === version && !entry.timer) {
        const waiters = entry.waiters.splice(0);
        for (const resolve of waiters) resolve(value);
      }
      return value;
    } finally {
      if (entry.running === running) entry.running = undefined;
    }
  }
}
