/**
 * The Three-Region Principle (RecNS §3.1) as a restriction on candidates: for
 * user u, `intermediate` = the items reachable by a walk of khop edges in the
 * training graph minus u's training items; `distant` = the unobserved items
 * outside it; `global` = every unobserved item (no restriction). The reachable
 * sets arrive as per-user bitsets (src/graph/regions.ts extracts them in Cypher).
 */
import { csrHas, type Csr } from '../base/csr.js';
import type { Rng } from '../base/rng.js';

export const REGION_NAMES = ['global', 'intermediate', 'distant'] as const;
export type RegionName = (typeof REGION_NAMES)[number];

/** Per-user bitsets over item indices (the shape src/graph/regions.ts returns). */
export interface ReachableBits {
  readonly khop: number;
  readonly users: number;
  readonly items: number;
  readonly wordsPerUser: number;
  readonly bits: Uint32Array;
}

export class RegionFilter {
  readonly name: Exclude<RegionName, 'global'>;
  readonly khop: number;
  readonly #reach: ReachableBits;
  readonly #train: Csr;
  /** [users]: candidates per user under this region. */
  readonly sizes: Int32Array;

  constructor(name: Exclude<RegionName, 'global'>, reach: ReachableBits, train: Csr) {
    if (reach.users !== train.rows || reach.items !== train.cols) {
      throw new Error(`region: bitsets are ${reach.users} x ${reach.items}, the training data ${train.rows} x ${train.cols}`);
    }
    this.name = name;
    this.khop = reach.khop;
    this.#reach = reach;
    this.#train = train;
    this.sizes = new Int32Array(reach.users);
    for (let u = 0; u < reach.users; u += 1) {
      let reachable = 0;
      for (let w = u * reach.wordsPerUser, end = w + reach.wordsPerUser; w < end; w += 1) reachable += popcount(reach.bits[w]!);
      let trainReachable = 0;
      const trainCount = train.indptr[u + 1]! - train.indptr[u]!;
      for (let k = train.indptr[u]!; k < train.indptr[u + 1]!; k += 1) if (this.reachable(u, train.indices[k]!)) trainReachable += 1;
      this.sizes[u] = name === 'intermediate' ? reachable - trainReachable : reach.items - reachable - (trainCount - trainReachable);
    }
  }

  reachable(u: number, item: number): boolean {
    return ((this.#reach.bits[u * this.#reach.wordsPerUser + (item >>> 5)]! >>> (item & 31)) & 1) === 1;
  }

  /** Whether item is a candidate negative of u: in the region and not a training item. */
  allows(u: number, item: number): boolean {
    return this.reachable(u, item) === (this.name === 'intermediate') && !csrHas(this.#train, u, item);
  }

  /** A uniform candidate of u by scanning the items (for users whose region is too small to hit by rejection); -1 if none. */
  pick(u: number, rng: Rng): number {
    const size = this.sizes[u]!;
    if (size === 0) return -1;
    let target = rng.nextInt(size);
    for (let item = 0; item < this.#reach.items; item += 1) {
      if (this.allows(u, item)) {
        if (target === 0) return item;
        target -= 1;
      }
    }
    return -1;
  }

  /** Candidates per user: median, p90, min, and how many users have none. */
  sizeStats(): { median: number; p90: number; min: number; empty: number } {
    const sorted = Int32Array.from(this.sizes).sort();
    let empty = 0;
    for (const s of sorted) if (s === 0) empty += 1;
    return { median: sorted[sorted.length >> 1] ?? 0, p90: sorted[Math.floor(sorted.length * 0.9)] ?? 0, min: sorted[0] ?? 0, empty };
  }
}

/** Set bits of a 32-bit word. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
