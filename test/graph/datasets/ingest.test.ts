import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/graph/connection.js';
import { countDatasetGraph, getDataset } from '../../../src/graph/datasets/dataset-repository.js';
import { ingestDataset } from '../../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../../src/graph/query-runner.js';
import { type FileCounts, kgatCounts, kgcnCounts, mindCounts, recboleCounts } from '../../support/file-counts.js';
import { openMigratedRunner, SHARED_DATASETS, uniqueName } from '../../support/neo4j.js';

let runner: QueryRunner;
let connection: Connection;

beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
});
afterAll(async () => connection.close());

const cases: Array<{ dir: string; expected: () => FileCounts }> = [
  { dir: 'lastfm-kgcn', expected: () => kgcnCounts(path.join(SHARED_DATASETS, 'lastfm-kgcn')) },
  { dir: 'ml100k-recbole', expected: () => recboleCounts(path.join(SHARED_DATASETS, 'ml100k-recbole'), 'ml-100k') },
  { dir: 'mind-small-5k', expected: () => mindCounts(path.join(SHARED_DATASETS, 'mind-small-5k')) },
  { dir: 'amazon-book-kgat', expected: () => kgatCounts(path.join(SHARED_DATASETS, 'amazon-book-kgat')) },
];

describe('ingestDataset on the shared datasets', () => {
  for (const { dir, expected } of cases) {
    it(`${dir}: Neo4j counts equal the files' counts, and a second ingestion changes nothing`, async () => {
      const name = uniqueName(dir);
      const first = await ingestDataset(runner, { dir: path.join(SHARED_DATASETS, dir), name });
      const want = expected();
      const got = await countDatasetGraph(runner, name);
      expect(first.outcome).toBe('ingested');
      expect({
        users: got.users,
        items: got.items,
        entities: got.entities,
        interactions: got.interactions,
        exposures: got.exposures,
        exposureOccurrences: got.exposureOccurrences,
        triples: got.triples,
        relations: got.relations,
      }).toEqual({
        users: want.users,
        items: want.items,
        entities: want.entities,
        interactions: want.interactions,
        exposures: want.exposures,
        exposureOccurrences: want.exposureOccurrences,
        triples: want.triples,
        relations: want.relations,
      });
      expect(got.trainInteractions + got.validInteractions + got.testInteractions).toBe(got.interactions);
      if (want.trainInteractions !== undefined) {
        expect(got.trainInteractions).toBe(want.trainInteractions);
        expect(got.testInteractions).toBe(want.testInteractions);
      } else {
        expect(got.validInteractions).toBeGreaterThan(0);
        expect(got.testInteractions).toBeGreaterThan(0);
      }
      expect((await getDataset(runner, name))?.status).toBe('complete');

      const second = await ingestDataset(runner, { dir: path.join(SHARED_DATASETS, dir), name });
      expect(second.outcome).toBe('unchanged');
      expect(await countDatasetGraph(runner, name)).toEqual(got);
      console.log(`${dir}: ${JSON.stringify(got)} in ${first.seconds.toFixed(1)}s`);
    }, 600_000);
  }
});
