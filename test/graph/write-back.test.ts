import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import { QueryRunner, type BatchOptions, type BatchWriteCounters } from '../../src/graph/query-runner.js';
import { nearestItemsForUser, recommendationsForUser } from '../../src/graph/recommendations.js';
import { loadTrainingData, type TrainingData } from '../../src/graph/training-data.js';
import { currentRun, mipsAugment, writeBackRun } from '../../src/graph/write-back.js';
import { rankUsers } from '../../src/eval/full-ranking.js';
import { Rng } from '../../src/base/rng.js';
import { idParam, intParam } from '../../src/graph/values.js';
import { selectBackend } from '../../src/train/backend.js';
import { splitTrainingData, type SplitData } from '../../src/train/split-data.js';
import { openMigratedRunner, uniqueName } from '../support/neo4j.js';
import { syntheticKgcn } from '../support/synthetic.js';

let runner: QueryRunner;
let connection: Connection;
let dataset: string;
let data: TrainingData;
let split: SplitData;
const dim = 16;
const K = 10;

beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
  dataset = uniqueName('writeback');
  await ingestDataset(runner, { dir: syntheticKgcn(60, 120, 10), name: dataset });
  data = await loadTrainingData(runner, dataset);
  split = splitTrainingData(data, 1);
  await selectBackend('auto');
});
afterAll(async () => connection.close());

function randomEmbeddings(seed: number) {
  const rng = new Rng(seed);
  const users = Float32Array.from({ length: split.numUsers * dim }, () => rng.nextNormal());
  const items = Float32Array.from({ length: split.numItems * dim }, () => rng.nextNormal() * (0.5 + rng.nextFloat()));
  return { dim, users, items };
}

async function modelTopK(embeddings: ReturnType<typeof randomEmbeddings>) {
  const recs: Array<{ itemIdxs: Int32Array; scores: Float32Array }> = [];
  await rankUsers(embeddings, Array.from({ length: split.numUsers }, (_, u) => u), [split.train, split.valid, split.test], K, (u, itemIdxs, scores) => {
    recs[u] = { itemIdxs: itemIdxs.slice(), scores: scores.slice() };
  });
  return recs;
}

/**
 * A runner that fails as if its connection were lost once `batches` batches
 * of recommendations have committed: the write-back dies half-way through its
 * recommendations, before the switch, as a process killed there would (that
 * case itself: test/cli/train-kill.test.ts). The fault lives here, not in
 * write-back.ts.
 */
class RunnerLosingConnection extends QueryRunner {
  readonly #batches: number;

  constructor(connection: Connection, batches: number) {
    super(connection);
    this.#batches = batches;
  }

  override async writeBatches(name: string, rows: readonly unknown[], options: BatchOptions = {}): Promise<BatchWriteCounters> {
    if (name !== 'runs/write-recommendations') return super.writeBatches(name, rows, options);
    await super.writeBatches(name, rows.slice(0, this.#batches * options.batchSize!), { ...options, concurrency: 1 });
    throw new Error(`connection lost after ${this.#batches} recommendation batch(es)`);
  }
}

async function writeRun(seed: number, through: QueryRunner = runner) {
  const embeddings = randomEmbeddings(seed);
  const recommendations = await modelTopK(embeddings);
  const result = await writeBackRun(through, {
    dataset,
    dim,
    userIds: data.users.ids,
    itemIds: data.items.ids,
    users: embeddings.users,
    items: embeddings.items,
    recommendations,
    runProperties: { model: 'test', seed },
    batchSize: 50,
  });
  return { result, embeddings, recommendations };
}

async function servedTopK(): Promise<Array<Array<number | string>>> {
  const served: Array<Array<number | string>> = [];
  for (const [u, userId] of data.users.ids.entries()) served[u] = (await recommendationsForUser(runner, dataset, userId, K)).map((r) => r.itemId);
  return served;
}

describe('write-back', () => {
  it('puts vectors on every user and item, and RECOMMENDED equals the model top-K', async () => {
    const { result, recommendations } = await writeRun(1);
    const run = await currentRun(runner, dataset);
    expect(run?.runId).toBe(result.runId);
    const missing = await runner.autoCommitText<{ users: number; items: number }>(
      `MATCH (u:User {dataset: $dataset}) WITH count(CASE WHEN size(u[$p]) <> $dim THEN 1 END) AS users
       MATCH (i:Item {dataset: $dataset}) RETURN users, count(CASE WHEN size(i[$p]) <> $dim THEN 1 END) AS items`,
      { dataset, p: run!.embeddingProperty, dim },
    );
    expect(missing).toEqual([{ users: 0, items: 0 }]);
    const served = await servedTopK();
    const want = recommendations.map((r) => Array.from(r.itemIdxs, (i) => data.items.ids[i]!));
    expect(served).toEqual(want);
  });

  it('the vector index query returns the exact inner-product ranking', async () => {
    const embeddings = randomEmbeddings(1);
    const recommendations = await modelTopK(embeddings);
    for (let u = 0; u < split.numUsers; u += 1) {
      const nearest = await nearestItemsForUser(runner, dataset, data.users.ids[u]!, K);
      expect(nearest.map((n) => n.itemId)).toEqual(Array.from(recommendations[u]!.itemIdxs, (i) => data.items.ids[i]!));
      nearest.forEach((n, r) => expect(n.score).toBeCloseTo(recommendations[u]!.scores[r]!, 4));
    }
  });

  it('the MIPS augmentation turns inner-product order into euclidean order', () => {
    const rng = new Rng(9);
    const items = Float32Array.from({ length: 50 * 4 }, () => rng.nextNormal());
    const user = Float32Array.from({ length: 4 }, () => rng.nextNormal());
    const { augmented } = mipsAugment(items, 4);
    const ip = (i: number) => user.reduce((s, x, d) => s + x * items[i * 4 + d]!, 0);
    const dist = (i: number) => Array.from(user, (x, d) => x - augmented[i * 5 + d]!).reduce((s, x) => s + x * x, augmented[i * 5 + 4]! ** 2);
    const byIp = Array.from({ length: 50 }, (_, i) => i).sort((a, b) => ip(b) - ip(a));
    const byDist = Array.from({ length: 50 }, (_, i) => i).sort((a, b) => dist(a) - dist(b));
    expect(byDist).toEqual(byIp);
  });

  it('a write-back that dies before the switch leaves the previous run served, and the next run cleans up', async () => {
    const before = await currentRun(runner, dataset);
    const servedBefore = await servedTopK();
    const dying = new RunnerLosingConnection(connection, 1);
    await expect(writeRun(2, dying)).rejects.toThrow(/connection lost/);
    // Half-written: the dead run has some recommendations, not all, and nobody is served them.
    const [dead] = await runner.autoCommitText<{ rels: number }>(
      `MATCH (r:Run {dataset: $dataset, status: 'writing'}) OPTIONAL MATCH ()-[rec:RECOMMENDED {runId: r.runId}]->() RETURN count(rec) AS rels`,
      { dataset },
    );
    expect(dead!.rels).toBeGreaterThan(0);
    expect(dead!.rels).toBeLessThan(split.numUsers * K);
    expect((await currentRun(runner, dataset))?.runId).toBe(before?.runId);
    expect(await servedTopK()).toEqual(servedBefore);

    const { result, recommendations } = await writeRun(3);
    expect(result.slot).not.toBe(before?.slot);
    expect(await servedTopK()).toEqual(recommendations.map((r) => Array.from(r.itemIdxs, (i) => data.items.ids[i]!)));
    const leftovers = await runner.autoCommitText<{ runs: number; rels: number }>(
      `MATCH (u:User {dataset: $dataset})-[r:RECOMMENDED]->() RETURN count(DISTINCT r.runId) AS runs, count(r) AS rels`,
      { dataset },
    );
    expect(leftovers).toEqual([{ runs: 1, rels: split.numUsers * K }]);
    const statuses = await runner.autoCommitText<{ status: string }>('MATCH (r:Run {dataset: $dataset}) RETURN r.status AS status ORDER BY r.startedAt', { dataset });
    expect(statuses.map((s) => s.status)).toEqual(['superseded', 'abandoned', 'complete']);
  });

  it('the recommendation Cypher in the README runs and returns the served list', async () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const block = /<!-- cypher: recommendations -->\s*```cypher\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const userId = data.users.ids[0]!;
    const rows = await runner.autoCommitText<{ itemId: number }>(block!, { dataset, userId: idParam(userId), k: intParam(5) });
    expect(rows.map((r) => r.itemId)).toEqual((await servedTopK())[0]!.slice(0, 5));
  });
});
