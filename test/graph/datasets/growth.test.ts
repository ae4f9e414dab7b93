/**
 * Files that gained rows, against the real Neo4j: migrating again loads only
 * what is new, the stored interactions keep their splits, the new ones are
 * split by the same rule, a growth interrupted half-way ends the same, and
 * files that lost a row are refused with nothing changed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/graph/connection.js';
import { countDatasetGraph, getDataset } from '../../../src/graph/datasets/dataset-repository.js';
import { ingestDataset } from '../../../src/graph/datasets/ingest.js';
import type { InteractionRecord } from '../../../src/graph/datasets/records.js';
import { assignSplits } from '../../../src/graph/datasets/split.js';
import { usersToFoldIn } from '../../../src/graph/fold-in-data.js';
import type { QueryRunner } from '../../../src/graph/query-runner.js';
import { changesSinceServedRun } from '../../../src/graph/run-changes.js';
import { trainOptionsFrom } from '../../../src/cli/train/options.js';
import { runTraining, SILENT } from '../../../src/cli/train/run.js';
import { AS_TERMINAL, signalAtLine } from '../../support/child.js';
import { openMigratedRunner, testConfig, uniqueName } from '../../support/neo4j.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let runner: QueryRunner;
let connection: Connection;
beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
});
afterAll(async () => connection.close());

interface Row {
  readonly u: string;
  readonly i: string;
  readonly t: number;
}

/** users x items: user u rated item i at time t; the last ones are new users, new items, and later rows of known users. */
function rows(users = 40, items = 30): Row[] {
  const out: Row[] = [];
  for (let u = 0; u < users; u += 1) for (let i = 0; i < items; i += 1) if ((u * 5 + i * 7) % 6 === 0 || (u + i) % 11 === 0) out.push({ u: `u${u}`, i: `i${i}`, t: 1_000 + ((u * 37 + i * 13) % 997) });
  return out;
}

function writeRecbole(dir: string, list: readonly Row[]): void {
  writeFileSync(path.join(dir, 'shop.inter'), `user_id:token\titem_id:token\ttimestamp:float\n${list.map((r) => `${r.u}\t${r.i}\t${r.t}`).join('\n')}\n`);
}

async function splits(name: string): Promise<Map<string, string>> {
  const found = await runner.autoCommitText<{ u: string; i: string; split: string }>(
    'MATCH (u:User)-[r:INTERACTED]->(i:Item) WHERE r.dataset = $name RETURN u.userId AS u, i.itemId AS i, r.split AS split',
    { name },
  );
  return new Map(found.map((r) => [`${r.u}|${r.i}`, r.split]));
}

describe('files that gained rows', () => {
  const all = rows();
  // The first load: everything before time 1,800 except users u35+ and items i27+, which arrive later.
  const first = all.filter((r) => r.t < 1_800 && Number(r.u.slice(1)) < 35 && Number(r.i.slice(1)) < 27);
  const later = all.filter((r) => !first.includes(r));

  it('load only what is new; stored rows keep their splits, new ones are split by the same rule', async () => {
    expect(later.length).toBeGreaterThan(50);
    const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-growth-'));
    const name = uniqueName('growth');
    writeRecbole(dir, first);
    const loaded = await ingestDataset(runner, { dir, name, splitSeed: 5 });
    expect(loaded.counts.interactions).toBe(first.length);
    const before = await splits(name);
    // A served run of the first load: what arrives later is new to it.
    const run = await runTraining(runner, trainOptionsFrom({ dataset: name, epochs: 1, dim: 4, backend: 'cpu', topK: 3, out: mkdtempSync(path.join(tmpdir(), 'kgneg-growth-run-')) }), SILENT);
    expect(await changesSinceServedRun(runner, name)).toMatchObject({ newUsers: 0, newItems: 0, newerInteractions: 0, interactionsRead: first.length });

    writeRecbole(dir, all);
    const grown = await ingestDataset(runner, { dir, name });
    expect(grown.outcome).toBe('grown');
    expect(grown.added).toEqual({ users: 5, items: 3, entities: 0, interactions: later.length });
    expect(grown.phases.find((p) => p.phase === 'interactions')!.rows).toBe(later.length);
    expect(grown.counts.interactions).toBe(all.length);
    expect(grown.counts.users).toBe(40);
    const after = await splits(name);
    for (const [key, split] of before) expect(after.get(key), key).toBe(split);
    // The new rows alone, split by user-time-8-1-1 with the dataset's seed.
    const fresh: InteractionRecord[] = later.map((r) => ({ userId: r.u, itemId: r.i, timestamp: r.t, split: null }));
    assignSplits('user-time-8-1-1', 5, fresh, []);
    for (const r of fresh) expect(after.get(`${r.userId}|${r.itemId}`)).toBe(r.split);
    expect(new Set(fresh.map((r) => r.split))).toEqual(new Set(['train', 'valid', 'test']));

    expect((await ingestDataset(runner, { dir, name })).outcome).toBe('unchanged');

    // What arrived since the served run, and who fold-in fits: the new users, and known users with new rows.
    const knownWithNew = new Set(later.filter((r) => Number(r.u.slice(1)) < 35).map((r) => r.u));
    expect(await changesSinceServedRun(runner, name)).toMatchObject({
      runId: run.writeBack!.runId,
      newUsers: 5,
      newItems: 3,
      newerInteractions: later.length,
      usersWithNewer: 5 + knownWithNew.size,
    });
    const toFold = await usersToFoldIn(runner, name);
    expect(toFold.filter((u) => u.reason === 'new').map((u) => u.userId).sort()).toEqual(['u35', 'u36', 'u37', 'u38', 'u39']);
    expect(new Set(toFold.filter((u) => u.reason === 'newer').map((u) => String(u.userId)))).toEqual(knownWithNew);
  });

  it('resume a growth killed half-way with the same new rows and splits', async () => {
    // Large enough that the child is killed while it writes the new interactions.
    const big = rows(400, 60);
    const base = big.filter((r) => r.t < 1_700);
    const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-growth-kill-'));
    const [name, reference] = [uniqueName('growth-kill'), uniqueName('growth-ref')];
    writeRecbole(dir, base);
    await ingestDataset(runner, { dir, name, splitSeed: 5 });
    await ingestDataset(runner, { dir, name: reference, splitSeed: 5 });
    writeRecbole(dir, big);
    await ingestDataset(runner, { dir, name: reference });
    const config = testConfig();
    const child = spawn(
      process.execPath,
      ['--import', AS_TERMINAL, '--import', 'tsx', 'src/cli/index.ts', 'migrate', '--dataset', dir, '--name', name, '--batch-size', '50', '--concurrency', '1'],
      { cwd: ROOT, env: { ...process.env, NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const killed = await signalAtLine(child, 'SIGKILL', (line) => {
      const progress = /^interactions\b.*?(\d+)\/(\d+) /.exec(line);
      if (!progress) return undefined;
      const done = Number(progress[1]);
      return done >= 100 && done < Number(progress[2]) ? done : undefined;
    });
    await exited;
    expect(killed.value).toBeGreaterThanOrEqual(100);
    const half = await countDatasetGraph(runner, name);
    expect(half.interactions).toBeGreaterThan(base.length);
    expect(half.interactions).toBeLessThan(big.length);
    expect((await getDataset(runner, name))?.status).toBe('loading');
    const resumed = await ingestDataset(runner, { dir, name });
    expect(resumed.outcome).toBe('grown');
    expect(resumed.counts.interactions).toBe(big.length);
    expect(await splits(name)).toEqual(await splits(reference));
  });

  it('refuse files that lost a stored row, and change nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-growth-lost-'));
    const name = uniqueName('growth-lost');
    writeRecbole(dir, first);
    await ingestDataset(runner, { dir, name });
    const before = await splits(name);
    writeRecbole(dir, [...first.slice(1), ...later]);
    const refused = await ingestDataset(runner, { dir, name }).catch((e: unknown) => e as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(new RegExp(`^dataset '${name}' in Neo4j was loaded from other files .*: 1 of its ${first.length} interactions are not in them`));
    expect((refused as Error).message).not.toMatch(/\n/);
    expect(await splits(name)).toEqual(before);
  });
});
