import { describe, expect, it } from 'vitest';
import { csrFromPairs, csrHas, rowOf } from '../../src/base/csr.js';
import { accumulateAttentionGradient, attentionLogProbs } from '../../src/sampling/kgpolicy/attention.js';
import { KgPolicySampler } from '../../src/sampling/kgpolicy/kgpolicy-sampler.js';
import { buildWalkGraph, drawNeighbourTables } from '../../src/sampling/kgpolicy/neighbour-tables.js';
import { samplerOptions, SAMPLERS } from '../../src/sampling/registry.js';
import { Rng } from '../../src/base/rng.js';
import type { Scorer } from '../../src/sampling/types.js';

describe('KGPolicy attention (eqs. 12-15)', () => {
  it('the hand-written gradient of -w log P(chosen) matches finite differences', () => {
    const rng = new Rng(3);
    const dim = 3;
    const h = Float32Array.from({ length: 7 * dim }, () => rng.nextNormal());
    const rows = { users: Int32Array.of(0, 1), at: Int32Array.of(2, 3), candidates: Int32Array.of(4, 5, 6, 3, 4, 6), width: 3, mask: Float32Array.of(0, 0, 0, 0, -1e9, 0) };
    const chosen = Int32Array.of(1, 2);
    const weights = Float32Array.of(0.7, -1.3);
    const loss = (x: Float32Array) => {
      const log = attentionLogProbs(x, dim, rows);
      return -(weights[0]! * log[chosen[0]!]! + weights[1]! * log[3 + chosen[1]!]!);
    };
    const grad = new Float32Array(h.length);
    accumulateAttentionGradient(h, dim, rows, attentionLogProbs(h, dim, rows), chosen, weights, grad);
    const eps = 1e-2;
    for (let k = 0; k < h.length; k += 1) {
      const plus = h.slice();
      const minus = h.slice();
      plus[k]! += eps;
      minus[k]! -= eps;
      expect(grad[k]).toBeCloseTo((loss(plus) - loss(minus)) / (2 * eps), 2);
    }
  });

  it('a masked candidate gets no probability', () => {
    const h = Float32Array.from({ length: 7 * 2 }, (_, k) => (k % 3) - 1);
    const log = attentionLogProbs(h, 2, { users: Int32Array.of(0), at: Int32Array.of(1), candidates: Int32Array.of(4, 5, 6), width: 3, mask: Float32Array.of(0, -1e9, 0) });
    expect(Math.exp(log[1]!)).toBe(0);
    expect(Math.exp(log[0]!) + Math.exp(log[2]!)).toBeCloseTo(1, 6);
  });
});

/** 6 users, 12 items, 5 KG entities; user u took items u and u + 6; item i links to entity i % 5. */
function fixture() {
  const users = Int32Array.from({ length: 12 }, (_, k) => k % 6);
  const items = Int32Array.from({ length: 12 }, (_, k) => (k < 6 ? k : k));
  const train = csrFromPairs(6, 12, users, items);
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < 12; i += 1) {
    const item = 6 + i;
    const entity = 18 + (i % 5);
    from.push(item, entity);
    to.push(entity, item);
  }
  return { train, from: Int32Array.from(from), to: Int32Array.from(to), entities: 5 };
}

describe('KGPolicy walk graph and neighbour tables', () => {
  it('holds the training interactions and the KG, both directions', () => {
    const { train, from, to, entities } = fixture();
    const graph = buildWalkGraph(train, from, to, entities);
    expect(graph.nodes).toBe(6 + 12 + 5);
    expect([...rowOf(graph.adjacency, 0)]).toEqual([6, 12]);
    expect([...rowOf(graph.adjacency, 6)]).toEqual([0, 18]);
    // Entity 18 links items 0, 5, 10 (nodes 6, 11, 16).
    expect([...rowOf(graph.adjacency, 18)]).toEqual([6, 11, 16]);
    expect([...rowOf(graph.itemAdjacency, 18)]).toEqual([6, 11, 16]);
    expect([...rowOf(graph.itemAdjacency, 6)]).toEqual([]);
  });

  it('draws exactly n1 neighbours per node (sub-sampled without repeats, or all then repeats), then random items', () => {
    const { train, from, to, entities } = fixture();
    const graph = buildWalkGraph(train, from, to, entities);
    const tables = drawNeighbourTables(graph, 2, 3, new Rng(1));
    const width = 5;
    for (let node = 0; node < graph.nodes; node += 1) {
      const row = tables.itemNeighbours.subarray(node * width, (node + 1) * width);
      const neighbours = rowOf(graph.itemAdjacency, node);
      for (let k = 0; k < width; k += 1) {
        expect(row[k]).toBeGreaterThanOrEqual(6);
        expect(row[k]).toBeLessThan(18);
        if (k < 2 && neighbours.length > 0) expect(neighbours).toContain(row[k]);
      }
      // Entity 18 has 3 item neighbours > n1 = 2: two distinct ones.
      if (node === 18) expect(row[0]).not.toBe(row[1]);
    }
    for (let i = 0; i < 12; i += 1) {
      const row = tables.anyNeighbours.subarray(i * 2, i * 2 + 2);
      // Item i has 2 neighbours (its user, its entity): both, in some order.
      expect([...row].sort((a, b) => a - b)).toEqual([...rowOf(graph.adjacency, 6 + i)]);
    }
    expect([...drawNeighbourTables(graph, 2, 3, new Rng(1)).itemNeighbours]).toEqual([...tables.itemNeighbours]);
  });
});

describe('the KGPolicy sampler', () => {
  const scorer: Scorer = {
    // The recommender likes items 9..11 for everyone and thinks them similar to every positive.
    scoreCandidates: (_u, items) => Float32Array.from(items, (i) => (i >= 9 ? 3 : -3)),
    scoreItemPairs: (_a, items) => Float32Array.from(items, (i) => (i >= 9 ? 3 : -3)),
  };

  it('walks the graph from the positive and never returns a training item', () => {
    const { train, from, to, entities } = fixture();
    const ctx = { train, numItems: 12, itemCounts: new Int32Array(12), rng: new Rng(2), knowledgeGraph: { from, to, entities } };
    const sampler = SAMPLERS['kgpolicy']!.create(ctx, samplerOptions('kgpolicy', { n1: 4, randomItems: 0, n2: 3, policyDim: 8 })) as KgPolicySampler;
    const users = Int32Array.from({ length: 60 }, (_, b) => b % 6);
    const positives = Int32Array.from(users, (u) => u);
    const { itemIdxs } = sampler.sample(users, positives, 1, scorer);
    const walks = sampler.lastWalks()!;
    for (let b = 0; b < users.length; b += 1) {
      expect(csrHas(train, users[b]!, itemIdxs[b]!)).toBe(false);
      const path = walks.nodes.subarray(b * 5, b * 5 + 5);
      expect(path[0]).toBe(6 + positives[b]!);
      // Without random items every hop follows an edge.
      for (let k = 0; k + 1 < 5; k += 1) expect(csrHas(sampler.graph.adjacency, path[k]!, path[k + 1]!)).toBe(true);
    }
    sampler.dispose();
  });

  it('REINFORCE through the graph module moves the walks toward rewarded items', () => {
    const { train, from, to, entities } = fixture();
    const ctx = { train, numItems: 12, itemCounts: new Int32Array(12), rng: new Rng(4), knowledgeGraph: { from, to, entities } };
    const sampler = SAMPLERS['kgpolicy']!.create(ctx, samplerOptions('kgpolicy', { n1: 6, randomItems: 6, n2: 12, policyDim: 8, samplerLr: 0.01 })) as KgPolicySampler;
    const users = Int32Array.from({ length: 120 }, (_, b) => b % 6);
    const positives = Int32Array.from(users, (u) => u);
    const share = (rounds: number) => {
      let liked = 0;
      for (let r = 0; r < rounds; r += 1) {
        sampler.sample(users, positives, 1, scorer);
        const walks = sampler.lastWalks()!;
        // The first proposal e_1 (the final one cannot repeat it: the trajectory is masked).
        for (let b = 0; b < users.length; b += 1) liked += walks.nodes[b * 5 + 2]! - 6 >= 9 ? 1 : 0;
      }
      return liked / (rounds * users.length);
    };
    const before = share(3);
    share(60);
    expect(before).toBeLessThan(0.4);
    expect(share(5)).toBeGreaterThan(0.9);
    sampler.dispose();
  });
});
