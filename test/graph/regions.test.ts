import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { cachedReachableItems } from '../../src/graph/region-cache.js';
import { extractReachableItems, profileRegionBatch, type ReachableItemSets } from '../../src/graph/regions.js';
import { csrFromPairs, csrHas, rowOf, type Csr } from '../../src/base/csr.js';
import { loadTrainingData, SPLIT_CODES, type TrainingData } from '../../src/graph/training-data.js';
import { splitTrainingData } from '../../src/train/split-data.js';
import { reachableItemsOfAllUsers, trainingGraph } from '../support/lbfs-reference.js';
import { openMigratedRunner, SHARED_DATASETS, uniqueName } from '../support/neo4j.js';

let runner: QueryRunner;
let connection: Connection;
beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
});
afterAll(async () => connection.close());

function bitsOf(sets: ReachableItemSets, u: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < sets.items; i += 1) if ((sets.bits[u * sets.wordsPerUser + (i >>> 5)]! >>> (i & 31)) & 1) out.push(i);
  return out;
}

/** The stored train split as pairs, nothing held out of it. */
function storedTrain(data: TrainingData): Csr {
  const { userIdxs, itemIdxs, splits } = data.interactions;
  const keep = Array.from(splits, (s, k) => (s === SPLIT_CODES.train ? k : -1)).filter((k) => k >= 0);
  return csrFromPairs(data.users.ids.length, data.items.ids.length, Int32Array.from(keep, (k) => userIdxs[k]!), Int32Array.from(keep, (k) => itemIdxs[k]!));
}

function expectEqualToReference(train: Csr, sets: ReachableItemSets) {
  const reference = reachableItemsOfAllUsers(trainingGraph(train), sets.users, sets.khop);
  let compared = 0;
  for (let u = 0; u < sets.users; u += 1) {
    const want = reference[u]!;
    const got = bitsOf(sets, u);
    if (got.length !== want.length || got.some((x, k) => x !== want[k])) expect({ user: u, got }).toEqual({ user: u, got: want });
    compared += 1;
  }
  return compared;
}

/**
 * A chain whose regions grow with every khop: u0 - i0 - u1 - i1 - ... - u7 - i8,
 * plus a user alone with one item. KGAT layout: every line of train.txt is a
 * training interaction (a seeded 6:2:2 split would cut the chain).
 */
function chainDataset(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-chain-'));
  const train = Array.from({ length: 8 }, (_, u) => `${u} ${u} ${u + 1}`);
  train.push('8 20');
  writeFileSync(path.join(dir, 'train.txt'), `${train.join('\n')}\n`);
  writeFileSync(path.join(dir, 'test.txt'), `${Array.from({ length: 9 }, (_, u) => `${u} ${21 + u}`).join('\n')}\n`);
  writeFileSync(path.join(dir, 'kg_final.txt'), '0 0 40\n');
  return dir;
}

describe('LBFS regions in Cypher', () => {
  it('equal the graphology reference on a small graph for khop 1, 3, 5 and 7', async () => {
    const name = uniqueName('chain');
    await ingestDataset(runner, { dir: chainDataset(), name });
    const data = await loadTrainingData(runner, name);
    const train = storedTrain(data);
    const sizes: number[] = [];
    for (const khop of [1, 3, 5, 7]) {
      const sets = await extractReachableItems(runner, { data, train, khop, batchSize: 3 });
      expect(expectEqualToReference(train, sets)).toBe(data.users.ids.length);
      let total = 0;
      for (let u = 0; u < sets.users; u += 1) total += bitsOf(sets, u).length;
      sizes.push(total);
    }
    // Not vacuous: the reach grows with khop on this graph.
    expect(sizes[0]).toBeLessThan(sizes[1]!);
    expect(sizes[1]).toBeLessThan(sizes[2]!);
    expect(sizes[2]).toBeLessThan(sizes[3]!);
  });

  it('equal the graphology reference for every user of lastfm-kgcn at khop 3, and the profile reports db hits', async () => {
    const name = uniqueName('regions-lastfm');
    await ingestDataset(runner, { dir: path.join(SHARED_DATASETS, 'lastfm-kgcn'), name });
    const data = await loadTrainingData(runner, name);
    const { train } = splitTrainingData(data, 1);
    const sets = await extractReachableItems(runner, { data, train, khop: 3 });
    expect(expectEqualToReference(train, sets)).toBe(1872);
    const median = Array.from({ length: sets.users }, (_, u) => bitsOf(sets, u).length).sort((a, b) => a - b)[936]!;
    expect(median).toBeGreaterThan(100);
    const profile = await profileRegionBatch(runner, { data, train, khop: 3, userIds: data.users.ids.slice(0, 50) });
    expect(profile.rows).toBe(50);
    expect(profile.dbHits).toBeGreaterThan(0);
  });

  it('are cached per dataset version and khop, and a damaged cache file is recomputed', async () => {
    const name = uniqueName('regions-cache');
    await ingestDataset(runner, { dir: chainDataset(), name });
    const data = await loadTrainingData(runner, name);
    const train = storedTrain(data);
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'kgneg-region-cache-'));
    const first = await cachedReachableItems(runner, data, train, 3, { cacheDir });
    expect(first.source).toBe('extracted');
    const second = await cachedReachableItems(runner, data, train, 3, { cacheDir });
    expect(second.source).toBe('cache');
    expect(second.file).toBe(first.file);
    expect(Array.from(second.sets.bits)).toEqual(Array.from(first.sets.bits));
    const other = await cachedReachableItems(runner, data, train, 5, { cacheDir });
    expect(other.source).toBe('extracted');
    expect(other.file).not.toBe(first.file);
    // Other training pairs (a carved validation split) are another cache entry.
    const carved = csrFromPairs(train.rows, train.cols, ...keepEveryOther(train));
    expect(carved.indices.length).toBeLessThan(train.indices.length);
    const fewer = await cachedReachableItems(runner, data, carved, 3, { cacheDir });
    expect(fewer.source).toBe('extracted');
    expect(fewer.file).not.toBe(first.file);
    writeFileSync(first.file, 'not a region file');
    const again = await cachedReachableItems(runner, data, train, 3, { cacheDir });
    expect(again.source).toBe('extracted');
    expect(Array.from(again.sets.bits)).toEqual(Array.from(first.sets.bits));
  });

  it('walk only the trainer\'s training pairs: a validation item carved from train is outside its user\'s region', async () => {
    const name = uniqueName('regions-carved');
    await ingestDataset(runner, { dir: path.join(SHARED_DATASETS, 'lastfm-kgcn'), name, splitSeed: 1 });
    const data = await loadTrainingData(runner, name);
    // lastfm-kgcn has a validation split of its own: carve one more from train, as on KGAT data.
    const stored = storedTrain(data);
    const carved = csrFromPairs(stored.rows, stored.cols, ...keepEveryOther(stored));
    const heldOut: Array<[number, number]> = [];
    for (let u = 0; u < stored.rows; u += 1) for (const i of rowOf(stored, u)) if (!csrHas(carved, u, i)) heldOut.push([u, i]);
    expect(heldOut.length).toBeGreaterThan(1000);
    const walkedStored = await extractReachableItems(runner, { data, train: stored, khop: 3 });
    const walkedCarved = await extractReachableItems(runner, { data, train: carved, khop: 3 });
    const has = (sets: ReachableItemSets, u: number, i: number) => ((sets.bits[u * sets.wordsPerUser + (i >>> 5)]! >>> (i & 31)) & 1) === 1;
    // Walking the stored split, a 3-edge walk goes back to every held-out item of the user (the leak);
    // walking the trainer's pairs, none of them is reached through the user's own held-out pair.
    expect(heldOut.every(([u, i]) => has(walkedStored, u, i))).toBe(true);
    expect(expectEqualToReference(carved, walkedCarved)).toBe(data.users.ids.length);
    const stillReached = heldOut.filter(([u, i]) => has(walkedCarved, u, i)).length;
    expect(stillReached).toBeLessThan(heldOut.length);
  });
});

/** Every other training item of each user: a carved split with many held-out pairs. */
function keepEveryOther(train: Csr): [Int32Array, Int32Array] {
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < train.rows; u += 1) rowOf(train, u).forEach((i, k) => {
    if (k % 2 === 0) {
      users.push(u);
      items.push(i);
    }
  });
  return [Int32Array.from(users), Int32Array.from(items)];
}
