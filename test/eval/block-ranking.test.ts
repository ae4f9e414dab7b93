import { afterAll, describe, expect, it } from 'vitest';
import { BLOCK_ITEMS, rankByBlocks } from '../../src/eval/block-ranking.js';
import { rankUsers } from '../../src/eval/full-ranking.js';
import { csrFromPairs, rowOf, type Csr } from '../../src/base/csr.js';
import { Rng } from '../../src/base/rng.js';
import { selectBackend } from '../../src/train/backend.js';

// Small integer embeddings: every score is an exact integer in float32, on
// every backend, so equal scores are common and the order among them is tested too.
const USERS = 400;
const ITEMS = 20_011; // not a multiple of BLOCK_ITEMS: the last block is padded
const DIM = 6;
const K = 20;
const rng = new Rng(5);
const embeddings = {
  dim: DIM,
  users: Float32Array.from({ length: USERS * DIM }, () => rng.nextInt(7) - 3),
  items: Float32Array.from({ length: ITEMS * DIM }, () => rng.nextInt(7) - 3),
};
const score = (u: number, i: number) => {
  let s = 0;
  for (let d = 0; d < DIM; d += 1) s += embeddings.users[u * DIM + d]! * embeddings.items[i * DIM + d]!;
  return s;
};
const bestFirstCache = new Map<number, number[]>();
const bestFirst = (u: number): number[] => {
  let order = bestFirstCache.get(u);
  if (!order) {
    const s = Float64Array.from({ length: ITEMS }, (_, i) => score(u, i));
    order = Array.from({ length: ITEMS }, (_, i) => i).sort((a, b) => s[b]! - s[a]! || a - b);
    bestFirstCache.set(u, order);
  }
  return order;
};

// Users exclude 0 to 400 items; a third of them exclude exactly their own best
// items (the blocks holding them then rank first), the rest random items.
const excludedBy: number[][] = [];
for (let u = 0; u < USERS; u += 1) {
  const count = u % 10 === 9 ? 150 + rng.nextInt(250) : rng.nextInt(60);
  excludedBy.push(u % 3 === 0 ? bestFirst(u).slice(0, count) : Array.from({ length: count }, () => rng.nextInt(ITEMS)));
}
const exclude: Csr = csrFromPairs(
  USERS,
  ITEMS,
  Int32Array.from(excludedBy.flatMap((items, u) => items.map(() => u))),
  Int32Array.from(excludedBy.flat()),
);
const expectedCache = new Map<number, number[]>();
const expected = (u: number): number[] => {
  if (!expectedCache.has(u)) {
    const seen = new Set(rowOf(exclude, u));
    expectedCache.set(u, bestFirst(u).filter((i) => !seen.has(i)).slice(0, K));
  }
  return expectedCache.get(u)!;
};

afterAll(async () => {
  await selectBackend('wasm');
});

describe('top-K by item blocks', () => {
  it('is exact, ties in item order, on every backend that loads; users with many exclusions are left to the caller', async () => {
    let backends = 0;
    for (const backend of ['cpu', 'wasm', 'tensorflow'] as const) {
      if (!(await selectBackend(backend).then(() => true, () => false))) {
        expect(backend).toBe('tensorflow');
        expect(process.env['KGNEG_REQUIRE_TENSORFLOW']).not.toBe('1');
        continue;
      }
      backends += 1;
      const users = Array.from({ length: USERS }, (_, u) => USERS - 1 - u);
      const got = new Map<number, number[]>();
      const left = rankByBlocks(embeddings, users, [exclude], K, 64, (p, items, scores) => {
        const u = users[p]!;
        got.set(u, Array.from(items));
        scores.forEach((s, r) => expect(s).toBe(score(u, items[r]!)));
      });
      expect(left.length + got.size).toBe(USERS);
      expect(left.length).toBeGreaterThan(0);
      for (const p of left) expect(rowOf(exclude, users[p]!).length + K + 1).toBeGreaterThan(128);
      for (const [u, items] of got) expect(items, `${backend} user ${u}`).toEqual(expected(u));
    }
    expect(backends).toBeGreaterThanOrEqual(2);
  });

  it('ranks every user, in list order, through the native path (blocks and whole rows together)', async () => {
    if (!(await selectBackend('tensorflow').then(() => true, () => false))) {
      expect(process.env['KGNEG_REQUIRE_TENSORFLOW']).not.toBe('1');
      return;
    }
    const users = Array.from({ length: USERS }, (_, u) => (u * 7) % USERS);
    const order: number[] = [];
    await rankUsers(embeddings, users, [exclude], K, (u, items) => {
      order.push(u);
      expect(Array.from(items), `user ${u}`).toEqual(expected(u));
    }, { chunkUsers: 50 });
    expect(order).toEqual(users);
    expect(ITEMS % BLOCK_ITEMS).not.toBe(0);
  });
});
