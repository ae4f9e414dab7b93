/**
 * One writer at a time per dataset, against the real Neo4j: a held lock names
 * its holder; a stale or dead holder's lock is taken over; two trainings of
 * one dataset started together end with one consistent served run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { acquireWriterLock, DatasetBusyError } from '../../src/graph/dataset-lock.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import type { QueryRunner } from '../../src/graph/query-runner.js';
import { currentRun, writeBackRun } from '../../src/graph/write-back.js';
import { loadTrainingData } from '../../src/graph/training-data.js';
import { trainOptionsFrom } from '../../src/cli/train/options.js';
import { runTraining, SILENT } from '../../src/cli/train/run.js';
import { ROOT } from '../support/cli.js';
import { openTestRunner, testConfig, uniqueName } from '../support/neo4j.js';
import { syntheticKgcn } from '../support/synthetic.js';

const USERS = 150;
let runner: QueryRunner;
let connection: Connection;
let dataset: string;

beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
  dataset = uniqueName('lock');
  await ingestDataset(runner, { dir: syntheticKgcn(USERS, 90, 8), name: dataset });
});
afterAll(async () => connection.close());

async function setHolder(owner: string, host: string, secondsAgo: number): Promise<void> {
  await runner.autoCommitText(
    `MATCH (d:Dataset {name: $dataset}) SET d.writer = $owner, d.writerHost = $host, d.writerCommand = 'train (mf + dns, seed 9)',
       d.writerSince = datetime() - duration({seconds: $ago}), d.writerHeartbeatAt = datetime() - duration({seconds: $ago})`,
    { dataset, owner, host, ago: secondsAgo },
  );
}

/**
 * Starts `npm run <args>` as a child against the tests' Neo4j: `waits` resolves once it says it is
 * waiting for the test's lock, `done` with its exit code and everything it printed.
 */
function cliWaitingForTheTest(args: string[]) {
  const config = testConfig();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password },
  });
  let text = '';
  let announce: () => void = () => undefined;
  const waits = new Promise<void>((resolve) => (announce = resolve));
  const read = (d: Buffer) => {
    text += d.toString();
    if (/waiting for the test/.test(text)) announce();
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.once('exit', (code) => resolve({ code, out: text })));
  return { waits, done, output: () => text };
}

describe('the dataset writer lock', () => {
  it('refuses while another writer holds it, naming the holder and since when; waits with --wait', async () => {
    await setHolder('elsewhere:123:abcd', 'elsewhere', 1);
    const error = await acquireWriterLock(runner, dataset, { command: 'forget' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetBusyError);
    expect((error as DatasetBusyError).message).toMatch(/being written by train \(mf \+ dns, seed 9\) \(elsewhere:123:abcd\) since \d{4}-/);
    expect((error as DatasetBusyError).hint).toMatch(/--wait/);
    // Its heartbeat stops: after the stale time the lock is taken over.
    const lock = await acquireWriterLock(runner, dataset, { command: 'forget', waitSeconds: 5, staleMs: 2_500 });
    await lock.release();
  });

  it('takes over at once from a holder on this host whose process is gone (SIGKILL)', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await new Promise((resolve) => child.once('spawn', resolve));
    const { hostname } = await import('node:os');
    await setHolder(`${hostname()}:${child.pid}:dead`, hostname(), 0);
    await expect(acquireWriterLock(runner, dataset, { command: 'forget' })).rejects.toBeInstanceOf(DatasetBusyError);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const lock = await acquireWriterLock(runner, dataset, { command: 'forget' });
    await lock.release();
    const [row] = await runner.autoCommitText<{ writer: string | null }>('MATCH (d:Dataset {name: $dataset}) RETURN d.writer AS writer', { dataset });
    expect(row!.writer).toBeNull();
  });

  it('two trainings started together end with one consistent served run', async () => {
    const train = (seed: number) =>
      cliWaitingForTheTest(['train', '--dataset', dataset, '--epochs', '2', '--dim', '8', '--seed', String(seed), '--backend', 'cpu', '--top-k', '7', '--wait', '120', '--out', mkdtempSync(path.join(tmpdir(), 'kgneg-lock-'))]);
    // The test holds the lock while both train: both reach their write-back while it is taken and
    // wait; once both say so it lets go, one writes, and the other waits for that one.
    const held = await acquireWriterLock(runner, dataset, { command: 'the test' });
    const first = train(11);
    const second = train(22);
    await Promise.all([first.waits, second.waits]);
    await held.release();
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    const run = await currentRun(runner, dataset);
    expect(run?.status).toBe('complete');
    const [served] = await runner.autoCommitText<{ users: number; recs: number; vectors: number; other: number }>(
      `MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
       MATCH (u:User {dataset: $dataset}) WITH run, count(u) AS users, sum(CASE WHEN u[run.embeddingProperty] IS NOT NULL THEN 1 ELSE 0 END) AS vectors
       MATCH (:User {dataset: $dataset})-[r:RECOMMENDED]->(:Item) WITH run, users, vectors, r
       RETURN users, vectors, sum(CASE WHEN r.runId = run.runId THEN 1 ELSE 0 END) AS recs, sum(CASE WHEN r.runId <> run.runId THEN 1 ELSE 0 END) AS other`,
      { dataset },
    );
    expect(Number(served!.vectors)).toBe(Number(served!.users));
    expect(Number(served!.recs)).toBe(USERS * 7);
    expect(Number(served!.other)).toBe(0);
    const statuses = await runner.autoCommitText<{ status: string }>('MATCH (r:Run {dataset: $dataset}) RETURN r.status AS status ORDER BY status', { dataset });
    expect(statuses.map((s) => s.status)).toEqual(['complete', 'superseded']);
    expect(a.out).toMatch(/waiting for the test/);
    expect(b.out).toMatch(/waiting for the test/);
  });

  it('a fold-in that waits on a training\'s write-back finds the run switched and writes nothing: runs never mix', async () => {
    const name = uniqueName('lock-fold');
    await ingestDataset(runner, { dir: syntheticKgcn(40, 60, 8), name });
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-lock-fold-'));
    const first = await runTraining(runner, trainOptionsFrom({ dataset: name, epochs: 1, dim: 4, backend: 'cpu', topK: 5, out }), SILENT);
    // A user who arrives after that run: fold-in has someone to fit.
    await runner.autoCommitText(
      `MATCH (i:Item {dataset: $name}) WITH i ORDER BY i.itemId LIMIT 3
       MERGE (u:User {dataset: $name, userId: 99999})
       CREATE (u)-[:INTERACTED {dataset: $name, key: 'late-' + toString(i.itemId), split: 'train'}]->(i)`,
      { name },
    );
    // The test plays the training: it holds the lock, fold-in fits against the first run and waits,
    // then the test switches in a second run and lets go.
    const held = await acquireWriterLock(runner, name, { command: 'the test' });
    const folding = cliWaitingForTheTest(['fold-in', '--dataset', name, '--write', '--wait', '120']);
    await folding.waits;
    expect(folding.output()).toMatch(/folded in 1 users/);
    const data = await loadTrainingData(runner, name);
    const dim = 4;
    const second = await writeBackRun(runner, {
      dataset: name,
      dim,
      userIds: data.users.ids,
      itemIds: data.items.ids,
      users: Float32Array.from({ length: data.users.ids.length * dim }, (_, k) => ((k * 7) % 5) / 5),
      items: Float32Array.from({ length: data.items.ids.length * dim }, (_, k) => ((k * 3) % 7) / 7),
      recommendations: data.users.ids.map((_, u) => ({ itemIdxs: Int32Array.of(u % 60, (u + 1) % 60), scores: Float32Array.of(2, 1) })),
      runProperties: { model: 'test', sampler: 'test', topK: 2 },
    });
    await held.release();
    const { code, out: text } = await folding.done;
    expect(code, text).toBe(4);
    expect(text).toMatch(new RegExp(`the served run of '${name}' changed while folding in \\(now ${second.runId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    expect((await currentRun(runner, name))?.runId).toBe(second.runId);
    const [rels] = await runner.autoCommitText<{ own: number; other: number; folded: number }>(
      `MATCH (:Dataset {name: $name})-[:CURRENT_RUN]->(run:Run)
       MATCH (:User {dataset: $name})-[r:RECOMMENDED]->(:Item)
       RETURN sum(CASE WHEN r.runId = run.runId THEN 1 ELSE 0 END) AS own, sum(CASE WHEN r.runId <> run.runId THEN 1 ELSE 0 END) AS other,
              sum(CASE WHEN r.foldedIn THEN 1 ELSE 0 END) AS folded`,
      { name },
    );
    expect(rels).toEqual({ own: data.users.ids.length * 2, other: 0, folded: 0 });
    expect(first.writeBack!.runId).not.toBe(second.runId);
  });
});
