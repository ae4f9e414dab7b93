import { describe, expect, it } from 'vitest';
import { csrFromPairs, csrHas, type Csr } from '../../src/base/csr.js';
import { RecnsSampler } from '../../src/sampling/recns.js';
import { RegionFilter } from '../../src/sampling/region.js';
import { Rng } from '../../src/base/rng.js';
import type { Scorer } from '../../src/sampling/types.js';

const ITEMS = 10;

function csr(rows: number, pairs: Array<[number, number]>): Csr {
  return csrFromPairs(rows, ITEMS, Int32Array.from(pairs.map((p) => p[0])), Int32Array.from(pairs.map((p) => p[1])));
}

/** Scores from fixed tables: user score of item i, item-item score of (anchor, i). */
function tableScorer(userScore: number[], itemScore: (anchor: number, item: number) => number): Scorer {
  return {
    scoreCandidates: (_users, items) => Float32Array.from(items, (i) => userScore[i]!),
    scoreItemPairs: (anchors, items, per) => Float32Array.from(items, (i, k) => itemScore(anchors[Math.floor(k / per)]!, i)),
  };
}

/** One user who trains on item 0; the region holds exactly `reachable`. */
function regionOf(reachable: number[], train: Csr): RegionFilter {
  const bits = new Uint32Array(1);
  for (const i of reachable) bits[0]! |= 1 << i;
  return new RegionFilter('intermediate', { khop: 3, users: 1, items: ITEMS, wordsPerUser: 1, bits }, train);
}

describe('RecNS', () => {
  it('positive-assisted sampling draws the k negatives from the M region candidates, favouring items close to user and positive', () => {
    const train = csr(1, [[0, 0]]);
    const region = regionOf([1, 2, 3], train);
    // Item 3 scores high with both the user and the positive; item 1 low with both.
    const scorer = tableScorer([0, -4, 0, 4, 0, 0, 0, 0, 0, 0], (_a, i) => (i === 3 ? 4 : i === 1 ? -4 : 0));
    const sampler = new RecnsSampler({ train, numItems: ITEMS, itemCounts: new Int32Array(ITEMS), rng: new Rng(1), region }, { candidates: 20, positiveAssist: true, exposure: true, codeMerge: false });
    const counts = new Map<number, number>();
    for (let r = 0; r < 200; r += 1) {
      const { itemIdxs, mixture } = sampler.sample(new Int32Array(1), new Int32Array(1), 15, scorer);
      expect(mixture).toBeUndefined();
      for (const i of itemIdxs) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    expect([...counts.keys()].every((i) => [1, 2, 3].includes(i))).toBe(true);
    expect(counts.get(3)!).toBeGreaterThan(counts.get(2)!);
    expect(counts.get(2)!).toBeGreaterThan(counts.get(1)!);
  });

  it('without positive assistance it takes the hardest candidates by the user score', () => {
    const train = csr(1, [[0, 0]]);
    const region = regionOf([1, 2, 3, 4], train);
    const scorer = tableScorer([0, 1, 2, 3, 4, 0, 0, 0, 0, 0], () => 0);
    const sampler = new RecnsSampler({ train, numItems: ITEMS, itemCounts: new Int32Array(ITEMS), rng: new Rng(2), region }, { candidates: 30, positiveAssist: false, exposure: false, codeMerge: false });
    const { itemIdxs } = sampler.sample(new Int32Array(1), new Int32Array(1), 2, scorer);
    // 30 draws from 4 items hold items 4 and 3 (with probability 1 - 2 * 0.75^30).
    expect(Array.from(itemIdxs)).toEqual([4, 3]);
  });

  it('picks the exposed negative by eqs. 8-9: beta amplifies exposed items that are also candidates, and merges by eq. 11', () => {
    const train = csr(2, [[0, 0], [1, 0]]);
    const bits = new Uint32Array(2);
    bits[0] = (1 << 1) | (1 << 2);
    bits[1] = (1 << 1) | (1 << 2);
    const region = new RegionFilter('intermediate', { khop: 3, users: 2, items: ITEMS, wordsPerUser: 1, bits }, train);
    // User 0 was shown items 1 (a candidate too) and 7 (not); user 1 was shown nothing.
    const exposures = csr(2, [[0, 1], [0, 7]]);
    const run = (scoreOfOne: number) => {
      const scorer = tableScorer([0, scoreOfOne, 0, 0, 0, 0, 0, 0.5, 0, 0], () => 0);
      const sampler = new RecnsSampler(
        { train, numItems: ITEMS, itemCounts: new Int32Array(ITEMS), rng: new Rng(3), region, exposures },
        { candidates: 20, positiveAssist: true, exposure: true, codeMerge: false },
      );
      const sample = sampler.sample(Int32Array.from([0, 1]), Int32Array.from([0, 0]), 4, scorer);
      return { sample, stats: sampler.stats() };
    };
    // About 10 of the 20 exposed draws are item 1, which is among the candidates: beta ~ 10 for it,
    // so sigma(10 * 0.1) > sigma(0.5) picks item 1 although item 7 scores higher ...
    const amplified = run(0.1);
    const mix = amplified.sample.mixture!;
    expect(mix.components).toBe(2);
    for (let s = 0; s < 4; s += 1) {
      expect(mix.itemIdxs[s * 2]).toBe(1);
      expect(mix.weights[s * 2]).toBeCloseTo(1 / 4);
      expect(mix.itemIdxs[s * 2 + 1]).toBe(amplified.sample.itemIdxs[s]);
      expect(mix.weights[s * 2 + 1]).toBeCloseTo(3 / 4);
    }
    expect(amplified.stats['meanBeta']).toBeGreaterThan(4);
    expect(amplified.stats['exposedPickInCandidates']).toBe(1);
    // ... and the same factor pushes a negative score further down: item 7 wins.
    const suppressed = run(-0.1);
    expect(suppressed.sample.mixture!.itemIdxs[0]).toBe(7);
    // User 1 has no exposures: its negatives are unmerged (weight 1 on the drawn item).
    for (let s = 4; s < 8; s += 1) {
      expect(mix.weights[s * 2]).toBe(1);
      expect(mix.itemIdxs[s * 2]).toBe(amplified.sample.itemIdxs[s]);
    }
    expect(amplified.stats).toMatchObject({ pairsWithExposure: 1, pairsWithoutExposure: 1, usesExposure: 1 });
    for (let s = 0; s < 8; s += 1) expect(csrHas(train, s < 4 ? 0 : 1, amplified.sample.itemIdxs[s]!)).toBe(false);
  });

  it('the code variant merges in two stages', () => {
    const train = csr(1, [[0, 0]]);
    const region = regionOf([1, 2], train);
    const exposures = csr(1, [[0, 5]]);
    const sampler = new RecnsSampler(
      { train, numItems: ITEMS, itemCounts: new Int32Array(ITEMS), rng: new Rng(4), region, exposures },
      { candidates: 5, positiveAssist: true, exposure: true, codeMerge: true },
    );
    const k = 3;
    const { itemIdxs, mixture } = sampler.sample(new Int32Array(1), new Int32Array(1), k, tableScorer(new Array(ITEMS).fill(0), () => 0));
    expect(mixture!.components).toBe(3);
    for (let s = 0; s < k; s += 1) {
      expect(Array.from(mixture!.itemIdxs.subarray(s * 3, s * 3 + 3))).toEqual([itemIdxs[s], itemIdxs[0], 5]);
      const w = Array.from(mixture!.weights.subarray(s * 3, s * 3 + 3));
      [1 - 1 / k, (1 / k) * (1 - 1 / k), 1 / (k * k)].forEach((want, c) => expect(w[c]).toBeCloseTo(want));
    }
  });
});
