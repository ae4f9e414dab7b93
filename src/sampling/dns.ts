/**
 * DNS (dynamic negative sampling): for each negative slot, draw a pool of H
 * unobserved items uniformly and keep the one the current model scores highest
 * (SDNS paper eq. 3; H in {8, 16, 32, 64}, default 16). SDNS is this sampler
 * with the soft BPR loss (see the registry).
 */
import { CandidateDrawer } from './exclusion.js';
import type { NegativeSample, Sampler, SamplerContext, Scorer } from './types.js';

export class DnsSampler implements Sampler {
  readonly name: string;
  readonly #ctx: SamplerContext;
  readonly #poolSize: number;
  readonly #drawer: CandidateDrawer;

  constructor(ctx: SamplerContext, poolSize: number, name = 'dns') {
    if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error(`dns: pool size must be a positive integer, got ${poolSize}`);
    this.#ctx = ctx;
    this.#drawer = new CandidateDrawer(ctx.train, ctx.rng, ctx.region);
    this.#poolSize = poolSize;
    this.name = name;
  }

  sample(userIdxs: Int32Array, _pos: Int32Array, k: number, scorer: Scorer): NegativeSample {
    const { numItems, rng } = this.#ctx;
    const h = this.#poolSize;
    const slots = userIdxs.length * k;
    const slotUsers = new Int32Array(slots);
    const pool = new Int32Array(slots * h);
    const draw = () => rng.nextInt(numItems);
    for (let b = 0; b < userIdxs.length; b += 1) {
      for (let c = 0; c < k; c += 1) {
        const slot = b * k + c;
        slotUsers[slot] = userIdxs[b]!;
        for (let p = 0; p < h; p += 1) pool[slot * h + p] = this.#drawer.draw(userIdxs[b]!, draw);
      }
    }
    const scores = scorer.scoreCandidates(slotUsers, pool, h);
    const out = new Int32Array(slots);
    for (let slot = 0; slot < slots; slot += 1) {
      let best = 0;
      for (let p = 1; p < h; p += 1) if (scores[slot * h + p]! > scores[slot * h + best]!) best = p;
      out[slot] = pool[slot * h + best]!;
    }
    return { itemIdxs: out };
  }

  stats(): Record<string, number> {
    return { ...this.#drawer.counters };
  }
}
