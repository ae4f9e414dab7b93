import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { currentRun } from '../../src/graph/write-back.js';
import { openTestRunner, testConfig, uniqueName } from '../support/neo4j.js';
import { syntheticKgcn } from '../support/synthetic.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let runner: QueryRunner;
let connection: Connection;
let dataset: string;

beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
  dataset = uniqueName('train-cli');
  await ingestDataset(runner, { dir: syntheticKgcn(80, 160, 12), name: dataset });
});
afterAll(async () => connection.close());

function cli(args: string[]) {
  const config = testConfig();
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password },
  });
}

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
    expect(readFileSync(path.join(out, 'training-curve.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<path d="M/);
    expect(existsSync(path.join(out, 'metrics.json'))).toBe(true);
    expect(result.stdout).toMatch(/final \(test\): .*recall@20/);
  });

  it('the trained run is what recommend serves', async () => {
    const run = await currentRun(runner, dataset);
    expect(run?.['sampler']).toBe('dns');
    const result = cli(['recommend', '--dataset', dataset, '--user', '0', '--k', '5']);
    expect(result.status).toBe(0);
    expect(result.stdout.match(/^\s+\d+\. item \d+/gm)).toHaveLength(5);
    expect(result.stdout).toContain(String(run?.runId));
  });

  it('an unknown sampler is a one-line error naming the known ones', () => {
    const result = cli(['train', '--dataset', dataset, '--sampler', 'nope']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown sampler 'nope'/);
    expect(result.stderr).toMatch(/uniform, popularity, dns, sdns/);
  });
});
