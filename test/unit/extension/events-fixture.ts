/** Small metric streams for the extension's pure modules. */
import type { EndEvent, EpochEvent, InsightEvent, RunEvent, StartEvent } from '../../../metrics/diagnosis/events.js';

export const start = (over: Partial<StartEvent> = {}): StartEvent => ({
  type: 'start', format: 'fitcheck-metrics', version: 1, runId: '20260125-152233-demo-1f0c', time: '2026-01-25T15:22:33.120Z', name: 'demo',
  backend: 'wasm', versions: {}, task: 'regression', metric: 'normalized-mse', epsilon: 0.1, epochs: 5, layers: ['dense1', 'dense2'], ...over,
});

export const epoch = (n: number, trainError: number, valError?: number, over: Partial<EpochEvent> = {}): EpochEvent => ({
  type: 'epoch', epoch: n, train: { loss: trainError, error: trainError, n: 500, errorStdErr: 0.01 }, ...(valError === undefined ? {} : { val: { loss: valError, error: valError, n: 500, errorStdErr: 0.01 } }),
  wallTime: n * 0.01, regime: trainError > 0.1 ? 'high-bias' : valError !== undefined && valError > 0.1 ? 'high-variance' : 'good-fit',
  layers: [
    { name: 'dense1', kind: 'dense', gradNorm: 0.5 / n, weightNorm: 1, updateRatio: 0.001 },
    { name: 'dense2', kind: 'dense', gradNorm: 1 / n, weightNorm: 1, updateRatio: 0.001 },
  ],
  ...over,
});

export const insight = (n: number): InsightEvent => ({
  type: 'insight', kind: 'plateau', epoch: n, severity: 'warning', message: `plateau at ${n}`, evidence: { window: 10 }, remedies: ['Raise the learning rate.'],
});

export const end = (over: Partial<EndEvent> = {}): EndEvent => ({ type: 'end', status: 'completed', epochs: 5, wallTime: 0.05, diagnosis: null, ...over });

/** A completed run: high bias for two epochs, then a good fit. */
export function completedRun(): RunEvent[] {
  return [start(), epoch(1, 0.5, 0.6), epoch(2, 0.3, 0.35), epoch(3, 0.08, 0.09), epoch(4, 0.05, 0.07), epoch(5, 0.04, 0.08), end()];
}
