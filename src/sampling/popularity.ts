/**
 * Popularity-biased: P(j) proportional to count(j)^alpha over training counts
 * (word2vec's 0.75 by default), drawn in O(1) from an alias table, positives
 * excluded by redrawing. Items never interacted with get weight 0.
 */
import { CandidateDrawer } from './exclusion.js';
import type { Rng } from '../base/rng.js';
import type { NegativeSample, Sampler, SamplerContext } from './types.js';

export class PopularitySampler implements Sampler {
  readonly name = 'popularity';
  readonly #ctx: SamplerContext;
  readonly #alias: AliasTable;
  readonly #drawer: CandidateDrawer;

  constructor(ctx: SamplerContext, alpha: number) {
    this.#ctx = ctx;
    this.#drawer = new CandidateDrawer(ctx.train, ctx.rng, ctx.region);
    const weights = new Float64Array(ctx.numItems);
    for (let i = 0; i < ctx.numItems; i += 1) weights[i] = ctx.itemCounts[i]! ** alpha;
    this.#alias = new AliasTable(weights);
  }

  sample(userIdxs: Int32Array, _pos: Int32Array, k: number): NegativeSample {
    const { rng } = this.#ctx;
    const out = new Int32Array(userIdxs.length * k);
    const draw = () => this.#alias.draw(rng);
    for (let b = 0; b < userIdxs.length; b += 1) {
      for (let c = 0; c < k; c += 1) out[b * k + c] = this.#drawer.draw(userIdxs[b]!, draw);
    }
    return { itemIdxs: out };
  }

  stats(): Record<string, number> {
    return { ...this.#drawer.counters };
  }
}

/** Walker's alias method. */
class AliasTable {
  readonly #prob: Float64Array;
  readonly #alias: Int32Array;

  constructor(weights: Float64Array) {
    const n = weights.length;
    const total = weights.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new Error('alias table: all weights are zero');
    this.#prob = new Float64Array(n);
    this.#alias = new Int32Array(n);
    const scaled = Float64Array.from(weights, (w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.#prob[s] = scaled[s]!;
      this.#alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.#prob[i] = 1;
  }

  draw(rng: Rng): number {
    const i = rng.nextInt(this.#prob.length);
    return rng.nextFloat() < this.#prob[i]! ? i : this.#alias[i]!;
  }
}
