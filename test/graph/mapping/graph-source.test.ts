/**
 * A user's own graph, against the real Neo4j: the same data reached in place
 * and through RecBole files gives identical training arrays and metrics; bad
 * mappings are one line each and change nothing; write-back lands on the
 * user's nodes under kgneg_ names and `forget` leaves the graph exactly as it was.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainOptionsFrom } from '../../../src/cli/train/options.js';
import { runTraining, SILENT } from '../../../src/cli/train/run.js';
import type { Connection } from '../../../src/graph/connection.js';
import { ingestDataset } from '../../../src/graph/datasets/ingest.js';
import { KgnegError } from '../../../src/graph/errors.js';
import { forgetDataset } from '../../../src/graph/forget.js';
import { registerGraphMapping } from '../../../src/graph/mapping/register.js';
import { parseMapping, readMappingFile, type GraphMapping } from '../../../src/graph/mapping/schema.js';
import type { QueryRunner } from '../../../src/graph/query-runner.js';
import { recommendationsForUser } from '../../../src/graph/recommendations.js';
import { loadItemKg, type ItemKgTable } from '../../../src/graph/item-kg.js';
import { extractReachableItems } from '../../../src/graph/regions.js';
import { loadTrainingData, type TrainingData } from '../../../src/graph/training-data.js';
import { splitTrainingData } from '../../../src/train/split-data.js';
import { reachableItemsOfAllUsers, trainingGraph } from '../../support/lbfs-reference.js';
import { runCli } from '../../support/cli.js';
import { openMigratedRunner, uniqueName } from '../../support/neo4j.js';

let runner: QueryRunner;
let connection: Connection;

const USERS = 30;
const ITEMS = 24;

/** Deterministic interactions: user u bought item i at time t with stars s. */
function purchases(): Array<{ u: string; i: string; t: number; s: number }> {
  const out: Array<{ u: string; i: string; t: number; s: number }> = [];
  for (let u = 0; u < USERS; u += 1) {
    for (let i = 0; i < ITEMS; i += 1) {
      if ((u * 7 + i * 3) % 4 === 0 || (u + i) % 9 === 0) out.push({ u: `c${u}`, i: `p${i}`, t: 1_600_000_000 + ((u * 31 + i * 17) % 500) * 60, s: 1 + ((u + 2 * i) % 5) });
    }
  }
  return out;
}

/** A shop graph with its own labels (suffixed, so that tests do not see each other's nodes). */
async function buildShop(suffix: string, options: { missingIds?: number; duplicateIds?: number } = {}) {
  const labels = { customer: `Customer${suffix}`, product: `Product${suffix}`, bought: `BOUGHT${suffix}`, brand: `Brand${suffix}`, madeBy: `MADE_BY${suffix}` };
  const q = (name: string) => `\`${name}\``;
  await runner.autoCommitText(
    `UNWIND $rows AS row
     MERGE (c:${q(labels.customer)} {customerId: row.u})
     MERGE (p:${q(labels.product)} {sku: row.i}) SET p.name = 'Product ' + row.i
     CREATE (c)-[:${q(labels.bought)} {at: datetime({epochSeconds: toInteger(row.t)}), stars: toInteger(row.s)}]->(p)`,
    { rows: purchases() },
  );
  await runner.autoCommitText(
    `MATCH (p:${q(labels.product)}) WITH p, toInteger(substring(p.sku, 1)) % 3 AS b
     MERGE (brand:${q(labels.brand)} {name: 'brand' + b}) CREATE (p)-[:${q(labels.madeBy)}]->(brand)`,
  );
  for (let k = 0; k < (options.missingIds ?? 0); k += 1) await runner.autoCommitText(`CREATE (:${q(labels.customer)} {nickname: 'no id'})`);
  for (let k = 0; k < (options.duplicateIds ?? 0); k += 1) await runner.autoCommitText(`CREATE (:${q(labels.customer)} {customerId: 'c1'})`);
  return labels;
}

function shopMapping(name: string, labels: Awaited<ReturnType<typeof buildShop>>, extra: Record<string, unknown> = {}): GraphMapping {
  return parseMapping({
    name,
    source: 'graph',
    users: { label: labels.customer, id: 'customerId' },
    items: { label: labels.product, id: 'sku', title: 'name' },
    interactions: [{ type: labels.bought, time: 'at', rating: 'stars' }],
    kg: [{ type: labels.madeBy }],
    split: { rule: 'user-time-8-1-1', seed: 7 },
    ...extra,
  }) as GraphMapping;
}

/** Every node and relationship of the given labels/types with all its properties, sorted: a before/after picture. */
async function dump(labels: Awaited<ReturnType<typeof buildShop>>): Promise<string> {
  const nodes = await runner.autoCommitText<{ row: string }>(
    `MATCH (n) WHERE n:\`${labels.customer}\` OR n:\`${labels.product}\` OR n:\`${labels.brand}\`
     RETURN labels(n) AS l, properties(n) AS p`,
  );
  const rels = await runner.autoCommitText<{ row: string }>(
    `MATCH (a)-[r]->(b) WHERE a:\`${labels.customer}\` OR a:\`${labels.product}\` RETURN type(r) AS t, properties(r) AS p, properties(a) AS a, properties(b) AS b`,
  );
  const text = (rows: unknown[]) => rows.map((row) => JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
  return JSON.stringify([text(nodes), text(rels)]);
}

function triples(data: TrainingData): string[] {
  const out: string[] = [];
  for (let k = 0; k < data.interactions.userIdxs.length; k += 1) {
    out.push(`${String(data.users.ids[data.interactions.userIdxs[k]!])}|${String(data.items.ids[data.interactions.itemIdxs[k]!])}|${data.interactions.splits[k]}`);
  }
  return out.sort();
}

function refusal(error: unknown): KgnegError {
  expect(error).toBeInstanceOf(KgnegError);
  const e = error as KgnegError;
  expect(e.exitCode).toBe(2);
  expect(e.message).not.toMatch(/\n/);
  return e;
}

async function register(mapping: GraphMapping) {
  return registerGraphMapping(runner, mapping, { file: 'shop.json', forget: async (name) => void (await forgetDataset(runner, name)) });
}

beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
});
afterAll(async () => connection.close());

describe('a mapped graph', () => {
  it('gives the same training arrays and the same metrics as the same data ingested from RecBole files', async () => {
    const suffix = uniqueName('eq').replace(/[^A-Za-z0-9]/g, '');
    const labels = await buildShop(suffix);
    const mapped = uniqueName('shop-eq');
    const report = await register(shopMapping(mapped, labels));
    expect(report.outcome).toBe('registered');
    const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-shop-recbole-'));
    const rows = purchases().map((p) => `${p.u}\t${p.i}\t${p.s}\t${p.t}`);
    writeFileSync(path.join(dir, 'shop.inter'), `user_id:token\titem_id:token\trating:float\ttimestamp:float\n${rows.join('\n')}\n`);
    // The same brands as buildShop's MADE_BY, as RecBole KG files: the item is its own entity.
    const products = Array.from({ length: ITEMS }, (_, i) => `p${i}`);
    writeFileSync(path.join(dir, 'shop.kg'), `head_id:token\trelation_id:token\ttail_id:token\n${products.map((p) => `${p}\tmade_by\tbrand${Number(p.slice(1)) % 3}`).join('\n')}\n`);
    writeFileSync(path.join(dir, 'shop.link'), `item_id:token\tentity_id:token\n${products.map((p) => `${p}\t${p}`).join('\n')}\n`);
    const ingested = uniqueName('shop-files');
    await ingestDataset(runner, { dir, name: ingested, splitSeed: 7 });

    const a = await loadTrainingData(runner, mapped);
    const b = await loadTrainingData(runner, ingested);
    expect(a.users.ids).toEqual(b.users.ids);
    expect(a.items.ids).toEqual(b.items.ids);
    expect(a.interactions.userIdxs.length).toBe(purchases().length);
    expect(triples(a)).toEqual(triples(b));
    expect(report.counts).toMatchObject({ users: USERS, interactions: purchases().length, triples: ITEMS, relations: 1 });

    // The KG: the same (item, relation, entity) pairs, mapped entities named by element id.
    const brandOf = new Map(
      (await runner.autoCommitText<{ id: string; name: string }>(`MATCH (b:\`${labels.brand}\`) RETURN elementId(b) AS id, b.name AS name`)).map((r) => [r.id, r.name]),
    );
    const kgPairs = (kg: ItemKgTable, data: TrainingData, entityName: (id: string) => string) =>
      Array.from(kg.itemIdxs, (i, k) => `${String(data.items.ids[i])}|${kg.relationIdxs[k]}|${entityName(String(kg.entities.ids[kg.entityIdxs[k]!]))}`).sort();
    const [kgA, kgB] = [await loadItemKg(runner, mapped, a.items), await loadItemKg(runner, ingested, b.items)];
    expect(kgA.numRelations).toBe(kgB.numRelations);
    expect(kgPairs(kgA, a, (id) => brandOf.get(id) ?? id)).toEqual(kgPairs(kgB, b, (id) => id));
    expect(kgA.itemIdxs.length).toBe(ITEMS);

    // RecNS regions, extracted by Cypher on the mapped labels and on kgneg's own layout, over the same training pairs.
    const [splitA, splitB] = [splitTrainingData(a, 1), splitTrainingData(b, 1)];
    expect(splitA.valid.indices.length).toBeGreaterThan(0);
    const regionsA = await extractReachableItems(runner, { data: a, train: splitA.train, khop: 3 });
    const regionsB = await extractReachableItems(runner, { data: b, train: splitB.train, khop: 3 });
    expect(Array.from(regionsA.bits)).toEqual(Array.from(regionsB.bits));
    const reference = reachableItemsOfAllUsers(trainingGraph(splitA.train), USERS, 3);
    for (let u = 0; u < USERS; u += 1) {
      const got = Array.from({ length: ITEMS }, (_, i) => i).filter((i) => (regionsA.bits[u * regionsA.wordsPerUser + (i >>> 5)]! >>> (i & 31)) & 1);
      expect(got).toEqual(reference[u]);
    }

    const train = (dataset: string) =>
      runTraining(runner, trainOptionsFrom({ dataset, sampler: 'dns', epochs: 3, evalEvery: 3, dim: 8, seed: 5, backend: 'cpu', writeBack: false, out: mkdtempSync(path.join(tmpdir(), 'kgneg-eq-')) }), SILENT);
    const [ra, rb] = [await train(mapped), await train(ingested)];
    expect(ra.final['recall@20']).toBeGreaterThan(0);
    expect(ra.final).toEqual(rb.final);
    expect(ra.metrics.epochs.map((e) => e.loss)).toEqual(rb.metrics.epochs.map((e) => e.loss));

    // RecNS in the intermediate region trains in place, and as on the files.
    const recns = (dataset: string) =>
      runTraining(runner, trainOptionsFrom({ dataset, sampler: 'recns', region: 'intermediate', khop: 3, epochs: 2, evalEvery: 2, dim: 8, seed: 5, backend: 'cpu', writeBack: false, out: mkdtempSync(path.join(tmpdir(), 'kgneg-eq-')) }), SILENT);
    const [na, nb] = [await recns(mapped), await recns(ingested)];
    expect(na.final['recall@20']).toBeGreaterThan(0);
    expect(na.final).toEqual(nb.final);
  });

  it('writes back onto the user\'s own nodes under kgneg_ names, serves it by Cypher, and forget leaves the graph exactly as before', async () => {
    const suffix = uniqueName('wb').replace(/[^A-Za-z0-9]/g, '');
    const labels = await buildShop(suffix);
    const before = await dump(labels);
    const name = uniqueName('shop-wb');
    await register(shopMapping(name, labels));
    expect(await dump(labels)).toBe(before);
    const run = await runTraining(runner, trainOptionsFrom({ dataset: name, sampler: 'uniform', epochs: 2, dim: 8, seed: 1, backend: 'cpu', topK: 5, out: mkdtempSync(path.join(tmpdir(), 'kgneg-wb-')) }), SILENT);
    const runId = run.writeBack!.runId;
    const [written] = await runner.autoCommitText<{ vectors: number; recs: number; foreign: number }>(
      `MATCH (c:\`${labels.customer}\`) WITH count(c) AS n, sum(CASE WHEN any(k IN keys(c) WHERE k STARTS WITH 'kgneg_') THEN 1 ELSE 0 END) AS vectors
       MATCH (:\`${labels.customer}\`)-[r:KGNEG_RECOMMENDED {runId: $runId}]->(:\`${labels.product}\`)
       WITH vectors, count(r) AS recs
       OPTIONAL MATCH (x)-[f:KGNEG_RECOMMENDED {runId: $runId}]->() WHERE NOT x:\`${labels.customer}\`
       RETURN vectors, recs, count(f) AS foreign`,
      { runId },
    );
    expect(Number(written!.vectors)).toBe(USERS);
    expect(Number(written!.recs)).toBe(USERS * 5);
    expect(Number(written!.foreign)).toBe(0);
    const recs = await recommendationsForUser(runner, name, 'c3', 5);
    expect(recs).toHaveLength(5);
    expect(recs[0]!.name).toMatch(/^Product p\d+$/);
    // The user's own properties and relationships are untouched: only kgneg_ keys were added.
    const added = await runner.autoCommitText<{ k: string }>(
      `MATCH (n) WHERE n:\`${labels.customer}\` OR n:\`${labels.product}\` UNWIND keys(n) AS k WITH DISTINCT k WHERE NOT k IN ['customerId', 'sku', 'name'] RETURN k`,
    );
    for (const row of added) expect(row.k).toMatch(/^kgneg_[0-9a-f]{8}_/);

    const forgot = await forgetDataset(runner, name);
    expect(forgot).toMatchObject({ kind: 'graph', runs: 1 });
    expect(await dump(labels)).toBe(before);
    const [left] = await runner.autoCommitText<{ runs: number; datasets: number }>(
      `MATCH (r:Run {dataset: $name}) WITH count(r) AS runs OPTIONAL MATCH (d:Dataset {name: $name}) RETURN runs, count(d) AS datasets`,
      { name },
    );
    const [indexes] = await runner.autoCommitText<{ indexes: number }>('SHOW INDEXES YIELD name, labelsOrTypes WHERE $label IN labelsOrTypes RETURN count(*) AS indexes', { label: labels.product });
    expect(Number(indexes!.indexes)).toBe(0);
    expect(left).toMatchObject({ runs: 0, datasets: 0 });
  });

  it('folds in a customer who arrived after the run, from their purchases, into the served run', async () => {
    const suffix = uniqueName('fold').replace(/[^A-Za-z0-9]/g, '');
    const labels = await buildShop(suffix);
    const name = uniqueName('shop-fold');
    await register(shopMapping(name, labels));
    const run = await runTraining(runner, trainOptionsFrom({ dataset: name, sampler: 'uniform', epochs: 2, dim: 8, seed: 1, backend: 'cpu', topK: 5, out: mkdtempSync(path.join(tmpdir(), 'kgneg-fold-')) }), SILENT);
    await runner.autoCommitText(
      `CREATE (c:\`${labels.customer}\` {customerId: 'newcomer'}) WITH c
       MATCH (p:\`${labels.product}\`) WHERE p.sku IN ['p0', 'p1', 'p2', 'p3'] CREATE (c)-[:\`${labels.bought}\` {at: datetime(), stars: 5}]->(p)`,
    );
    // A known customer buys more after the run: refitted, with the new purchases left out of the list.
    const [created] = await runner.autoCommitText<{ n: number }>(
      `MATCH (c:\`${labels.customer}\` {customerId: 'c3'}), (p:\`${labels.product}\`) WHERE p.sku IN ['p20', 'p21', 'p22']
       AND NOT EXISTS { (c)-[:\`${labels.bought}\`]->(p) }
       CREATE (c)-[:\`${labels.bought}\` {at: datetime(), stars: 5}]->(p) RETURN count(*) AS n`,
    );
    const refit = runCli(['recommend', '--dataset', name, '--user', 'c3', '--k', '5']);
    expect(refit.status, refit.stderr).toBe(0);
    expect(refit.stdout).toMatch(new RegExp(`user c3 has interactions newer than run .*: refitted from \\d+ interactions`));
    expect(await recommendationsForUser(runner, name, 'newcomer', 5)).toHaveLength(0);
    // stats says what arrived since the run: one customer, their four purchases, timed after the run read its data.
    const stats = runCli(['stats', '--dataset', name]);
    expect(stats.status, stats.stderr).toBe(0);
    expect(stats.stdout).toMatch(new RegExp(`since the served run ${run.writeBack!.runId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const more = created!.n;
    expect(more).toBeGreaterThan(0);
    expect(stats.stdout).toMatch(new RegExp(`new users 1, new items 0 .*interactions \\d+ now against \\d+ the run read \\(\\+${4 + more}\\)`));
    expect(stats.stdout).toMatch(new RegExp(`interactions that arrived after the run read its data: ${4 + more}, from 2 users`));
    const result = runCli(['fold-in', '--dataset', name, '--write', '--k', '5']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/folded in 2 users .*\(1 without a vector, 1 refitted for newer interactions\)/);
    const c3 = await recommendationsForUser(runner, name, 'c3', 20);
    expect(c3.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    const c3Items = await runner.autoCommitText<{ sku: string }>(`MATCH (:\`${labels.customer}\` {customerId: 'c3'})-[:\`${labels.bought}\`]->(p) RETURN p.sku AS sku`);
    expect(c3.some((r) => c3Items.some((i) => i.sku === String(r.itemId)))).toBe(false);
    const recs = await recommendationsForUser(runner, name, 'newcomer', 5);
    expect(recs.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(recs.every((r) => !['p0', 'p1', 'p2', 'p3'].includes(String(r.itemId)))).toBe(true);
    expect(recs[0]!.runId).toBe(run.writeBack!.runId);
    // Nothing left to fold in; forget takes the newcomer's vector too.
    expect(runCli(['fold-in', '--dataset', name]).stdout).toMatch(/nothing to fold in/);
    expect(runCli(['stats', '--dataset', name]).stdout).toMatch(/new users 0, new items 0/);
    await forgetDataset(runner, name);
    const [left] = await runner.autoCommitText<{ keys: string[] }>(`MATCH (c:\`${labels.customer}\` {customerId: 'newcomer'}) RETURN keys(c) AS keys`);
    expect(left!.keys).toEqual(['customerId']);
  });

  it('warm-starts a retraining from the served run: known customers from its checkpoint, a new one fresh, recorded in the run', async () => {
    const suffix = uniqueName('warm').replace(/[^A-Za-z0-9]/g, '');
    const labels = await buildShop(suffix);
    const name = uniqueName('shop-warm');
    await register(shopMapping(name, labels));
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-warm-'));
    const first = await runTraining(runner, trainOptionsFrom({ dataset: name, sampler: 'dns', epochs: 3, dim: 8, seed: 1, backend: 'cpu', topK: 5, out }), SILENT);
    expect(first.metrics.warmStart).toBeNull();
    await runner.autoCommitText(
      `CREATE (c:\`${labels.customer}\` {customerId: 'later'}) WITH c
       MATCH (p:\`${labels.product}\`) WHERE p.sku IN ['p1', 'p5', 'p9'] CREATE (c)-[:\`${labels.bought}\` {at: datetime(), stars: 4}]->(p)`,
    );
    // Another model, or another dim, is refused before anything is read.
    for (const settings of [{ model: 'lightgcn' }, { dim: 16 }]) {
      const refused = await runTraining(runner, trainOptionsFrom({ dataset: name, warmStart: true, backend: 'cpu', out, ...settings, ...(settings.dim ? {} : { dim: 8 }) }), SILENT).catch((e: unknown) => e);
      expect(refusal(refused).message).toMatch(/^--warm-start: the served run is mf with dim 8, this run/);
    }
    // The same directory as the served run: its checkpoint is not replaced.
    const warm = await runTraining(runner, trainOptionsFrom({ dataset: name, sampler: 'dns', warmStart: true, epochs: 2, dim: 8, seed: 2, backend: 'cpu', topK: 5, out }), SILENT);
    expect(warm.metrics.warmStart).toMatchObject({
      fromRun: first.writeBack!.runId,
      checkpoint: first.metrics.checkpoint,
      users: { known: USERS, new: 1 },
      items: { known: ITEMS, new: 0 },
      copied: ['users', 'items'],
      fresh: [],
    });
    expect(warm.metrics.checkpoint).not.toBe(first.metrics.checkpoint);
    const [served] = await runner.autoCommitText<{ runId: string; from: string; checkpoint: string }>(
      'MATCH (:Dataset {name: $name})-[:CURRENT_RUN]->(r:Run) RETURN r.runId AS runId, r.warmStartedFrom AS from, r.checkpoint AS checkpoint',
      { name },
    );
    expect(served).toEqual({ runId: warm.writeBack!.runId, from: first.writeBack!.runId, checkpoint: warm.metrics.checkpoint });
    expect((await recommendationsForUser(runner, name, 'later', 5)).map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    await forgetDataset(runner, name);
  });

  it('explains a KGPolicy negative on the graph\'s own nodes, by label and name', async () => {
    const suffix = uniqueName('explain').replace(/[^A-Za-z0-9]/g, '');
    const labels = await buildShop(suffix);
    const name = uniqueName('shop-explain');
    await register(shopMapping(name, labels));
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-explain-'));
    await runTraining(runner, trainOptionsFrom({ dataset: name, sampler: 'kgpolicy', pretrainEpochs: 1, epochs: 1, dim: 8, seed: 1, backend: 'cpu', topK: 5, out }), SILENT);
    const [explained] = await runner.autoCommitText<{ id: string }>(
      `MATCH (:Dataset {name: $name})-[:CURRENT_RUN]->(run:Run) MATCH (c:\`${labels.customer}\`)-[:KGPOLICY_NEGATIVE {runId: run.runId}]->() RETURN c.customerId AS id LIMIT 1`,
      { name },
    );
    expect(explained, 'no user has an explanation').toBeDefined();
    const result = runCli(['explain', '--dataset', name, '--user', explained!.id]);
    expect(result.status, result.stderr).toBe(0);
    const path1 = /^ {2}path: (.*?)( {2}\(a hop took a random diversity item\))?$/m.exec(result.stdout)?.[1];
    expect(path1, result.stdout).toBeDefined();
    // Products by their title, brands by their name: no element ids.
    for (const node of path1!.split(' -> ')) expect(node).toMatch(new RegExp(`^(${labels.product} Product p\\d+|${labels.brand} brand\\d)$`));
    expect(result.stdout).not.toMatch(/entity:4:/);
    await forgetDataset(runner, name);
  });

  it('refuses bad mappings with one line naming the JSON path, and changes nothing', async () => {
    const suffix = uniqueName('bad').replace(/[^A-Za-z0-9]/g, '');
    const labels = await buildShop(suffix);
    const [{ n: before }] = (await runner.autoCommitText<{ n: number }>('MATCH (n) RETURN count(n) AS n')) as [{ n: number }];
    const name = uniqueName('shop-bad');
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['an unknown label', { users: { label: `Custmer${suffix}`, id: 'customerId' } }, /\$\.users\.label: no label .* in the database/],
      ['an unknown type', { interactions: [{ type: 'PURCHASED_NOWHERE' }] }, /\$\.interactions\[0\]\.type: no relationship type/],
      ['an unknown property', { interactions: [{ type: labels.bought, time: 'when_bought' }] }, /\$\.interactions\[0\]\.time: no property "when_bought"/],
      ['a type as interaction and KG', { kg: [{ type: labels.bought }] }, /\$\.kg\[0\]\.type: .* already listed at \$\.interactions\[0\]/],
      ['kgneg\'s own labels', { users: { label: 'User', id: 'userId' }, items: { label: 'Item', id: 'itemId' } }, /\$\.users\.label: "User" is a label of kgneg's own/],
      ['a name meant as Cypher', { users: { label: 'Customer` RETURN 1 //', id: 'customerId' } }, /\$\.users\.label: no label "Customer` RETURN 1 \/\/" in the database/],
      ['minRating without rating', { interactions: [{ type: labels.bought, minRating: 3 }] }, /minRating needs/],
      ['a time split without time', { interactions: [{ type: labels.bought }] }, /orders by time/],
    ];
    for (const [label, change, message] of cases) {
      let error: unknown;
      try {
        await register(shopMapping(name, labels, change));
      } catch (e) {
        error = e;
      }
      expect(refusal(error).message, label).toMatch(message);
    }
    // Ids missing on some nodes, and ids held twice: counted.
    const holes = await buildShop(`${suffix}h`, { missingIds: 2 });
    await expect(register(shopMapping(`${name}-h`, holes))).rejects.toThrow(/\$\.users\.id: 2 of 32 .* nodes have no property "customerId"/);
    const twins = await buildShop(`${suffix}t`, { duplicateIds: 1 });
    await expect(register(shopMapping(`${name}-t`, twins))).rejects.toThrow(/\$\.users\.id: 1 values of "customerId" are held by more than one/);
    // A label with nodes but no interactions between the mapped labels.
    await runner.autoCommitText(`CREATE (:\`Lonely${suffix}\` {customerId: 'x'})`);
    await expect(register(shopMapping(`${name}-e`, labels, { users: { label: `Lonely${suffix}`, id: 'customerId' } }))).rejects.toThrow(/\$\.interactions: no .* relationships from Lonely/);
    // Not JSON at all.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kgneg-map-')), 'm.json');
    writeFileSync(file, '{"name": "x",');
    expect(() => readMappingFile(file)).toThrow(/is not JSON/);
    const [{ n: after }] = (await runner.autoCommitText<{ n: number }>('MATCH (n) RETURN count(n) AS n')) as [{ n: number }];
    // Only the test's own fixtures were added (two shops and a lonely node); no dataset was registered.
    expect(Number(after) - Number(before)).toBe(2 * (USERS + ITEMS + 3) + 3 + 1);
    const [{ d }] = (await runner.autoCommitText<{ d: number }>('MATCH (d:Dataset) WHERE d.name STARTS WITH $name RETURN count(d) AS d', { name })) as [{ d: number }];
    expect(Number(d)).toBe(0);
  });

  it('quotes names holding backticks, quotes and braces as identifiers', async () => {
    const suffix = uniqueName('q').replace(/[^A-Za-z0-9]/g, '');
    const odd = { customer: `Cust\`om"er{${suffix}}`, product: `Prod'uct ${suffix}`, bought: `BOUGHT\`) DELETE n //${suffix}` };
    const q = (s: string) => `\`${s.replace(/`/g, '``')}\``;
    await runner.autoCommitText(
      `UNWIND range(0, 9) AS u UNWIND range(0, 5) AS i WITH u, i WHERE (u + i) % 2 = 0
       MERGE (c:${q(odd.customer)} {\`id}\`: 'u' + u}) MERGE (p:${q(odd.product)} {sku: 'i' + i}) CREATE (c)-[:${q(odd.bought)}]->(p)`,
    );
    const name = uniqueName('odd');
    const mapping = parseMapping({ name, source: 'graph', users: { label: odd.customer, id: 'id}' }, items: { label: odd.product, id: 'sku' }, interactions: [{ type: odd.bought }] }) as GraphMapping;
    const report = await register(mapping);
    expect(report.counts).toMatchObject({ users: 10, items: 6, interactions: 30 });
    const data = await loadTrainingData(runner, name);
    expect(data.interactions.userIdxs.length).toBe(30);
    await forgetDataset(runner, name);
  });
});
