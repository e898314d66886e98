/** Early stopping (the seed's section 6): stop when the monitored quantity stops improving. */
import type { EpochEvent } from '../metrics/diagnosis/events.js';
import type { Monitor, TrainingSpec } from './spec/types.js';

/** The monitored value of an epoch; undefined when the epoch lacks it (no validation set). */
export function monitorValue(monitor: Monitor, epoch: EpochEvent): number | undefined {
  switch (monitor) {
    case 'val_loss': return epoch.val?.loss;
    case 'val_error': return epoch.val?.error;
    case 'loss': return epoch.train.loss;
    case 'error': return epoch.train.error;
  }
}

/** Tracks the best epoch and says when patience has run out. */
export class EarlyStopping {
  best = Number.POSITIVE_INFINITY;
  bestEpoch = 0;
  private wait = 0;

  constructor(private readonly options: NonNullable<TrainingSpec['earlyStopping']>) {}

  /** Records an epoch; `improved` when it is the new best, `stop` when patience ran out. */
  update(epoch: EpochEvent): { improved: boolean; stop: boolean } {
    const value = monitorValue(this.options.monitor, epoch);
    if (value === undefined || !Number.isFinite(value)) {
      this.wait += 1;
      return { improved: false, stop: this.wait >= Math.max(1, this.options.patience) };
    }
    if (value < this.best - this.options.minDelta) {
      this.best = value;
      this.bestEpoch = epoch.epoch;
      this.wait = 0;
      return { improved: true, stop: false };
    }
    this.wait += 1;
    return { improved: false, stop: this.wait >= Math.max(1, this.options.patience) };
  }

  /** Why the run stopped, for the end event. */
  reason(): string {
    const { monitor, patience } = this.options;
    return `early stopping: ${monitor} did not improve for ${patience} epoch${patience === 1 ? '' : 's'} (best ${Number(this.best.toPrecision(4))} at epoch ${this.bestEpoch})`;
  }
}
