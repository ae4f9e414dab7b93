import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { currentRun } from '../../src/graph/write-back.js';
import { AS_TERMINAL, signalAtLine } from '../support/child.js';
import { ROOT } from '../support/cli.js';
import { openTestRunner, testConfig, uniqueName } from '../support/neo4j.js';
import { syntheticKgcn } from '../support/synthetic.js';

let runner: QueryRunner;
let connection: Connection;
let dataset: string;

beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
  dataset = uniqueName('train-interrupt');
  await ingestDataset(runner, { dir: syntheticKgcn(120, 80, 6), name: dataset });
});
afterAll(async () => connection.close());

describe('npm run train interrupted by a signal', () => {
  it('stops after the epoch, validates it, and still tests and writes back the best epoch so far', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-train-interrupt-'));
    const config = testConfig();
    // Validation every 1,000 epochs and 10,000 at most: only the signal can end this run soon.
    const args = ['--import', 'tsx', 'src/cli/index.ts', 'train', '--dataset', dataset, '--max-epochs', '10000', '--eval-every', '1000', '--dim', '8', '--seed', '1', '--backend', 'cpu', '--out', out];
    const child = spawn(process.execPath, ['--import', AS_TERMINAL, ...args], {
      cwd: ROOT,
      env: { ...process.env, NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // SIGINT once the child says it finished its third epoch: an epoch line ("epoch   3: loss ...")
    // or, drawn as on a terminal, a live line with "epoch 3/10000".
    const signalled = await signalAtLine(child, 'SIGINT', (line) => {
      const epoch = Number(/\bepoch\s+(\d+)[:/]/.exec(line)?.[1]);
      return epoch >= 3 ? epoch : undefined;
    });
    expect(await exited, signalled.output()).toBe(0);
    expect(signalled.output()).toContain('SIGINT: stopping after this epoch');

    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.interrupted).toBe(true);
    expect(metrics.epochs.length).toBeGreaterThanOrEqual(3);
    expect(metrics.epochs.length).toBeLessThan(1000);
    // The epoch it stopped at was validated (no scheduled validation came before it), and selected.
    const last = metrics.epochs.at(-1);
    expect(last.validation['recall@20']).toBeGreaterThan(0);
    expect(metrics.bestEpoch).toBe(last.epoch);
    expect(metrics.final['recall@20']).toBeGreaterThan(0);
    expect((await currentRun(runner, dataset))?.runId).toBe(metrics.writeBack.runId);
  });
});
