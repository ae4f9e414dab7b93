import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { currentRun } from '../../src/graph/write-back.js';
import { runCli } from '../support/cli.js';
import { openTestRunner, testConfig, uniqueName } from '../support/neo4j.js';
import { syntheticKgcn } from '../support/synthetic.js';

let runner: QueryRunner;
let connection: Connection;
let dataset: string;

beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
  dataset = uniqueName('train-cli');
  await ingestDataset(runner, { dir: syntheticKgcn(80, 160, 12), name: dataset });
});
afterAll(async () => connection.close());

const CACHE_DIR = mkdtempSync(path.join(tmpdir(), 'kgneg-train-cache-'));

const cli = (args: string[]) => runCli(args, { KGNEG_CACHE_DIR: CACHE_DIR });

describe('npm run train', () => {
  it('writes metrics.json with config, per-epoch records and final test metrics, a curve, and serves the run', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-train-'));
    const config = path.join(out, 'config.json');
    // The config file says 9 epochs and sampler uniform; the flags win on the sampler.
    writeFileSync(config, JSON.stringify({ epochs: 9, sampler: 'uniform', evalEvery: 3, dim: 8 }));
    const result = cli(['train', '--dataset', dataset, '--config', config, '--sampler', 'dns', '--pool', '8', '--seed', '3', '--out', out, '--backend', 'cpu']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.status).toBe(0);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.config).toMatchObject({ dataset, sampler: 'dns', samplerOptions: { pool: 8 }, epochs: 9, seed: 3, dim: 8 });
    expect(metrics.backend.name).toBe('cpu');
    expect(metrics.code.commit).toMatch(/^[0-9a-f]{7}|unknown/);
    expect(metrics.epochs).toHaveLength(9);
    expect(metrics.epochs.filter((e: { validation?: object }) => e.validation)).toHaveLength(3);
    for (const e of metrics.epochs) {
      expect(e.loss).toBeGreaterThan(0);
      expect(e.meanGradMagnitude).toBeGreaterThan(0);
      expect(e.falseNegativeRate).toBeGreaterThanOrEqual(0);
      expect(e.seconds).toBeGreaterThan(0);
    }
    expect(metrics.final['recall@20']).toBeGreaterThan(0);
    expect(metrics.final['ndcg@20']).toBeGreaterThan(0);
    expect(metrics.timings.trainSeconds).toBeGreaterThan(0);
    expect(readFileSync(path.join(out, 'training-curve.svg'), 'utf8')).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<path class="curve-loss" d="M[\s\S]*<\/svg>\s*$/);
    expect(existsSync(path.join(out, 'metrics.json'))).toBe(true);
    expect(result.stdout).toMatch(/test \(epoch 9, \d+ users\):\s+@10\s+@20\s+@50\s+recall\s+0\.\d{4}/);
    expect(result.stdout).toMatch(/trained 9 epochs: reached the 9-epoch limit; kept epoch \d/);
  });

  it('trains, validates, tests and writes back the same with asynchronous reads (the webgpu path) as without', () => {
    const run = (env: Record<string, string>) => {
      const out = mkdtempSync(path.join(tmpdir(), 'kgneg-train-async-'));
      const result = runCli(['train', '--dataset', dataset, '--epochs', '4', '--eval-every', '2', '--dim', '8', '--sampler', 'dns', '--seed', '5', '--out', out, '--backend', 'cpu', '--no-write-back'], { KGNEG_CACHE_DIR: CACHE_DIR, ...env });
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    };
    const sync = run({});
    const asyncReads = run({ KGNEG_ASYNC_READS: '1' });
    expect(asyncReads.epochs.map((e: { loss: number }) => e.loss)).toEqual(sync.epochs.map((e: { loss: number }) => e.loss));
    for (const [key, value] of Object.entries(sync.final as Record<string, number>)) expect(Math.abs(asyncReads.final[key] - value), key).toBeLessThan(1e-9);
  });

  it('the trained run is what recommend serves', async () => {
    const run = await currentRun(runner, dataset);
    expect(run?.['sampler']).toBe('dns');
    const result = cli(['recommend', '--dataset', dataset, '--user', '0', '--k', '5']);
    expect(result.status).toBe(0);
    expect(result.stdout.match(/^\s+\d+\. item \d+/gm)).toHaveLength(5);
    expect(result.stdout).toContain(String(run?.runId));
  });

  it('carves validation from train for a train/test dataset, and --refit retrains on both for the chosen epochs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-kgat-'));
    // Train items sit at even offsets, test items at odd ones (mod 30), so the two never share a pair.
    const lines = (offset: number, count: number) =>
      Array.from({ length: 60 }, (_, u) => `${u} ${Array.from({ length: count }, (_, k) => (u % 4) + 4 * ((u + 2 * k + offset) % 30)).join(' ')}`).join('\n');
    writeFileSync(path.join(dir, 'train.txt'), `${lines(0, 12)}\n`);
    writeFileSync(path.join(dir, 'test.txt'), `${lines(1, 3)}\n`);
    const name = uniqueName('kgat-refit');
    await ingestDataset(runner, { dir, name });
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-refit-'));
    const result = cli(['train', '--dataset', name, '--refit', '--max-epochs', '8', '--eval-every', '2', '--patience', '2', '--dim', '8', '--out', out, '--no-write-back']);
    expect(result.status).toBe(0);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.validationSplit).toMatchObject({ source: 'carved', ratio: 0.1, seed: 1 });
    expect(metrics.refit.epochs).toBe(metrics.bestEpoch);
    expect(result.stdout).toContain(`refit on train + validation for ${metrics.bestEpoch} epochs`);
    expect(metrics.final['recall@20']).toBeGreaterThan(0);
  });

  it('--region restricts the sampler to the intermediate region, extracted once and then read from the cache', () => {
    const run = (seed: number) => {
      const out = mkdtempSync(path.join(tmpdir(), 'kgneg-region-'));
      const result = cli(['train', '--dataset', dataset, '--sampler', 'uniform', '--region', 'intermediate', '--khop', '3', '--epochs', '2', '--dim', '8', '--seed', String(seed), '--out', out, '--no-write-back']);
      expect(result.status, result.stderr).toBe(0);
      return { result, metrics: JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8')) };
    };
    const first = run(1);
    expect(first.metrics.region).toMatchObject({ name: 'intermediate', khop: 3, source: 'extracted' });
    expect(first.metrics.region.candidatesPerUser.median).toBeGreaterThan(0);
    expect(first.metrics.samplerStats).toHaveProperty('paddedFromGlobal');
    expect(first.result.stdout).toMatch(/region intermediate \(khop 3\): candidates per user median \d+/);
    const second = run(2);
    expect(second.metrics.region).toMatchObject({ source: 'cache', file: first.metrics.region.file });
  });

  it('--sampler recns defaults to LightGCN, 15 negatives, the hinge loss and the intermediate region', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-recns-'));
    const result = cli(['train', '--dataset', dataset, '--sampler', 'recns', '--epochs', '1', '--dim', '8', '--out', out, '--no-write-back']);
    expect(result.status, result.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.config).toMatchObject({ model: 'lightgcn', negatives: 15, loss: 'hinge', region: 'intermediate', khop: 3 });
    expect(metrics.samplerStats).toMatchObject({ usesExposure: 0 });
    expect(result.stdout).toMatch(/no exposure records in training: recns runs without its exposure part/);
  });

  it('an unknown region or an even khop is a one-line error', () => {
    const region = cli(['train', '--dataset', dataset, '--region', 'nearby']);
    expect(region.status).toBe(2);
    expect(region.stderr).toMatch(/--region expects one of global, intermediate, distant, got 'nearby'/);
    const khop = cli(['train', '--dataset', dataset, '--region', 'intermediate', '--khop', '2']);
    expect(khop.status).toBe(2);
    expect(khop.stderr).toMatch(/--khop must be one of 1, 3, 5, 7/);
  });

  it('--model jnskr trains without a sampler, on the item KG read from Neo4j, and serves its run', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-jnskr-'));
    const result = cli(['train', '--dataset', dataset, '--model', 'jnskr', '--epochs', '3', '--eval-every', '3', '--dim', '8', '--batch-size', '64', '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.config).toMatchObject({ model: 'jnskr', sampler: 'none', learningRate: 0.05, batchSize: 64 });
    expect(metrics.epochs).toHaveLength(3);
    expect(metrics.epochs[0].meanGradMagnitude).toBeNull();
    expect(metrics.final['recall@20']).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/item KG: \d+ \(item, relation, entity\) pairs/);
    expect((await currentRun(runner, dataset))?.['model']).toBe('jnskr');
    const wrong = cli(['train', '--dataset', dataset, '--model', 'jnskr', '--sampler', 'dns']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/trains without negative sampling: drop --sampler dns/);
  });

  it('an unknown sampler is a one-line error naming the known ones', () => {
    const result = cli(['train', '--dataset', dataset, '--sampler', 'nope']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--sampler expects one of .*got 'nope'/);
    expect(result.stderr).toMatch(/uniform, popularity, dns, sdns/);
  });

  it('npm start runs the main job end to end through a routing neo4j:// URI, as on a cluster or Aura', () => {
    const dir = syntheticKgcn(60, 120, 10, 4);
    const name = uniqueName('routing');
    const uri = testConfig().uri.replace(/^bolt:/, 'neo4j:');
    expect(uri).toMatch(/^neo4j:\/\//);
    const routed = runCli(['start', '--dataset', dir, '--name', `${name}-r`, '--max-epochs', '10'], { NEO4J_URI: uri, KGNEG_CACHE_DIR: CACHE_DIR });
    expect(routed.stderr).not.toMatch(/internal error/);
    expect(routed.status, routed.stderr).toBe(0);
    expect(routed.stdout).toMatch(new RegExp(`dataset '${name}-r' \\(kgcn, ingested in`));
    expect(routed.stdout).toMatch(/top 10 for user \d+ in/);
    expect(routed.stdout).toMatch(/Neo4j keeps running at neo4j:\/\//);
  });
});
