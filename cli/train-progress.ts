/** What `fitcheck train` prints while a run goes: a redrawn progress bar on a terminal, plain lines otherwise. */
import { formatError, REGIME_TITLES } from '../metrics/diagnosis/describe.js';
import type { EpochEvent, InsightEvent, RunEvent, StartEvent } from '../metrics/diagnosis/events.js';
import { formatLoss } from './display.js';

export interface ProgressOptions {
  /** Redraw one line in place (a TTY); otherwise print plain lines. */
  tty: boolean;
  color: boolean;
  /** Terminal width for the bar. */
  columns?: number;
}

const BAR_WIDTH = 24;

/** Turns events into text; `write` receives what to print. */
export class ProgressPrinter {
  private epochs = 0;
  private barShown = false;
  private every = 1;

  constructor(private readonly write: (text: string) => void, private readonly options: ProgressOptions) {}

  /** Prints what this event changes. */
  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'start': return this.onStart(event);
      case 'epoch': return this.onEpoch(event);
      case 'insight': return this.onInsight(event);
      case 'end': return this.clearBar();
      case 'batch': return undefined;
    }
  }

  /** Removes the progress bar before other text is printed. */
  clearBar(): void {
    if (!this.barShown) return;
    this.write('\r\u001b[2K');
    this.barShown = false;
  }

  private onStart(event: StartEvent): void {
    this.epochs = event.epochs;
    // Plain output keeps about 25 epoch lines however long the run.
    this.every = Math.max(1, Math.ceil(event.epochs / 25));
    const data = event.data ? `, ${event.data.train} training / ${event.data.validation} validation examples` : '';
    this.write(`Training ${event.name ?? event.runId} on ${event.backend} (${event.epochs} epochs${data}, ε = ${formatError(event.epsilon)})\n`);
    for (const note of event.notes ?? []) this.write(`  note: ${note}\n`);
  }

  private onEpoch(event: EpochEvent): void {
    const numbers = `loss ${formatLoss(event.train.loss)}  error ${formatError(event.train.error)}`
      + (event.val ? `  val loss ${formatLoss(event.val.loss)}  val error ${formatError(event.val.error)}` : '');
    const regime = event.regime ? `  ${REGIME_TITLES[event.regime].toLowerCase()}` : '';
    if (this.options.tty) {
      const done = Math.min(BAR_WIDTH, Math.round((event.epoch / Math.max(1, this.epochs)) * BAR_WIDTH));
      const bar = `${'█'.repeat(done)}${'░'.repeat(BAR_WIDTH - done)}`;
      let line = `${bar} ${String(event.epoch).padStart(String(this.epochs).length)}/${this.epochs}  ${numbers}${regime}`;
      if (this.options.columns && line.length > this.options.columns - 1) line = line.slice(0, this.options.columns - 1);
      this.write(`\r\u001b[2K${line}`);
      this.barShown = true;
      return;
    }
    if (event.epoch % this.every !== 0 && event.epoch !== this.epochs && event.epoch !== 1) return;
    this.write(`epoch ${String(event.epoch).padStart(String(this.epochs).length)}/${this.epochs}  ${numbers}${regime}\n`);
  }

  private onInsight(event: InsightEvent): void {
    this.clearBar();
    const tag = `[${event.kind}]`;
    this.write(`  ${this.options.color ? `\u001b[33m${tag}\u001b[0m` : tag} epoch ${event.epoch}: ${event.message}\n`);
  }
}
