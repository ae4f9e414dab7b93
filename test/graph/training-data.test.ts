import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { loadTrainingData } from '../../src/graph/training-data.js';
import { openTestRunner, uniqueName } from '../support/neo4j.js';

let runner: QueryRunner;
let connection: Connection;
let dataset: string;

beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-ratings-'));
  const rows = ['user_id:token\titem_id:token\trating:float\ttimestamp:float'];
  for (let u = 0; u < 10; u += 1) for (let i = 0; i < 10; i += 1) rows.push(`u${u}\tm${i}\t${1 + ((u + i) % 5)}\t${1000 + i}`);
  writeFileSync(path.join(dir, 'r.inter'), `${rows.join('\n')}\n`);
  dataset = uniqueName('ratings');
  await ingestDataset(runner, { dir, name: dataset });
});
afterAll(async () => connection.close());

describe('loadTrainingData', () => {
  it('maps ids to dense indices in id order and reads every interaction with its split', async () => {
    const data = await loadTrainingData(runner, dataset);
    expect(data.users.ids).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9']);
    expect(data.items.indexOf.get('m3')).toBe(3);
    expect(data.interactions.userIdxs.length).toBe(100);
    // RecBole 8:1:1 per user by time: 8 train, 1 valid, 1 test each.
    const counts = [0, 0, 0];
    for (const s of data.interactions.splits) counts[s]! += 1;
    expect(counts).toEqual([80, 10, 10]);
  });

  it('keeps only interactions rated at least --min-rating when asked (ratings are a train-time choice)', async () => {
    const data = await loadTrainingData(runner, dataset, { minRating: 4 });
    // Ratings cycle 1..5, so 2 of every 5 are >= 4.
    expect(data.interactions.userIdxs.length).toBe(40);
  });
});
