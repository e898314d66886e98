/**
 * The words and numbers of the charts' x axis. Points are plotted at their epoch index (the regime
 * shading and insight ranges are in those units); a run that logged steps without epochs labels its
 * axis, ticks and tooltips with the steps it logged. Pure.
 */
import type { Axis } from '../../metrics/diagnosis/events.js';

export class XAxis {
  private axis: Axis = 'epoch';
  /** Epoch index to logged step, kept on a step axis only (watched logs: at most a thousand points). */
  private readonly steps = new Map<number, number>();

  /** Sets the run's axis (the header's); a new run forgets the old steps. */
  reset(axis: Axis | undefined): void {
    this.axis = axis ?? 'epoch';
    this.steps.clear();
  }

  /** Records the logged step of a point. */
  record(index: number, step: number | undefined): void {
    if (this.axis === 'step' && step !== undefined && Number.isFinite(step)) this.steps.set(index, step);
  }

  /** "epoch" or "step": the axis title. */
  get word(): Axis {
    return this.axis;
  }

  /** The number a point is known by: its logged step on a step axis, else its epoch. */
  valueOf(index: number): number {
    return this.axis === 'step' ? this.steps.get(index) ?? index : index;
  }

  /** "epoch 12" / "step 12800": a point as tooltips and the header name it. */
  label(index: number): string {
    return `${this.axis} ${this.valueOf(index)}`;
  }

  /** "epochs 3–9" / "steps 300–900"; one point alone as `label`. */
  rangeLabel(from: number, to: number): string {
    return from === to ? this.label(from) : `${this.axis}s ${this.valueOf(from)}–${this.valueOf(to)}`;
  }

  /**
   * A tick's text: the epoch, or the logged step on a step axis; nothing between points (a zoomed
   * axis starts at a fraction, which chart.js would otherwise label "53.447905625598054").
   */
  tick(value: number): string {
    if (!Number.isInteger(value)) return '';
    if (this.axis === 'epoch') return String(value);
    const step = this.steps.get(value);
    return step === undefined ? '' : String(step);
  }
}
