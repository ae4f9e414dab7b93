import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/graph/connection.js';
import { countDatasetGraph, getDataset } from '../../../src/graph/datasets/dataset-repository.js';
import { ingestDataset } from '../../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../../src/graph/query-runner.js';
import { AS_TERMINAL, signalAtLine } from '../../support/child.js';
import { kgcnCounts } from '../../support/file-counts.js';
import { openTestRunner, SHARED_DATASETS, testConfig, uniqueName } from '../../support/neo4j.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let runner: QueryRunner;
let connection: Connection;
beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
});
afterAll(async () => connection.close());

describe('an ingestion killed half-way', () => {
  it('is left marked loading, and re-running it ends with exact counts', async () => {
    const name = uniqueName('killed-lastfm');
    const dir = path.join(SHARED_DATASETS, 'lastfm-kgcn');
    const config = testConfig();
    const child = spawn(
      process.execPath,
      ['--import', AS_TERMINAL, '--import', 'tsx', 'src/cli/index.ts', 'migrate', '--dataset', dir, '--name', name, '--batch-size', '100', '--concurrency', '1'],
      {
        cwd: ROOT,
        env: { ...process.env, NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Kill it while interactions are being written, when its own progress bar
    // ("interactions [###...] 12% 2600/21173 ...", drawn as on a terminal) says some are, not all.
    const killed = await signalAtLine(child, 'SIGKILL', (line) => {
      const progress = /^interactions\b.*?(\d+)\/(\d+) /.exec(line);
      if (!progress) return undefined;
      const done = Number(progress[1]);
      return done > 1_000 && done < Number(progress[2]) ? done : undefined;
    });
    await exited;
    const seen = killed.value;
    const expected = kgcnCounts(dir);
    expect(seen).toBeGreaterThan(1_000);
    const partial = await countDatasetGraph(runner, name);
    expect(partial.interactions).toBeGreaterThanOrEqual(seen);
    expect(partial.interactions).toBeLessThan(expected.interactions);
    expect((await getDataset(runner, name))?.status).toBe('loading');

    const report = await ingestDataset(runner, { dir, name });
    expect(report.outcome).toBe('resumed');
    expect(report.phases.filter((p) => p.skipped).map((p) => p.phase)).toEqual(['users', 'items', 'entities']);
    const counts = await countDatasetGraph(runner, name);
    expect(counts).toMatchObject({
      users: expected.users,
      items: expected.items,
      entities: expected.entities,
      interactions: expected.interactions,
      triples: expected.triples,
      relations: expected.relations,
    });
    expect((await getDataset(runner, name))?.status).toBe('complete');
  });
});
