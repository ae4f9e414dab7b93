/**
 * RNS's candidate pool N_u (eq. 9) of n items per (user, positive), by one of
 * two rules:
 * - 'paper': n items drawn uniformly from the user's non-interacted items.
 * - 'code' (the official code's default for Zhihu, candidates_neg = 1): n - 1
 *   items from the non-interacted AND non-exposed items, plus one item drawn
 *   from the user's exposed-but-not-clicked items (a uniform non-interacted
 *   item for a user without exposures). On MIND a uniform pool of 30 holds
 *   ~0.05 exposed items on average, so under 'paper' the overlap reward would
 *   almost never fire.
 */
import { csrHas, rowOf, type Csr } from '../../base/csr.js';
import type { CandidateDrawer } from '../exclusion.js';
import type { Rng } from '../../base/rng.js';

export type PoolRule = 'paper' | 'code';

export interface PoolInputs {
  readonly rule: PoolRule;
  readonly size: number;
  readonly numItems: number;
  readonly exposures: Csr;
  readonly drawer: CandidateDrawer;
  readonly rng: Rng;
}

/** [B * size] item indices; the code rule puts the exposed item in the last slot. */
export function drawPools(userIdxs: Int32Array, inputs: PoolInputs): Int32Array {
  const { rule, size, numItems, exposures, drawer, rng } = inputs;
  const pool = new Int32Array(userIdxs.length * size);
  const uniform = () => rng.nextInt(numItems);
  for (let b = 0; b < userIdxs.length; b += 1) {
    const u = userIdxs[b]!;
    const exposed = rowOf(exposures, u);
    if (rule === 'paper') {
      for (let c = 0; c < size; c += 1) pool[b * size + c] = drawer.draw(u, uniform);
      continue;
    }
    const notExposed = () => {
      let item = rng.nextInt(numItems);
      for (let tries = 0; tries < 64 && csrHas(exposures, u, item); tries += 1) item = rng.nextInt(numItems);
      return item;
    };
    for (let c = 0; c < size - 1; c += 1) pool[b * size + c] = drawer.draw(u, notExposed);
    pool[b * size + size - 1] = exposed.length > 0 ? exposed[rng.nextInt(exposed.length)]! : drawer.draw(u, uniform);
  }
  return pool;
}
