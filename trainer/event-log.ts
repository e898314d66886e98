/**
 * Where a training run's events go: the run's events.jsonl and the parent process. A write that
 * fails (a full disk) must not crash the trainer: the run is asked to stop, the file keeps every
 * complete line, and the end event says plainly why the run ended, on disk too when space allows.
 */
import type { EndEvent, RunEvent } from '../metrics/diagnosis/events.js';
import { RunWriteError, type RunWriter } from '../metrics/store/run-store.js';

export class EventLog {
  /** Why writing failed, once it has. */
  private failure: string | undefined;
  /** The same in a few words, for the end event's `error` (short, so the line fits what space is left). */
  private failureCode = '';

  /** `forward` receives every event (the IPC send), whether or not it reached the disk. */
  constructor(private readonly writer: RunWriter, private readonly forward: (event: RunEvent) => void) {}

  /** True once a write failed: the training loop should stop. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Writes and forwards an event; never throws. After a failed write, the end event becomes a failure naming the cause. */
  emit(event: RunEvent): void {
    let out = event;
    if (this.failure === undefined) {
      this.tryWrite(event);
    } else if (event.type === 'end') {
      out = this.failedEnd(event);
      // Cutting the partial line off may have freed enough space for this short line.
      this.tryWrite(out);
    }
    if (this.failure !== undefined && out.type === 'end' && out === event) out = this.failedEnd(event);
    this.forward(out);
  }

  /** Flushes and closes the file; never throws. */
  close(): void {
    this.writer.sync();
    this.writer.close();
  }

  private tryWrite(event: RunEvent): void {
    try {
      this.writer.write(event);
    } catch (error) {
      if (this.failure !== undefined) return;
      this.failure = error instanceof RunWriteError ? error.message : `cannot write the run's events: ${error instanceof Error ? error.message : String(error)}`;
      this.failureCode = error instanceof RunWriteError && error.diskFull ? `disk full (${error.code})` : (error as { code?: string }).code ?? 'write failed';
    }
  }

  private failedEnd(end: EndEvent): EndEvent {
    const reason = this.failure!;
    const after = end.epochs > 0 ? ` (stopped after epoch ${end.epochs})` : '';
    return { ...end, status: 'failed', reason: `${reason}${after}`, error: this.failureCode };
  }
}
