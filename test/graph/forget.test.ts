/**
 * Replacing and forgetting a trained dataset, against the real Neo4j: its runs,
 * CURRENT_RUN and vector indexes go with it, so nothing is left half-deleted.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainOptionsFrom } from '../../src/cli/train/options.js';
import { runTraining, SILENT } from '../../src/cli/train/run.js';
import type { Connection } from '../../src/graph/connection.js';
import { countDatasetGraph, getDataset } from '../../src/graph/datasets/dataset-repository.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import { forgetDataset } from '../../src/graph/forget.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { openMigratedRunner, uniqueName } from '../support/neo4j.js';
import { syntheticKgcn } from '../support/synthetic.js';

let runner: QueryRunner;
let connection: Connection;

beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
});
afterAll(async () => connection.close());

const train = (dataset: string) =>
  runTraining(runner, trainOptionsFrom({ dataset, epochs: 1, dim: 8, seed: 1, backend: 'cpu', out: mkdtempSync(path.join(tmpdir(), 'kgneg-forget-')) }), SILENT);

async function leftovers(dataset: string) {
  const [row] = await runner.autoCommitText<{ runs: number; nodes: number }>(
    'MATCH (r:Run {dataset: $dataset}) WITH count(r) AS runs OPTIONAL MATCH (n {dataset: $dataset}) RETURN runs, count(n) AS nodes',
    { dataset },
  );
  const indexes = await runner.autoCommitText<{ name: string }>('SHOW INDEXES YIELD name WHERE name STARTS WITH $prefix RETURN name', {
    prefix: `kgneg_item_search_`,
  });
  return { runs: Number(row!.runs), nodes: Number(row!.nodes), indexes: indexes.map((i) => i.name) };
}

describe('a trained dataset', () => {
  it('is replaced by other files whole (--replace): the old runs go first, and the new data trains', async () => {
    const name = uniqueName('replace');
    await ingestDataset(runner, { dir: syntheticKgcn(40, 30, 6, 1), name });
    const first = await train(name);
    await ingestDataset(runner, { dir: syntheticKgcn(50, 30, 6, 2), name, replace: true });
    const record = await getDataset(runner, name);
    expect(record?.status).toBe('complete');
    expect((await countDatasetGraph(runner, name)).users).toBe(50);
    const [old] = await runner.autoCommitText<{ n: number }>('MATCH (r:Run {runId: $runId}) RETURN count(r) AS n', { runId: first.writeBack!.runId });
    expect(Number(old!.n)).toBe(0);
    const second = await train(name);
    expect(second.final['recall@20']).toBeGreaterThan(0);
    expect(second.metrics.sizes.users).toBe(50);
  });

  it('is forgotten whole: nodes, relationships, runs and its vector index', async () => {
    const name = uniqueName('forget');
    await ingestDataset(runner, { dir: syntheticKgcn(40, 30, 6, 3), name });
    const run = await train(name);
    expect((await leftovers(name)).indexes).toContain(run.writeBack!.searchIndex);
    const report = await forgetDataset(runner, name);
    expect(report).toMatchObject({ kind: 'ingested', runs: 1 });
    const left = await leftovers(name);
    expect(left.runs).toBe(0);
    expect(left.nodes).toBe(0);
    expect(left.indexes).not.toContain(run.writeBack!.searchIndex);
    expect(await getDataset(runner, name)).toBeUndefined();
  });
});
