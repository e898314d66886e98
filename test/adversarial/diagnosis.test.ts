/**
 * Adversarial inputs for the diagnosis (issue 20, item 6): very long runs, runs full of NaN, and
 * events with absurd numbers. The analysis must stay linear in the epochs (each epoch costs the
 * same however long the run) and never throw.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochEvent, LayerStats } from '../../metrics/diagnosis/events.js';
import { RunAnalyzer } from '../../metrics/diagnosis/insights.js';

const layers: LayerStats[] = [1, 2, 3].map((i) => ({ name: `dense${i}`, kind: 'dense', gradNorm: 0.1 * i, weightNorm: 1, updateRatio: 0.01 }));

/** A noisy, slowly improving run of `n` epochs, analysed with a live diagnosis after every epoch. */
function analyse(n: number, values: (e: number) => Partial<EpochEvent> = () => ({})): number {
  const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error' });
  const started = performance.now();
  for (let e = 1; e <= n; e++) {
    const noise = Math.sin(e * 12.9898) * 0.01;
    analyzer.addEpoch({
      type: 'epoch', epoch: e, wallTime: e, layers,
      train: { loss: 1 / Math.sqrt(e) + noise, error: 0.3 * Math.exp(-e / 800) + noise / 10, n: 1000 },
      val: { loss: 1 / Math.sqrt(e) + 0.05 + noise, error: 0.3 * Math.exp(-e / 800) + 0.03, n: 1000 },
      ...values(e),
    });
    analyzer.diagnosis();
  }
  return performance.now() - started;
}

describe('the diagnosis under adversarial runs', () => {
  it('analyses 40,000 epochs in about twice the time of 20,000 (linear, not quadratic)', () => {
    analyse(2000); // warm the JIT so the two measured sizes compare like with like
    const small = analyse(20000);
    const large = analyse(40000);
    // Quadratic work would make the ratio 4; allow a loaded machine generous slack below that.
    assert.ok(large / small < 3.2, `20k epochs: ${small.toFixed(0)} ms, 40k: ${large.toFixed(0)} ms`);
  });

  it('never throws on epochs full of NaN, infinities and absurd magnitudes', () => {
    const weird = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1e308, 0, -0, 5e-324];
    const analyzer = new RunAnalyzer({ epsilon: 0.1, metric: 'error', classCounts: [1e9, 1] });
    for (let e = 1; e <= 400; e++) {
      const pick = (k: number) => weird[(e * 7 + k) % weird.length]!;
      analyzer.addEpoch({
        type: 'epoch', epoch: e, wallTime: pick(0),
        train: { loss: pick(1), error: pick(2), n: pick(3), errorStdErr: pick(4), balancedError: pick(5) },
        val: { loss: pick(6), error: pick(7), n: pick(8) },
        layers: [{ name: 'x', kind: 'dense', gradNorm: pick(9), weightNorm: pick(10), updateRatio: pick(11), deadFraction: pick(12) }],
      });
      const d = analyzer.diagnosis();
      assert.ok(d && typeof d.summary === 'string' && d.summary.length > 0);
    }
    assert.equal(analyzer.diagnosis()!.state, 'failed', 'a run with non-finite losses ends failed');
  });
});
