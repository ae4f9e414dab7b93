import { describe, expect, it } from 'vitest';
import type { KgnegError } from '../../src/graph/errors.js';
import { csrFromPairs, csrHas } from '../../src/base/csr.js';
import { DnsSampler } from '../../src/sampling/dns.js';
import { samplerEntry, SAMPLERS, samplerOptions } from '../../src/sampling/registry.js';
import { Rng } from '../../src/base/rng.js';
import type { SamplerContext, Scorer } from '../../src/sampling/types.js';

function context(): SamplerContext {
  // User u has items u .. u+9 of 40; item popularity grows with its index.
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < 20; u += 1) for (let i = u; i < u + 10; i += 1) {
    users.push(u);
    items.push(i);
  }
  const train = csrFromPairs(20, 40, Int32Array.from(users), Int32Array.from(items));
  const itemCounts = Int32Array.from({ length: 40 }, (_, i) => i + 1);
  // Users were shown (and did not click) items u+10 and u+11; user 19 saw nothing.
  const exposedUsers = Int32Array.from({ length: 38 }, (_, k) => Math.floor(k / 2));
  const exposures = csrFromPairs(20, 40, exposedUsers, Int32Array.from(exposedUsers, (u, k) => u + 10 + (k % 2)));
  const rng = new Rng(9);
  const table = (rows: number) => Float32Array.from({ length: rows * 4 }, () => rng.nextNormal() * 0.1);
  const pretrained = { dim: 4, users: table(20), items: table(40), h: new Float32Array(4).fill(1) };
  // KGPolicy's walk graph: item i (node 20 + i) links to entity i % 5 (node 60 + i % 5), both directions.
  const from = Int32Array.from({ length: 80 }, (_, k) => (k % 2 === 0 ? 20 + (k >> 1) : 60 + ((k >> 1) % 5)));
  const to = Int32Array.from({ length: 80 }, (_, k) => (k % 2 === 0 ? 60 + ((k >> 1) % 5) : 20 + (k >> 1)));
  return { train, numItems: 40, itemCounts, rng: new Rng(5), exposures, pretrained, knowledgeGraph: { from, to, entities: 5 } };
}

const byIndex: Scorer = {
  scoreCandidates: (_u, items) => Float32Array.from(items),
  scoreItemPairs: (_a, items) => Float32Array.from(items),
  pairFeatures: (users, items) => Float32Array.from({ length: users.length * 2 }, (_, k) => (k % 2 === 0 ? users[k >> 1]! / 20 : items[k >> 1]! / 40)),
};

describe('samplers', () => {
  for (const name of Object.keys(SAMPLERS).filter((n) => n !== 'none')) {
    it(`${name} never returns one of the user's training items`, () => {
      const ctx = context();
      const sampler = samplerEntry(name).create(ctx, samplerOptions(name, {}));
      const users = Int32Array.from({ length: 2000 }, (_, b) => b % 20);
      const { itemIdxs } = sampler.sample(users, users, 3, byIndex);
      expect(itemIdxs.length).toBe(6000);
      for (let s = 0; s < itemIdxs.length; s += 1) expect(csrHas(ctx.train, users[Math.floor(s / 3)]!, itemIdxs[s]!)).toBe(false);
    });
  }

  it('none (for non-sampling models) refuses to sample', () => {
    const sampler = samplerEntry('none').create(context(), {});
    expect(() => sampler.sample(new Int32Array(1), new Int32Array(1), 1, byIndex)).toThrow(/samples nothing/);
  });

  it('popularity draws in proportion to count^alpha', () => {
    const ctx = { ...context(), train: csrFromPairs(1, 40, new Int32Array(0), new Int32Array(0)) };
    const sampler = samplerEntry('popularity').create(ctx, samplerOptions('popularity', { alpha: 1 }));
    const { itemIdxs } = sampler.sample(new Int32Array(200_000), new Int32Array(200_000), 1, byIndex);
    const seen = new Float64Array(40);
    for (const i of itemIdxs) seen[i]! += 1;
    const total = (40 * 41) / 2;
    for (const i of [0, 9, 39]) expect(seen[i]! / 200_000).toBeCloseTo((i + 1) / total, 2);
  });

  it('DNS keeps the best-scored item of each pool', () => {
    const ctx = context();
    const dns = new DnsSampler(ctx, 16);
    const users = new Int32Array(500);
    const uniform = samplerEntry('uniform').create(context(), {});
    const hard = dns.sample(users, users, 1, byIndex).itemIdxs;
    const easy = uniform.sample(users, users, 1, byIndex).itemIdxs;
    const mean = (a: Int32Array) => a.reduce((s, x) => s + x, 0) / a.length;
    // Scores are the item index, so DNS negatives are the high indices.
    expect(mean(hard)).toBeGreaterThan(mean(easy) + 8);
  });

  it('an unknown sampler or option is refused with the known ones', () => {
    const hintOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return `${(error as Error).message} / ${(error as KgnegError).hint}`;
      }
      return 'no error';
    };
    expect(hintOf(() => samplerEntry('nope'))).toMatch(/unknown sampler 'nope' \/ known samplers: uniform, popularity, dns, sdns/);
    expect(hintOf(() => samplerOptions('dns', { depth: 3 }))).toMatch(/no option 'depth' \/ valid: pool/);
  });
});
