/**
 * Drawing a user's candidate negatives: draw from the sampler's proposal
 * (uniform, popularity, ...), redraw while the item is a training positive
 * (RecBole's rejection loop, per slot) or, with a region (region.ts), outside
 * the region; rejection keeps the proposal's distribution, conditioned on the
 * allowed set. Draws are independent, so a region smaller than the candidates
 * needed is sampled with replacement.
 *
 * Without a region, a user who has nearly every item could loop for long, so
 * after MAX_TRIES the last draw is kept and counted (givenUp). With a region,
 * after MAX_TRIES (or at once when the region holds under 1/MAX_TRIES of the
 * items) a uniform member is picked by a scan (exactRegionPicks: for the
 * popularity proposal those draws are uniform within the region), and a user
 * whose region is empty gets a draw from the global pool (paddedFromGlobal).
 */
import { csrHas, type Csr } from './csr.js';
import type { RegionFilter } from './region.js';
import type { Rng } from './rng.js';

export const MAX_TRIES = 64;

export interface DrawCounters {
  redraws: number;
  givenUp: number;
  paddedFromGlobal: number;
  exactRegionPicks: number;
}

export class CandidateDrawer {
  readonly counters: DrawCounters = { redraws: 0, givenUp: 0, paddedFromGlobal: 0, exactRegionPicks: 0 };
  readonly #train: Csr;
  readonly #region: RegionFilter | undefined;
  readonly #rng: Rng;

  constructor(train: Csr, rng: Rng, region?: RegionFilter) {
    this.#train = train;
    this.#rng = rng;
    this.#region = region;
  }

  draw(userIdx: number, proposal: () => number): number {
    const region = this.#region;
    if (!region) return this.#drawGlobal(userIdx, proposal);
    const size = region.sizes[userIdx]!;
    if (size === 0) {
      this.counters.paddedFromGlobal += 1;
      return this.#drawGlobal(userIdx, proposal);
    }
    if (size * MAX_TRIES >= this.#train.cols) {
      for (let tries = 0; tries < MAX_TRIES; tries += 1) {
        const item = proposal();
        if (region.allows(userIdx, item)) return item;
        this.counters.redraws += 1;
      }
    }
    this.counters.exactRegionPicks += 1;
    return region.pick(userIdx, this.#rng);
  }

  #drawGlobal(userIdx: number, proposal: () => number): number {
    let item = proposal();
    for (let tries = 1; csrHas(this.#train, userIdx, item); tries += 1) {
      if (tries >= MAX_TRIES) {
        this.counters.givenUp += 1;
        return item;
      }
      this.counters.redraws += 1;
      item = proposal();
    }
    return item;
  }
}
