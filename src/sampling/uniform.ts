/** Uniform over the items the user has not interacted with in training (BPR's sampler). */
import { CandidateDrawer } from './exclusion.js';
import type { NegativeSample, Sampler, SamplerContext } from './types.js';

export class UniformSampler implements Sampler {
  readonly name = 'uniform';
  readonly #ctx: SamplerContext;
  readonly #drawer: CandidateDrawer;

  constructor(ctx: SamplerContext) {
    this.#ctx = ctx;
    this.#drawer = new CandidateDrawer(ctx.train, ctx.rng, ctx.region);
  }

  sample(userIdxs: Int32Array, _pos: Int32Array, k: number): NegativeSample {
    const { numItems, rng } = this.#ctx;
    const out = new Int32Array(userIdxs.length * k);
    const draw = () => rng.nextInt(numItems);
    for (let b = 0; b < userIdxs.length; b += 1) {
      for (let c = 0; c < k; c += 1) out[b * k + c] = this.#drawer.draw(userIdxs[b]!, draw);
    }
    return { itemIdxs: out };
  }

  stats(): Record<string, number> {
    return { ...this.#drawer.counters };
  }
}
