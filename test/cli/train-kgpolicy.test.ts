import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import { explanationsForUser } from '../../src/graph/explanations.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { runCli } from '../support/cli.js';
import { openMigratedRunner, uniqueName } from '../support/neo4j.js';
import { syntheticKgcn } from '../support/synthetic.js';

const ITEMS = 90;
const ENTITIES = 12;
let runner: QueryRunner;
let connection: Connection;
let dataset: string;

beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
  dataset = uniqueName('kgpolicy');
  await ingestDataset(runner, { dir: syntheticKgcn(40, ITEMS, 8, 2, ENTITIES), name: dataset });
});
afterAll(async () => connection.close());

/** The synthetic KG: item i links to entities ITEMS + (i % 12) and ITEMS + ((3i + 1) % 12). */
function entitiesOf(item: number): Set<number> {
  return new Set([ITEMS + (item % ENTITIES), ITEMS + ((3 * item + 1) % ENTITIES)]);
}

describe('npm run train -- --sampler kgpolicy', () => {
  it('trains MF with KGPolicy, writes explanations whose paths exist in the graph, and the exclusive entities are right', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-kgpolicy-'));
    const result = runCli(['train', '--dataset', dataset, '--sampler', 'kgpolicy', '--pretrain-epochs', '2', '--epochs', '3', '--dim', '8', '--policy-dim', '8', '--n1', '8', '--random-items', '4', '--n2', '6', '--out', out, '--backend', 'cpu']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.status).toBe(0);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.config).toMatchObject({ model: 'mf', sampler: 'kgpolicy', pretrainSampler: 'uniform' });
    expect(metrics.pretrain.epochs).toBe(2);
    expect(metrics.samplerStats.policySteps).toBeGreaterThan(0);
    expect(metrics.explanations.rows).toBeGreaterThan(20);

    let checked = 0;
    for (let user = 0; user < 40; user += 1) {
      const rows = await explanationsForUser(runner, dataset, user);
      for (const row of rows) {
        const positive = Number(row.positive);
        const negative = Number(row.negative);
        expect(row.path[0]).toBe(`item:${positive}`);
        expect(row.path[row.path.length - 1]).toBe(`item:${negative}`);
        expect(row.path).toHaveLength(5);
        const trained = await connection.driver.executeQuery(
          'MATCH (u:User {dataset: $dataset, userId: $user})-[r:INTERACTED]->(i:Item) WHERE r.split = "train" RETURN collect(i.itemId) AS items',
          { dataset, user },
        );
        const items = (trained.records[0]!.get('items') as Array<{ toNumber(): number } | number>).map(Number);
        expect(items).toContain(positive);
        expect(items).not.toContain(negative);
        // Exclusive entities: the positive's KG entities that the negative lacks.
        const lacking = [...entitiesOf(positive)].filter((e) => !entitiesOf(negative).has(e));
        expect(row.exclusiveEntities.map(Number).sort((a, b) => a - b)).toEqual(lacking.sort((a, b) => a - b));
        if (!row.viaGraph) continue;
        // Every hop of the path is an edge of the graph: a training interaction or a KG triple.
        for (let k = 0; k + 1 < row.path.length; k += 1) {
          const [kindA, idA] = row.path[k]!.split(':');
          const [kindB, idB] = row.path[k + 1]!.split(':');
          const label = (kind: string) => (kind === 'user' ? 'User' : kind === 'item' ? 'Item' : 'Entity');
          const key = (kind: string) => (kind === 'user' ? 'userId' : kind === 'item' ? 'itemId' : 'entityId');
          const edge = await connection.driver.executeQuery(
            `MATCH (a:${label(kindA!)} {dataset: $dataset, ${key(kindA!)}: $a})-[r]-(b:${label(kindB!)} {dataset: $dataset, ${key(kindB!)}: $b})
             WHERE (type(r) = 'KG') OR (type(r) = 'INTERACTED' AND r.split = 'train') RETURN count(r) AS n`,
            { dataset, a: Number(idA), b: Number(idB) },
          );
          expect(Number(edge.records[0]!.get('n'))).toBeGreaterThan(0);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
