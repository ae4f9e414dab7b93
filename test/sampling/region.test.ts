import { describe, expect, it } from 'vitest';
import { csrFromPairs, csrHas, type Csr } from '../../src/base/csr.js';
import { RegionFilter, type ReachableBits } from '../../src/sampling/region.js';
import { samplerEntry, SAMPLERS, samplerOptions } from '../../src/sampling/registry.js';
import { Rng } from '../../src/base/rng.js';
import type { Scorer } from '../../src/sampling/types.js';

const USERS = 6;
const ITEMS = 100;

/** User u trains on items 10u .. 10u+4; reaches items 10u .. 10u+29 (user 5 reaches nothing, user 4 only its own items). */
function fixture(): { train: Csr; reach: ReachableBits } {
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < USERS; u += 1) for (let i = 10 * u; i < 10 * u + 5; i += 1) (users.push(u), items.push(i));
  const train = csrFromPairs(USERS, ITEMS, Int32Array.from(users), Int32Array.from(items));
  const wordsPerUser = Math.ceil(ITEMS / 32);
  const bits = new Uint32Array(USERS * wordsPerUser);
  const set = (u: number, i: number) => (bits[u * wordsPerUser + (i >>> 5)]! |= 1 << (i & 31));
  for (let u = 0; u < 4; u += 1) for (let i = 10 * u; i < 10 * u + 30; i += 1) set(u, i);
  for (let i = 40; i < 45; i += 1) set(4, i);
  return { train, reach: { khop: 3, users: USERS, items: ITEMS, wordsPerUser, bits } };
}

const byIndex: Scorer = { scoreCandidates: (_u, items) => Float32Array.from(items), scoreItemPairs: (_a, items) => Float32Array.from(items) };

describe('regions of the Three-Region Principle', () => {
  it('intermediate = reachable minus training items, distant = the other unobserved items', () => {
    const { train, reach } = fixture();
    const intermediate = new RegionFilter('intermediate', reach, train);
    const distant = new RegionFilter('distant', reach, train);
    expect(Array.from(intermediate.sizes)).toEqual([25, 25, 25, 25, 0, 0]);
    expect(Array.from(distant.sizes)).toEqual([70, 70, 70, 70, 95, 95]);
    for (let u = 0; u < USERS; u += 1) {
      for (let i = 0; i < ITEMS; i += 1) {
        const observed = csrHas(train, u, i);
        expect(intermediate.allows(u, i)).toBe(!observed && intermediate.reachable(u, i));
        expect(distant.allows(u, i)).toBe(!observed && !distant.reachable(u, i));
        // Every unobserved item is in exactly one of the two.
        if (!observed) expect(Number(intermediate.allows(u, i)) + Number(distant.allows(u, i))).toBe(1);
      }
    }
    expect(intermediate.sizeStats()).toMatchObject({ min: 0, empty: 2 });
  });

  for (const name of Object.keys(SAMPLERS).filter((n) => n !== 'none' && SAMPLERS[n]!.regions !== false)) {
    for (const regionName of ['intermediate', 'distant'] as const) {
      it(`${name} restricted to the ${regionName} region draws only from it, and pads users with an empty region`, () => {
        const { train, reach } = fixture();
        const region = new RegionFilter(regionName, reach, train);
        const itemCounts = Int32Array.from({ length: ITEMS }, (_, i) => i + 1);
        const sampler = samplerEntry(name).create({ train, numItems: ITEMS, itemCounts, rng: new Rng(7), region }, samplerOptions(name, {}));
        const users = Int32Array.from({ length: 3000 }, (_, b) => b % USERS);
        const { itemIdxs } = sampler.sample(users, users, 2, byIndex);
        const seen = new Set<number>();
        for (let s = 0; s < itemIdxs.length; s += 1) {
          const u = users[s >> 1]!;
          const item = itemIdxs[s]!;
          expect(csrHas(train, u, item)).toBe(false);
          if (region.sizes[u]! > 0) expect(region.allows(u, item)).toBe(true);
          if (u === 0) seen.add(item);
        }
        // Not one item over and over: user 0's draws cover much of its region (DNS keeps the best of its pool).
        const dynamic = samplerEntry(name).dynamic;
        expect(seen.size).toBeGreaterThan(dynamic ? 3 : Math.min(region.sizes[0]!, 20) / 2);
        const stats = sampler.stats!();
        const emptyUsers = regionName === 'intermediate' ? 2 : 0;
        // Draws per (user, positive): uniform, popularity: the 2 slots; DNS/SDNS: a pool of 16 per slot; RecNS: M = 20 candidates.
        const drawsPerPair = name === 'recns' ? 20 : name === 'dns' || name === 'sdns' ? 2 * 16 : 2;
        expect(stats['paddedFromGlobal']).toBe((emptyUsers * 3000 * drawsPerPair) / USERS);
      });
    }
  }

  it('a region too small to hit by rejection is drawn by an exact, uniform scan', () => {
    const { train, reach } = fixture();
    const wordsPerUser = reach.wordsPerUser;
    // User 0 now reaches only items 50 and 51 (2 of 100: rejection would need ~50 tries a draw).
    const bits = reach.bits.slice();
    bits.fill(0, 0, wordsPerUser);
    bits[0 * wordsPerUser + (50 >>> 5)]! |= (1 << (50 & 31)) | (1 << (51 & 31));
    const region = new RegionFilter('intermediate', { ...reach, bits }, train);
    const sampler = samplerEntry('uniform').create({ train, numItems: ITEMS, itemCounts: new Int32Array(ITEMS).fill(1), rng: new Rng(3), region }, {});
    const { itemIdxs } = sampler.sample(new Int32Array(4000), new Int32Array(4000), 1, byIndex);
    const fifty = itemIdxs.filter((i) => i === 50).length;
    expect(fifty + itemIdxs.filter((i) => i === 51).length).toBe(4000);
    expect(Math.abs(fifty - 2000)).toBeLessThan(200);
    // 2 of 100 items: rejection succeeds within 64 tries ~73% of the time, the scan does the rest.
    expect(sampler.stats!()['exactRegionPicks']).toBeGreaterThan(400);

    // One reachable item: 64 tries cannot be expected to find it, so every draw is a scan.
    bits[0 * wordsPerUser + (51 >>> 5)]! &= ~(1 << (51 & 31));
    const single = new RegionFilter('intermediate', { ...reach, bits }, train);
    const one = samplerEntry('uniform').create({ train, numItems: ITEMS, itemCounts: new Int32Array(ITEMS).fill(1), rng: new Rng(3), region: single }, {});
    expect(Array.from(new Set(one.sample(new Int32Array(500), new Int32Array(500), 1, byIndex).itemIdxs))).toEqual([50]);
    expect(one.stats!()['exactRegionPicks']).toBe(500);
  });
});
