import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { currentRun } from '../../src/graph/write-back.js';
import { AS_TERMINAL, signalAtLine } from '../support/child.js';
import { openTestRunner, testConfig, uniqueName } from '../support/neo4j.js';
import { syntheticKgcn } from '../support/synthetic.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USERS = 400;
let runner: QueryRunner;
let connection: Connection;
let dataset: string;

beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
  dataset = uniqueName('train-kill');
  await ingestDataset(runner, { dir: syntheticKgcn(USERS, 200, 10), name: dataset });
});
afterAll(async () => connection.close());

function trainArgs(seed: number, extra: string[] = []): string[] {
  const out = mkdtempSync(path.join(tmpdir(), 'kgneg-train-kill-'));
  return ['--import', 'tsx', 'src/cli/index.ts', 'train', '--dataset', dataset, '--epochs', '2', '--dim', '8', '--seed', String(seed), '--backend', 'cpu', '--out', out, ...extra];
}

function env() {
  const config = testConfig();
  return { ...process.env, NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password };
}

/** Every user's served list, through CURRENT_RUN as a Cypher user reads it. */
async function served(): Promise<Record<string, unknown[]>> {
  const rows = await runner.autoCommitText<{ userId: number; items: unknown[] }>(
    `MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
     MATCH (u:User {dataset: $dataset})-[r:RECOMMENDED {runId: run.runId}]->(i:Item)
     WITH u, r, i ORDER BY r.rank
     RETURN u.userId AS userId, collect(i.itemId) AS items`,
    { dataset },
  );
  return Object.fromEntries(rows.map((r) => [String(r.userId), r.items]));
}

async function recommendationCount(runId: string): Promise<number> {
  const [row] = await runner.autoCommitText<{ n: number }>('MATCH ()-[r:RECOMMENDED {runId: $runId}]->() RETURN count(r) AS n', { runId });
  return row?.n ?? 0;
}

describe('a training run killed during its write-back', () => {
  it('leaves the previous run served; the next run cleans up after it', async () => {
    const first = spawnSync(process.execPath, trainArgs(1), { cwd: ROOT, env: env(), encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(0);
    const previous = await currentRun(runner, dataset);
    const before = await served();
    expect(Object.keys(before)).toHaveLength(USERS);

    // One user's recommendations per transaction, so that the write takes long enough to be caught half-way.
    // Its write-back progress bar, drawn as on a terminal, is redrawn as the batches commit; at each
    // redraw the test looks whether the run being written has recommendations yet, and kills it then.
    const child = spawn(process.execPath, ['--import', AS_TERMINAL, ...trainArgs(2, ['--write-batch-size', '10'])], {
      cwd: ROOT,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const { value: killed } = await signalAtLine(child, 'SIGKILL', async (line) => {
      if (!/write-back/.test(line)) return undefined;
      const [writing] = await runner.autoCommitText<{ runId: string }>(
        `MATCH (r:Run {dataset: $dataset, status: 'writing'}) RETURN r.runId AS runId`,
        { dataset },
      );
      const written = writing ? await recommendationCount(writing.runId) : 0;
      return writing && written > 0 ? { runId: writing.runId, written } : undefined;
    });
    expect(await exited).toBe('SIGKILL');
    expect(killed).toBeDefined();

    // Half-written: some of its recommendations exist, not all, and nobody is served them.
    const partial = await recommendationCount(killed!.runId);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(USERS * 20);
    expect((await currentRun(runner, dataset))?.runId).toBe(previous?.runId);
    expect(await served()).toEqual(before);

    const next = spawnSync(process.execPath, trainArgs(3), { cwd: ROOT, env: env(), encoding: 'utf8' });
    expect(next.status, next.stderr).toBe(0);
    const now = await currentRun(runner, dataset);
    expect(now?.runId).not.toBe(previous?.runId);
    expect(await recommendationCount(killed!.runId)).toBe(0);
    const statuses = await runner.autoCommitText<{ runId: string; status: string }>(
      'MATCH (r:Run {dataset: $dataset}) RETURN r.runId AS runId, r.status AS status ORDER BY r.startedAt',
      { dataset },
    );
    expect(statuses).toEqual([
      { runId: previous!.runId, status: 'superseded' },
      { runId: killed!.runId, status: 'abandoned' },
      { runId: now!.runId, status: 'complete' },
    ]);
    expect(Object.keys(await served())).toHaveLength(USERS);
  });
});
