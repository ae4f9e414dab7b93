/**
 * Two exposure-based baselines of the RNS paper:
 * - BPR-EN: negatives only from the user's exposed-but-not-clicked items (the
 *   common industrial practice the paper shows to be harmful). A user without
 *   exposures has nothing to draw from; they get a uniform negative and are
 *   counted (fallbackUniform).
 * - EBPR-style exposure-weighted uniform: uniform over the non-interacted
 *   items, except that each exposed-but-not-clicked item weighs `weight` times
 *   a non-exposed one (Ding et al. 2018's view-data weighting, as a sampler).
 */
import { csrHas, rowOf, type Csr } from '../base/csr.js';
import { CandidateDrawer } from './exclusion.js';
import type { NegativeSample, Sampler, SamplerContext } from './types.js';

function requireExposures(ctx: SamplerContext, name: string): Csr {
  if (!ctx.exposures) throw new Error(`${name} needs exposure records (the trainer loads them for samplers marked usesExposures)`);
  return ctx.exposures;
}

export class ExposedOnlySampler implements Sampler {
  readonly name = 'bpr-en';
  readonly #ctx: SamplerContext;
  readonly #exposures: Csr;
  readonly #drawer: CandidateDrawer;
  readonly #counters = { fromExposures: 0, fallbackUniform: 0 };

  constructor(ctx: SamplerContext) {
    this.#ctx = ctx;
    this.#exposures = requireExposures(ctx, 'bpr-en');
    this.#drawer = new CandidateDrawer(ctx.train, ctx.rng, ctx.region);
  }

  sample(userIdxs: Int32Array, _pos: Int32Array, k: number): NegativeSample {
    const { rng, numItems } = this.#ctx;
    const out = new Int32Array(userIdxs.length * k);
    const uniform = () => rng.nextInt(numItems);
    for (let b = 0; b < userIdxs.length; b += 1) {
      const exposed = rowOf(this.#exposures, userIdxs[b]!);
      for (let c = 0; c < k; c += 1) {
        if (exposed.length > 0) {
          out[b * k + c] = exposed[rng.nextInt(exposed.length)]!;
          this.#counters.fromExposures += 1;
        } else {
          out[b * k + c] = this.#drawer.draw(userIdxs[b]!, uniform);
          this.#counters.fallbackUniform += 1;
        }
      }
    }
    return { itemIdxs: out };
  }

  stats(): Record<string, number> {
    return { ...this.#counters, ...this.#drawer.counters };
  }
}

export class ExposureWeightedSampler implements Sampler {
  readonly name = 'ebpr';
  readonly #ctx: SamplerContext;
  readonly #exposures: Csr;
  readonly #weight: number;
  readonly #drawer: CandidateDrawer;
  readonly #counters = { fromExposures: 0, fromUnexposed: 0 };

  constructor(ctx: SamplerContext, weight: number) {
    if (!(weight > 0)) throw new Error(`ebpr's weight must be positive, got ${weight}`);
    this.#ctx = ctx;
    this.#exposures = requireExposures(ctx, 'ebpr');
    this.#weight = weight;
    this.#drawer = new CandidateDrawer(ctx.train, ctx.rng, ctx.region);
  }

  sample(userIdxs: Int32Array, _pos: Int32Array, k: number): NegativeSample {
    const { rng, numItems, train } = this.#ctx;
    const exposures = this.#exposures;
    const out = new Int32Array(userIdxs.length * k);
    for (let b = 0; b < userIdxs.length; b += 1) {
      const u = userIdxs[b]!;
      const exposed = rowOf(exposures, u);
      const unexposed = numItems - (train.indptr[u + 1]! - train.indptr[u]!) - exposed.length;
      const exposedMass = exposed.length * this.#weight;
      const pExposed = exposedMass / (exposedMass + Math.max(unexposed, 0));
      // A non-exposed, non-interacted item: uniform proposals, redrawn while exposed (rare: ~40 of 22k items).
      const unexposedDraw = () => {
        let item = rng.nextInt(numItems);
        for (let tries = 0; tries < 64 && csrHas(exposures, u, item); tries += 1) item = rng.nextInt(numItems);
        return item;
      };
      for (let c = 0; c < k; c += 1) {
        if (exposed.length > 0 && rng.nextFloat() < pExposed) {
          out[b * k + c] = exposed[rng.nextInt(exposed.length)]!;
          this.#counters.fromExposures += 1;
        } else {
          out[b * k + c] = this.#drawer.draw(u, unexposedDraw);
          this.#counters.fromUnexposed += 1;
        }
      }
    }
    return { itemIdxs: out };
  }

  stats(): Record<string, number> {
    return { ...this.#counters, ...this.#drawer.counters };
  }
}
