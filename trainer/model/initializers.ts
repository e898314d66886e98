/** Weight initializers drawn from the run's seeded stream, so initial weights repeat on every backend. */
import type { Random } from '../data/random.js';
import type { InitializerName } from '../spec/types.js';

/** A fan_in × fan_out kernel, row-major. */
export function initKernel(name: InitializerName, fanIn: number, fanOut: number, rng: Random, stddev = 0.05): Float32Array {
  const out = new Float32Array(fanIn * fanOut);
  const uniform = (limit: number) => { for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit); };
  const normal = (sd: number) => { for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, sd); };
  switch (name) {
    case 'glorot-uniform': uniform(Math.sqrt(6 / (fanIn + fanOut))); break;
    case 'glorot-normal': normal(Math.sqrt(2 / (fanIn + fanOut))); break;
    case 'he-uniform': uniform(Math.sqrt(6 / fanIn)); break;
    case 'he-normal': normal(Math.sqrt(2 / fanIn)); break;
    case 'lecun-uniform': uniform(Math.sqrt(3 / fanIn)); break;
    case 'lecun-normal': normal(Math.sqrt(1 / fanIn)); break;
    case 'random-normal': normal(stddev); break;
    case 'zeros': break;
    case 'ones': out.fill(1); break;
  }
  return out;
}
