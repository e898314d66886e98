/** Where a logged step lies in a run's rows: the runtime evidence's "open the run at that step". */

/** The epoch (row index) that shows `step`: the first row logged at or after it; undefined while no row has reached it. */
export function rowAtStep(rows: readonly { epoch: number; step?: number }[], step: number): number | undefined {
  // Rows without a logged step are epochs: their epoch is their step (a helper's per-epoch records).
  const found = rows.find((r) => (r.step ?? r.epoch) >= step);
  return found?.epoch;
}
