import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { runCli } from '../support/cli.js';
import { openMigratedRunner, uniqueName } from '../support/neo4j.js';
import { syntheticMind } from '../support/synthetic.js';

let runner: QueryRunner;
let connection: Connection;
let dataset: string;

beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
  dataset = uniqueName('train-exposures');
  await ingestDataset(runner, { dir: syntheticMind(400, 60, 120, 5).dir, name: dataset });
});
afterAll(async () => connection.close());

const cli = (args: string[]) => runCli(args);

describe('npm run train on impression data', () => {
  it('rns pre-trains GMF, trains with exposures, and reports both exposure protocols', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-rns-'));
    const result = cli(['train', '--dataset', dataset, '--sampler', 'rns', '--pretrain-epochs', '3', '--epochs', '4', '--batch-size', '256', '--dim', '8', '--out', out, '--no-write-back', '--backend', 'cpu']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/held-out impressions: valid \d+, test \d+/);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.config).toMatchObject({ model: 'gmf', sampler: 'rns', samplerOptions: { candidates: 30, alpha: 2.5, beta: 0.75, exposedInPool: true } });
    expect(metrics.pretrain).toMatchObject({ epochs: 3, bestEpoch: 3 });
    expect(metrics.epochs).toHaveLength(4);
    expect(metrics.selectMetric).toBe('imp.auc');
    for (const key of ['imp.auc', 'imp.mrr', 'imp.ndcg@5', 'imp.ndcg@10', 'list.auc', 'list.ndcg']) {
      expect(metrics.final[key]).toBeGreaterThan(0);
      expect(metrics.final[key]).toBeLessThanOrEqual(1);
    }
    expect(metrics.impressions.test.impressions).toBeGreaterThan(0);
    expect(metrics.impressions.testColdItems.items).toBeGreaterThan(0);
    expect(metrics.impressions.listLength).toBe(50);
    const stats = metrics.samplerStats;
    expect(stats.samples).toBe(4 * metrics.sizes.train);
    expect(stats.exposedPicks).toBeGreaterThan(0);
    expect(stats.samplesWithoutExposures).toBeGreaterThanOrEqual(0);
  });

  it('bpr-en trains on exposed items, and exposure samplers refuse a region', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-bpr-en-'));
    const ok = cli(['train', '--dataset', dataset, '--sampler', 'bpr-en', '--epochs', '2', '--dim', '8', '--out', out, '--no-write-back', '--backend', 'cpu']);
    expect(ok.status).toBe(0);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.samplerStats.fromExposures).toBeGreaterThan(0);
    const refused = cli(['train', '--dataset', dataset, '--sampler', 'rns', '--region', 'intermediate', '--no-write-back']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/regions do not restrict/);
  });
});
