import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFullRanking, rankUsers } from '../../src/eval/full-ranking.js';
import { closeRankingPool } from '../../src/eval/ranking-pool.js';
import { csrFromPairs, rowOf, type Csr } from '../../src/base/csr.js';
import { Rng } from '../../src/base/rng.js';
import { selectBackend } from '../../src/train/backend.js';

const USERS = 1_500;
const ITEMS = 400;
const DIM = 8;
const K = 20;
const rng = new Rng(11);
const embeddings = {
  dim: DIM,
  users: Float32Array.from({ length: USERS * DIM }, () => rng.nextNormal()),
  items: Float32Array.from({ length: ITEMS * DIM }, () => rng.nextNormal()),
};

function randomCsr(perUser: number, seed: number): Csr {
  const r = new Rng(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < USERS; u += 1) for (let c = 0; c < perUser; c += 1) (rows.push(u), cols.push(r.nextInt(ITEMS)));
  return csrFromPairs(USERS, ITEMS, Int32Array.from(rows), Int32Array.from(cols));
}
const train = randomCsr(30, 1);
const test = randomCsr(5, 2);

async function ranked(threads: number) {
  const lists: Array<{ items: number[]; scores: number[] }> = [];
  const order: number[] = [];
  const users = Array.from({ length: USERS }, (_, u) => u);
  const used = await rankUsers(embeddings, users, [train], K, (u, itemIdxs, scores) => {
    order.push(u);
    lists[u] = { items: Array.from(itemIdxs), scores: Array.from(scores) };
  }, { threads, chunkUsers: 100 });
  return { lists, order, used };
}

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(async () => closeRankingPool());

describe('full ranking', () => {
  it('equals sorting every item by inner product, training items excluded', async () => {
    const { lists } = await ranked(1);
    for (const u of [0, 17, 733, USERS - 1]) {
      const seen = new Set(rowOf(train, u));
      const score = (i: number) => embeddings.users.subarray(u * DIM, u * DIM + DIM).reduce((s, x, d) => s + x * embeddings.items[i * DIM + d]!, 0);
      const want = Array.from({ length: ITEMS }, (_, i) => i)
        .filter((i) => !seen.has(i))
        .sort((a, b) => score(b) - score(a) || a - b)
        .slice(0, K);
      expect(lists[u]!.items).toEqual(want);
    }
  });

  it('gives the same lists, scores and order on worker threads as on the main thread alone', async () => {
    const one = await ranked(1);
    const three = await ranked(3);
    expect(three.used).toBe(3);
    expect(three.order).toEqual(one.order);
    expect(three.lists).toEqual(one.lists);
    const a = await evaluateFullRanking({ embeddings, exclude: [train], truth: test, ks: [10, 20], options: { threads: 1 } });
    const b = await evaluateFullRanking({ embeddings, exclude: [train], truth: test, ks: [10, 20], options: { threads: 2 } });
    expect(b.threads).toBe(2);
    expect(b.metrics).toEqual(a.metrics);
    expect(a.metrics['recall@20']).toBeGreaterThan(0);
  });

  it('gives the same metrics on every backend that loads, on one thread and on two', async () => {
    const metrics: Record<string, Record<string, number>> = {};
    const lists: Record<string, Array<{ items: number[]; scores: number[] }>> = {};
    for (const backend of ['cpu', 'wasm', 'tensorflow'] as const) {
      const loaded = await selectBackend(backend).then(() => true, () => false);
      if (!loaded) {
        // Only the native backend is optional (npm run setup:tensorflow); CI requires it.
        expect(backend).toBe('tensorflow');
        expect(process.env['KGNEG_REQUIRE_TENSORFLOW']).not.toBe('1');
        continue;
      }
      for (const threads of [1, 2]) {
        const result = await evaluateFullRanking({ embeddings, exclude: [train], truth: test, ks: [10, 20], options: { threads } });
        metrics[`${backend}/${threads}`] = result.metrics;
      }
      lists[backend] = (await ranked(1)).lists;
      // A user with fewer than K items left after exclusion gets the ones left, on every backend.
      const almostAll = csrFromPairs(1, ITEMS, new Int32Array(ITEMS - 5), Int32Array.from({ length: ITEMS - 5 }, (_, i) => i + 5));
      const few: number[][] = [];
      await rankUsers({ dim: DIM, users: embeddings.users.subarray(0, DIM), items: embeddings.items }, [0], [almostAll], K, (_u, items) => few.push(Array.from(items).sort((a, b) => a - b)), { threads: 1 });
      expect(few).toEqual([[0, 1, 2, 3, 4]]);
    }
    for (const backend of Object.keys(lists)) {
      for (const u of [0, 17, 733, USERS - 1]) {
        expect(lists[backend]![u]!.items, `${backend} user ${u}`).toEqual(lists['cpu']![u]!.items);
        lists[backend]![u]!.scores.forEach((score, r) => expect(Math.abs(score - lists['cpu']![u]!.scores[r]!)).toBeLessThan(1e-4));
      }
    }
    await selectBackend('wasm');
    const reference = metrics['cpu/1']!;
    expect(Object.keys(metrics).length).toBeGreaterThanOrEqual(4);
    for (const [name, values] of Object.entries(metrics)) {
      for (const [key, value] of Object.entries(reference)) {
        // Products summed in another order may swap a near tie; nothing more.
        expect(Math.abs(values[key]! - value), `${name} ${key}`).toBeLessThan(1e-3);
      }
    }
  });

  it('ranks the same with asynchronous reads (the webgpu path, KGNEG_ASYNC_READS=1) as synchronously', async () => {
    await selectBackend('cpu');
    const sync = await ranked(1);
    process.env['KGNEG_ASYNC_READS'] = '1';
    try {
      const asyncRanked = await ranked(2);
      // One thread whatever was asked: the products run on the device.
      expect(asyncRanked.used).toBe(1);
      expect(asyncRanked.order).toEqual(sync.order);
      for (let u = 0; u < USERS; u += 1) {
        expect(asyncRanked.lists[u]!.items, `user ${u}`).toEqual(sync.lists[u]!.items);
        asyncRanked.lists[u]!.scores.forEach((score, r) => expect(Math.abs(score - sync.lists[u]!.scores[r]!)).toBeLessThan(1e-5));
      }
    } finally {
      delete process.env['KGNEG_ASYNC_READS'];
      await selectBackend('wasm');
    }
  });
});
