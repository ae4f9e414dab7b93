import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import { loadHeldOutImpressions, loadTrainExposures } from '../../src/graph/exposures.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { loadTrainingData, type TrainingData } from '../../src/graph/training-data.js';
import { openMigratedRunner, uniqueName } from '../support/neo4j.js';
import { syntheticMind, type SyntheticImpression } from '../support/synthetic.js';

let runner: QueryRunner;
let connection: Connection;
let dataset: string;
let logs: SyntheticImpression[];
let data: TrainingData;

beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
  dataset = uniqueName('exposures');
  const mind = syntheticMind(120, 30, 80, 3);
  logs = mind.logs;
  await ingestDataset(runner, { dir: mind.dir, name: dataset });
  data = await loadTrainingData(runner, dataset);
});
afterAll(async () => connection.close());

describe('exposure lookups against the real Neo4j', () => {
  it('held-out impressions hold exactly the logs of the validation and test splits, clicks labelled', async () => {
    const valid = await loadHeldOutImpressions(runner, dataset, 'valid', data.users, data.items);
    const test = await loadHeldOutImpressions(runner, dataset, 'test', data.users, data.items);
    expect(valid.impressions).toBeGreaterThan(0);
    expect(test.impressions).toBeGreaterThan(0);
    const validIds = new Set(valid.impressionIds);
    for (const id of test.impressionIds) expect(validIds.has(id)).toBe(false);
    for (const table of [valid, test]) {
      for (let m = 0; m < table.impressions; m += 1) {
        const log = logs.find((l) => l.id === table.impressionIds[m])!;
        expect(data.users.ids[table.userIdxs[m]!]).toBe(log.user);
        const got = new Map<string, boolean>();
        for (let r = table.rowptr[m]!; r < table.rowptr[m + 1]!; r += 1) got.set(String(data.items.ids[table.itemIdxs[r]!]), table.clicked[r] === 1);
        expect(got).toEqual(new Map(log.shown.map((s) => [s.item, s.clicked])));
      }
    }
  });

  it('training exposures are the non-clicks of training logs minus the user\'s training positives, with counts', async () => {
    const heldOut = new Set<unknown>();
    for (const split of ['valid', 'test'] as const) {
      for (const id of (await loadHeldOutImpressions(runner, dataset, split, data.users, data.items)).impressionIds) heldOut.add(id);
    }
    const positives = new Set<string>();
    for (const log of logs) {
      for (const item of log.history) positives.add(`${log.user}|${item}`);
      if (!heldOut.has(log.id)) for (const s of log.shown) if (s.clicked) positives.add(`${log.user}|${s.item}`);
    }
    const expected = new Map<string, number>();
    for (const log of logs) {
      if (heldOut.has(log.id)) continue;
      for (const s of log.shown) {
        const key = `${log.user}|${s.item}`;
        if (!s.clicked && !positives.has(key)) expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
    // Small batches: several concurrent queries must add up to the same table.
    const table = await loadTrainExposures(runner, dataset, data.users, data.items, { batchSize: 7, concurrency: 3 });
    const got = new Map<string, number>();
    for (let k = 0; k < table.userIdxs.length; k += 1) {
      got.set(`${String(data.users.ids[table.userIdxs[k]!])}|${String(data.items.ids[table.itemIdxs[k]!])}`, table.counts[k]!);
    }
    expect(expected.size).toBeGreaterThan(50);
    expect(got).toEqual(expected);
    expect(table.usersWithExposures).toBe(new Set([...expected.keys()].map((k) => k.split('|')[0])).size);
  });
});
