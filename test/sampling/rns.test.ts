import { describe, expect, it } from 'vitest';
import { csrFromPairs, csrHas, rowOf } from '../../src/base/csr.js';
import { CandidateDrawer } from '../../src/sampling/exclusion.js';
import { ExposedOnlySampler, ExposureWeightedSampler } from '../../src/sampling/exposure-negatives.js';
import { samplerEntry, samplerOptions } from '../../src/sampling/registry.js';
import { Rng } from '../../src/base/rng.js';
import { drawPools } from '../../src/sampling/rns/candidate-pool.js';
import { mmdRewards } from '../../src/sampling/rns/mmd.js';
import type { SamplerContext, Scorer } from '../../src/sampling/types.js';

const ITEMS = 60;

/** 10 users; user u trained on items u..u+4 and was shown items u+20..u+22; user 9 was shown nothing. */
function context(seed = 1): SamplerContext {
  const tu: number[] = [];
  const ti: number[] = [];
  const eu: number[] = [];
  const ei: number[] = [];
  for (let u = 0; u < 10; u += 1) {
    for (let i = u; i < u + 5; i += 1) {
      tu.push(u);
      ti.push(i);
    }
    if (u < 9) for (let i = u + 20; i < u + 23; i += 1) {
      eu.push(u);
      ei.push(i);
    }
  }
  const rng = new Rng(seed + 100);
  const table = (rows: number) => Float32Array.from({ length: rows * 4 }, () => rng.nextNormal() * 0.1);
  return {
    train: csrFromPairs(10, ITEMS, Int32Array.from(tu), Int32Array.from(ti)),
    numItems: ITEMS,
    itemCounts: new Int32Array(ITEMS),
    rng: new Rng(seed),
    exposures: csrFromPairs(10, ITEMS, Int32Array.from(eu), Int32Array.from(ei)),
    pretrained: { dim: 4, users: table(10), items: table(ITEMS), h: new Float32Array(4).fill(1) },
  };
}

const flat: Scorer = {
  scoreCandidates: (_u, items) => new Float32Array(items.length),
  scoreItemPairs: (_a, items) => new Float32Array(items.length),
  pairFeatures: (users) => new Float32Array(users.length * 2).fill(0.5),
};

describe('the MMD reward (RNS eqs. 4-6)', () => {
  it('matches a hand computation on two 1-d points per set', () => {
    // G = {0, 1}, E = {0, 2}, one kernel exp(-(x - y)^2 / 2), L = 2:
    // M(g=0) = (2/2) [k(0,0) + k(0,2) - k(0,0) - k(0,1)] = e^-2 - e^-0.5
    // M(g=1) = (2/2) [k(1,0) + k(1,2) - k(1,0) - k(1,1)] = e^-0.5 - 1
    const { rewards, meanSquaredDistance } = mmdRewards(Float32Array.of(0, 1), Float32Array.of(0, 2), 1, { sigmas: [1], block: 0 });
    expect(rewards[0]).toBeCloseTo(Math.exp(-2) - Math.exp(-0.5), 5);
    expect(rewards[1]).toBeCloseTo(Math.exp(-0.5) - 1, 5);
    // (0-0)^2, (0-2)^2, (1-0)^2, (1-2)^2
    expect(meanSquaredDistance).toBeCloseTo(6 / 4, 5);
  });

  it('sums the code\'s five bandwidths, and the scale-free kernels are e + e^2 + e^4 + e^8 + e^16 of exp(-d^2 / 4s)', () => {
    const sigmas = [19, 20, 21, 22, 23];
    const k = (d2: number) => sigmas.reduce((sum, s) => sum + Math.exp(-d2 / (2 * s * s)), 0);
    const fixed = mmdRewards(Float32Array.of(0, 1), Float32Array.of(0, 2), 1, { sigmas, block: 0 });
    expect(fixed.rewards[0]).toBeCloseTo(k(0) + k(4) - k(0) - k(1), 6);
    const s = 1.5;
    const free = (d2: number) => [1, 2, 4, 8, 16].reduce((sum, p) => sum + Math.exp(-d2 / (4 * s)) ** p, 0);
    const scaleFree = mmdRewards(Float32Array.of(0, 1), Float32Array.of(0, 2), 1, { block: 0 });
    expect(scaleFree.rewards[1]).toBeCloseTo(free(1) + free(1) - free(1) - free(0), 5);
  });

  it('within blocks, each row only meets its own block', () => {
    const g = Float32Array.of(0, 5, 1, 7);
    const e = Float32Array.of(3, 2, 8, 1);
    const blocked = mmdRewards(g, e, 1, { sigmas: [2], block: 2 });
    const first = mmdRewards(g.subarray(0, 2), e.subarray(0, 2), 1, { sigmas: [2], block: 0 });
    const second = mmdRewards(g.subarray(2), e.subarray(2), 1, { sigmas: [2], block: 0 });
    expect([...blocked.rewards]).toEqual([...first.rewards, ...second.rewards]);
  });

  it('rewards a generated point near the exposed ones over one far from them', () => {
    const { rewards } = mmdRewards(Float32Array.of(0.1, 3), Float32Array.of(0, 0.2), 1, { sigmas: [1], block: 0 });
    expect(rewards[0]).toBeGreaterThan(rewards[1]!);
  });
});

describe('RNS candidate pools', () => {
  it('the code rule: one exposed item in the last slot, the rest neither exposed nor trained on', () => {
    const ctx = context();
    const users = Int32Array.from({ length: 300 }, (_, b) => b % 10);
    const pool = drawPools(users, { rule: 'code', size: 30, numItems: ITEMS, exposures: ctx.exposures!, drawer: new CandidateDrawer(ctx.train, ctx.rng), rng: ctx.rng });
    for (let b = 0; b < users.length; b += 1) {
      const u = users[b]!;
      for (let c = 0; c < 30; c += 1) {
        const item = pool[b * 30 + c]!;
        expect(csrHas(ctx.train, u, item)).toBe(false);
        // User 9 has no exposures: the last slot falls back to a uniform item.
        expect(csrHas(ctx.exposures!, u, item)).toBe(c === 29 && u !== 9);
      }
    }
  });

  it('the paper rule: uniform over non-interacted items, so exposed items appear at their share', () => {
    const ctx = context();
    const users = new Int32Array(2000);
    const pool = drawPools(users, { rule: 'paper', size: 30, numItems: ITEMS, exposures: ctx.exposures!, drawer: new CandidateDrawer(ctx.train, ctx.rng), rng: ctx.rng });
    let exposed = 0;
    for (const item of pool) {
      expect(csrHas(ctx.train, 0, item)).toBe(false);
      if (csrHas(ctx.exposures!, 0, item)) exposed += 1;
    }
    // 3 exposed of the 55 items user 0 did not train on.
    expect(exposed / pool.length).toBeCloseTo(3 / 55, 2);
  });
});

describe('exposure baselines', () => {
  it('BPR-EN draws only exposed items, and a user without exposures gets a uniform item, counted', () => {
    const ctx = context();
    const sampler = new ExposedOnlySampler(ctx);
    const users = Int32Array.from({ length: 1000 }, (_, b) => b % 10);
    const { itemIdxs } = sampler.sample(users, users, 2);
    for (let s = 0; s < itemIdxs.length; s += 1) {
      const u = users[s >> 1]!;
      expect(csrHas(ctx.train, u, itemIdxs[s]!)).toBe(false);
      if (u !== 9) expect(rowOf(ctx.exposures!, u)).toContain(itemIdxs[s]);
    }
    expect(sampler.stats()).toMatchObject({ fallbackUniform: 200, fromExposures: 1800 });
  });

  it('the exposure-weighted sampler draws exposed items at weight x their uniform share', () => {
    const ctx = context();
    const sampler = new ExposureWeightedSampler(ctx, 10);
    const users = new Int32Array(40_000);
    const { itemIdxs } = sampler.sample(users, users, 1);
    let exposed = 0;
    for (const item of itemIdxs) if (csrHas(ctx.exposures!, 0, item)) exposed += 1;
    // User 0: 3 exposed items of weight 10 against 52 others of weight 1.
    expect(exposed / itemIdxs.length).toBeCloseTo(30 / 82, 2);
  });
});

describe('the RNS sampler', () => {
  it('learns by REINFORCE: rewarded only for exposed picks (RNS-ES, beta 0), it comes to pick the exposed slot', () => {
    const ctx = context();
    const sampler = samplerEntry('rns-es').create(ctx, samplerOptions('rns-es', { beta: 0, samplerLr: 0.05 }));
    const users = Int32Array.from({ length: 90 }, (_, b) => b % 9);
    const rate = (rounds: number) => {
      let exposed = 0;
      for (let r = 0; r < rounds; r += 1) {
        const { itemIdxs } = sampler.sample(users, users, 1, flat);
        itemIdxs.forEach((item, b) => (exposed += csrHas(ctx.exposures!, users[b]!, item) ? 1 : 0));
        sampler.afterStep?.({ userIdxs: users, posItemIdxs: users, negItemIdxs: itemIdxs, scorer: flat });
      }
      return exposed / (rounds * users.length);
    };
    const before = rate(5);
    rate(200);
    const after = rate(20);
    expect(before).toBeLessThan(0.15);
    expect(after).toBeGreaterThan(0.6);
  });

  it('the adversarial reward alone (RNS-AS) moves S toward the items the recommender scores high', () => {
    const ctx = context(2);
    const sampler = samplerEntry('rns-as').create(ctx, samplerOptions('rns-as', { samplerLr: 0.05 }));
    // The recommender scores items above 40 high: -sigma(-r) is near 0 for them, near -1 for the rest.
    const scorer: Scorer = { ...flat, scoreCandidates: (_u, items) => Float32Array.from(items, (i) => (i >= 40 ? 6 : -6)) };
    const users = Int32Array.from({ length: 90 }, (_, b) => b % 10);
    const share = (rounds: number) => {
      let high = 0;
      for (let r = 0; r < rounds; r += 1) {
        const { itemIdxs } = sampler.sample(users, users, 1, scorer);
        for (const item of itemIdxs) high += item >= 40 ? 1 : 0;
        sampler.afterStep?.({ userIdxs: users, posItemIdxs: users, negItemIdxs: itemIdxs, scorer });
      }
      return high / (rounds * users.length);
    };
    const before = share(5);
    share(200);
    expect(share(20)).toBeGreaterThan(before + 0.3);
  });

  it('counts the samples of users without exposures, who get no exposure reward', () => {
    const ctx = context();
    const sampler = samplerEntry('rns').create(ctx, samplerOptions('rns', {}));
    const users = Int32Array.from({ length: 100 }, (_, b) => b % 10);
    sampler.sample(users, users, 1, flat);
    expect(sampler.stats?.()).toMatchObject({ samples: 100, samplesWithoutExposures: 10 });
  });
});
