import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/graph/connection.js';
import { countDatasetGraph, getDataset } from '../../../src/graph/datasets/dataset-repository.js';
import { ingestCsvMapping, ingestDataset, type IngestProgress } from '../../../src/graph/datasets/ingest.js';
import { DatasetFormatError } from '../../../src/graph/errors.js';
import { readMappingFile, type CsvMapping } from '../../../src/graph/mapping/schema.js';
import type { QueryRunner } from '../../../src/graph/query-runner.js';
import { userTrainingItems } from '../../../src/graph/recommendations.js';
import { idParam } from '../../../src/graph/values.js';
import { loadTrainingData } from '../../../src/graph/training-data.js';
import { writeBackRun } from '../../../src/graph/write-back.js';
import { runCli } from '../../support/cli.js';
import { writeMl100kCsv } from '../mapping/ml100k-csv.js';
import { type FileCounts, kgatCounts, kgcnCounts, mindCounts, recboleCounts } from '../../support/file-counts.js';
import { openMigratedRunner, SHARED_DATASETS, uniqueName } from '../../support/neo4j.js';

let runner: QueryRunner;
let connection: Connection;

beforeAll(async () => {
  ({ runner, connection } = await openMigratedRunner());
});
afterAll(async () => connection.close());

const fileLines = (file: string): string[] => readFileSync(path.join(SHARED_DATASETS, file), 'utf8').split('\n').filter((l) => l.trim() !== '');

/** How many items carry a title and a raw-source id, counted from the files; and one item's display properties. */
interface NameCounts {
  titles: number;
  orgIds: number;
  sample: { itemId: number | string; props: Record<string, unknown> };
}

/** MIND: the news.tsv rows for news that behaviors.tsv mentions (838 of its 2,000). */
function mindNewsRows(): string[][] {
  const mentioned = new Set(fileLines('mind-small-5k/behaviors.tsv').flatMap((l) => l.split('\t').slice(3).join(' ').split(' ').map((t) => t.replace(/-[01]$/, ''))));
  const rows = new Map<string, string[]>();
  for (const row of fileLines('mind-small-5k/news.tsv').map((l) => l.split('\t'))) {
    if (mentioned.has(row[0] ?? '') && !rows.has(row[0] ?? '')) rows.set(row[0] ?? '', row);
  }
  return [...rows.values()];
}

const cases: Array<{ dir: string; expected: () => FileCounts; names: () => NameCounts }> = [
  {
    dir: 'lastfm-kgcn',
    expected: () => kgcnCounts(path.join(SHARED_DATASETS, 'lastfm-kgcn')),
    // No names in the files: the display falls back to the hetrec artist id.
    names: () => ({ titles: 0, orgIds: fileLines('lastfm-kgcn/item_index2entity_id.txt').length, sample: { itemId: 0, props: { title: null, orgId: '2' } } }),
  },
  {
    dir: 'ml100k-recbole',
    expected: () => recboleCounts(path.join(SHARED_DATASETS, 'ml100k-recbole'), 'ml-100k'),
    names: () => ({
      titles: fileLines('ml100k-recbole/ml-100k.item').length - 1,
      orgIds: 0,
      sample: { itemId: '1', props: { title: 'Toy Story', year: 1995, yearType: 'INTEGER', genres: ['Animation', "Children's", 'Comedy'], orgId: null } },
    }),
  },
  {
    dir: 'mind-small-5k',
    expected: () => mindCounts(path.join(SHARED_DATASETS, 'mind-small-5k')),
    names: () => {
      const rows = mindNewsRows();
      const [id = '', category, subCategory, title] = rows[0]!;
      return { titles: rows.length, orgIds: 0, sample: { itemId: id, props: { title, category, subCategory } } };
    },
  },
  {
    dir: 'amazon-book-kgat',
    expected: () => kgatCounts(path.join(SHARED_DATASETS, 'amazon-book-kgat')),
    names: () => ({
      titles: 0,
      orgIds: fileLines('amazon-book-kgat/item_list.txt').length - 1,
      sample: { itemId: 0, props: { title: null, orgId: '0553092626', freebaseId: 'm.045wq1q' } },
    }),
  },
];

/** Counts of items with a title / orgId, and the listed properties of one item. */
async function itemNames(name: string, itemId: number | string, props: string[]): Promise<NameCounts> {
  const [counts] = await runner.autoCommitText<{ titles: number; orgIds: number }>(
    'MATCH (i:Item {dataset: $name}) RETURN count(i.title) AS titles, count(i.orgId) AS orgIds',
    { name },
  );
  const [sample] = await runner.autoCommitText<{ props: Record<string, unknown> }>(
    `MATCH (i:Item {dataset: $name, itemId: $itemId})
     RETURN i {.title, .orgId, .year, .genres, .category, .subCategory, .freebaseId, yearType: valueType(i.year)} AS props`,
    { name, itemId: typeof itemId === 'number' ? idParam(itemId) : itemId },
  );
  const all: Record<string, unknown> = { ...sample!.props, yearType: String(sample!.props['yearType']).replace(/ NOT NULL$/, '') };
  return { titles: counts!.titles, orgIds: counts!.orgIds, sample: { itemId, props: Object.fromEntries(props.map((p) => [p, all[p] ?? null])) } };
}

describe('ingestDataset on the shared datasets', () => {
  for (const { dir, expected, names } of cases) {
    it(`${dir}: Neo4j counts equal the files' counts, and a second ingestion changes nothing`, async () => {
      const name = uniqueName(dir);
      const first = await ingestDataset(runner, { dir: path.join(SHARED_DATASETS, dir), name });
      const want = expected();
      const got = await countDatasetGraph(runner, name);
      expect(first.outcome).toBe('ingested');
      expect({
        users: got.users,
        items: got.items,
        entities: got.entities,
        interactions: got.interactions,
        exposures: got.exposures,
        exposureOccurrences: got.exposureOccurrences,
        triples: got.triples,
        relations: got.relations,
      }).toEqual({
        users: want.users,
        items: want.items,
        entities: want.entities,
        interactions: want.interactions,
        exposures: want.exposures,
        exposureOccurrences: want.exposureOccurrences,
        triples: want.triples,
        relations: want.relations,
      });
      expect(got.trainInteractions + got.validInteractions + got.testInteractions).toBe(got.interactions);
      if (want.trainInteractions !== undefined) {
        expect(got.trainInteractions).toBe(want.trainInteractions);
        expect(got.testInteractions).toBe(want.testInteractions);
      } else {
        expect(got.validInteractions).toBeGreaterThan(0);
        expect(got.testInteractions).toBeGreaterThan(0);
      }
      expect((await getDataset(runner, name))?.status).toBe('complete');
      const wantNames = names();
      const gotNames = await itemNames(name, wantNames.sample.itemId, Object.keys(wantNames.sample.props));
      expect(gotNames).toEqual(wantNames);

      const second = await ingestDataset(runner, { dir: path.join(SHARED_DATASETS, dir), name });
      expect(second.outcome).toBe('unchanged');
      expect(await countDatasetGraph(runner, name)).toEqual(got);
      expect(await itemNames(name, wantNames.sample.itemId, Object.keys(wantNames.sample.props))).toEqual(gotNames);
      console.log(`${dir}: ${JSON.stringify(got)} in ${first.seconds.toFixed(1)}s`);
    }, 600_000);
  }
});

// A small RecBole dataset with ratings and times: user 1 rates items 10..19
// (the first 8 by time are train), users 2 and 3 a few more; toy.item titles
// 10..20, and item 21 has no row.
const TITLES: Record<string, string> = {
  '10': 'Toy Story',
  '11': 'GoldenEye',
  '12': 'Four Rooms',
  '13': 'Get Shorty',
  '14': 'Copycat',
  '15': 'Twelve Monkeys',
  '16': 'Babe',
  '17': 'Dead Man Walking',
  '18': 'Richard III',
  '19': 'Seven (Se7en)',
  '20': 'Usual Suspects, The',
};
const USER1_RATINGS = [3, 5, 4, 5, 2, 5, 1, 4, 5, 4];
const TOY_INTER = [
  'user_id:token\titem_id:token\trating:float\ttimestamp:float',
  ...USER1_RATINGS.map((rating, k) => `1\t${10 + k}\t${rating}\t${100 * (k + 1)}`),
  '2\t20\t4\t50', '2\t21\t3\t60', '2\t10\t5\t70', '3\t11\t2\t80', '3\t12\t4\t90', '3\t20\t5\t95',
].join('\n');
const toyItem = (titles: Record<string, string>): string =>
  ['item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq', ...Object.entries(titles).map(([id, title]) => `${id}\t${title}\t${1990 + (Number(id) % 10)}\tDrama Crime`)].join('\n');

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-titles-'));
  for (const [file, body] of Object.entries(files)) writeFileSync(path.join(dir, file), `${body}\n`);
  return dir;
}

async function titles(name: string): Promise<Record<string, unknown>> {
  const rows = await runner.autoCommitText<{ id: string; title: string | null; year: unknown; yearType: string | null; genres: string[] | null }>(
    'MATCH (i:Item {dataset: $name}) RETURN i.itemId AS id, i.title AS title, i.year AS year, valueType(i.year) AS yearType, i.genres AS genres ORDER BY id',
    { name },
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.title === null ? null : { title: r.title, year: r.year, yearType: r.yearType, genres: r.genres }]));
}

const expectedTitles = (names: Record<string, string>) =>
  Object.fromEntries(
    Array.from({ length: 12 }, (_, k) => String(10 + k)).map((id) => [
      id,
      names[id] === undefined ? null : { title: names[id], year: 1990 + (Number(id) % 10), yearType: 'INTEGER NOT NULL', genres: ['Drama', 'Crime'] },
    ]),
  );

/** Serves a made-up run: scores grow with the item's index; each user gets the k best items they never interacted with. */
async function serveRun(name: string, k: number): Promise<void> {
  const data = await loadTrainingData(runner, name);
  const [nu, ni, dim] = [data.users.ids.length, data.items.ids.length, 2];
  const users = new Float32Array(nu * dim).fill(1);
  const items = Float32Array.from({ length: ni * dim }, (_, x) => (x % dim === 0 ? (Math.floor(x / dim) + 1) / ni : 0));
  const seen = Array.from({ length: nu }, () => new Set<number>());
  data.interactions.userIdxs.forEach((u, n) => seen[u]!.add(data.interactions.itemIdxs[n]!));
  const recommendations = seen.map((known) => {
    const best = Array.from({ length: ni }, (_, i) => ni - 1 - i).filter((i) => !known.has(i)).slice(0, k);
    return { itemIdxs: Int32Array.from(best), scores: Float32Array.from(best, (i) => (i + 1) / ni) };
  });
  await writeBackRun(runner, { dataset: name, dim, userIds: data.users.ids, itemIds: data.items.ids, users, items, recommendations, runProperties: { model: 'test', sampler: 'none' } });
}

describe('item titles and names', () => {
  it('a RecBole .item lands as item properties; added to a dataset ingested without it, it rewrites only the items', async () => {
    const dir = tempDir({ 'toy.inter': TOY_INTER });
    const name = uniqueName('titles');
    expect((await ingestDataset(runner, { dir, name })).outcome).toBe('ingested');
    const counts = await countDatasetGraph(runner, name);
    // Unchanged files without a .item: a no-op, as before .item files were read.
    expect((await ingestDataset(runner, { dir, name })).outcome).toBe('unchanged');
    expect(await titles(name)).toEqual(expectedTitles({}));

    // As a dataset ingested by a kgneg that did not know .item files: no graphChecksum.
    await runner.autoCommitText('MATCH (d:Dataset {name: $name}) REMOVE d.graphChecksum', { name });
    writeFileSync(path.join(dir, 'toy.item'), `${toyItem(TITLES)}\n`);
    const added = await ingestDataset(runner, { dir, name });
    expect(added.outcome).toBe('resumed');
    expect(added.phases.filter((p) => !p.skipped).map((p) => p.phase)).toEqual(['items']);
    expect(await countDatasetGraph(runner, name)).toEqual(counts);
    expect(await titles(name)).toEqual(expectedTitles(TITLES));
    expect((await getDataset(runner, name))?.status).toBe('complete');

    // The same files again: nothing changes.
    expect((await ingestDataset(runner, { dir, name })).outcome).toBe('unchanged');
    expect(await titles(name)).toEqual(expectedTitles(TITLES));

    // An edited .item: the items are rewritten, a title dropped from the file is gone.
    const edited = { ...TITLES, '10': 'Toy Story (1995)' };
    delete (edited as Record<string, string | undefined>)['11'];
    writeFileSync(path.join(dir, 'toy.item'), `${toyItem(edited)}\n`);
    expect((await ingestDataset(runner, { dir, name })).outcome).toBe('resumed');
    expect(await titles(name)).toEqual(expectedTitles(edited));
    expect(await countDatasetGraph(runner, name)).toEqual(counts);

    // An interaction appended is loaded as new (growth.test.ts); one lost makes them other files.
    writeFileSync(path.join(dir, 'toy.inter'), `${TOY_INTER}\n3\t13\t1\t99\n`);
    const grown = await ingestDataset(runner, { dir, name });
    expect(grown.outcome).toBe('grown');
    expect(grown.added).toEqual({ users: 0, items: 0, entities: 0, interactions: 1 });
    writeFileSync(path.join(dir, 'toy.inter'), `${TOY_INTER.split('\n').slice(0, -1).join('\n')}\n`);
    await expect(ingestDataset(runner, { dir, name })).rejects.toThrow(/was loaded from other files .*: 2 of its \d+ interactions are not in them/);
  });

  it('titles are there on a first ingestion, and a malformed .item line writes nothing', async () => {
    const dir = tempDir({ 'toy.inter': TOY_INTER, 'toy.item': toyItem(TITLES) });
    const name = uniqueName('titles-first');
    expect((await ingestDataset(runner, { dir, name })).outcome).toBe('ingested');
    expect(await titles(name)).toEqual(expectedTitles(TITLES));
    expect((await ingestDataset(runner, { dir, name })).outcome).toBe('unchanged');

    const bad = tempDir({ 'toy.inter': TOY_INTER, 'toy.item': `${toyItem(TITLES)}\n21\tNo Year Column` });
    const badName = uniqueName('titles-bad');
    const error = await ingestDataset(runner, { dir: bad, name: badName }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as Error).message).toContain(`${path.join(bad, 'toy.item')}:13:`);
    expect(await getDataset(runner, badName)).toBeUndefined();
    expect((await countDatasetGraph(runner, badName)).items).toBe(0);
  });

  it('npm run recommend prints the user\'s own items and the recommendations with their titles, and the Cypher returns them', async () => {
    const dir = tempDir({ 'toy.inter': TOY_INTER, 'toy.item': toyItem(TITLES) });
    const name = uniqueName('titles-recommend');
    await ingestDataset(runner, { dir, name });
    await serveRun(name, 2);

    const liked = await userTrainingItems(runner, name, '1', 5);
    // Train is user 1's first 8 ratings by time; the best rated first, then the latest.
    expect(liked.total).toBe(8);
    expect(liked.items.map((i) => [i.itemId, i.name, i.rating])).toEqual([
      ['15', 'Twelve Monkeys', 5],
      ['13', 'Get Shorty', 5],
      ['11', 'GoldenEye', 5],
      ['17', 'Dead Man Walking', 4],
      ['12', 'Four Rooms', 4],
    ]);

    for (const vector of [false, true]) {
      const result = runCli(['recommend', '--dataset', name, '--user', '1', '--k', '2', ...(vector ? ['--vector'] : [])]);
      expect(result.status, result.stderr).toBe(0);
      const out = result.stdout;
      expect(out).toContain('user 1 liked (5 of 8 training items, best rated first):');
      expect(out).toMatch(/^ {3}- item 15 {2}Twelve Monkeys {2}\(rated 5\)$/m);
      expect(out).toMatch(/^ {3}- item 12 {2}Four Rooms {2}\(rated 4\)$/m);
      // User 1 has rated 10..19: the list is 21 (no .item row, so no name) and 20.
      const lines = out.split('\n').filter((line) => /^\s+\d+\. item /.test(line));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^ {3}1\. item 21 {2}score \d\.\d{4}$/);
      expect(lines[1]).toMatch(/^ {3}2\. item 20 {2}score \d\.\d{4} {2}Usual Suspects, The$/);
      expect(out.indexOf('liked')).toBeLessThan(out.indexOf('1. item 21'));
      expect(out).toContain('coalesce(i.title, i.orgId) AS name');
      if (!vector) console.log(out);
    }
  });

  it('KGAT org ids (list files with or without a header) are the display name where there is no title', async () => {
    const dir = tempDir({
      'train.txt': '0 0 1 2\n1 2 5',
      'test.txt': '0 3\n1 0',
      'user_list.txt': 'A3RTKL9KB8KLID 0\nA1 1',
      'item_list.txt': 'org_id remap_id freebase_id\n0553092626 0 m.a\n0393311341 1 m.b\n0385504209 2 m.c\n0316769487 3 m.d\n0060929871 4 m.e',
    });
    const name = uniqueName('kgat-names');
    await ingestDataset(runner, { dir, name });
    const users = await runner.autoCommitText<{ orgId: string }>('MATCH (u:User {dataset: $name}) RETURN u.orgId AS orgId ORDER BY u.userId', { name });
    expect(users.map((u) => u.orgId)).toEqual(['A3RTKL9KB8KLID', 'A1']);
    await serveRun(name, 2);
    const result = runCli(['recommend', '--dataset', name, '--user', '0', '--k', '2']);
    expect(result.status, result.stderr).toBe(0);
    // No ratings and no times: the user's items by id.
    expect(result.stdout).toContain('user 0 liked (3 of 3 training items):');
    expect(result.stdout).toMatch(/^ {3}- item 0 {2}0553092626$/m);
    expect(result.stdout).toMatch(/^ {3}- item 2 {2}0385504209$/m);
    // User 0 has 0..3: item 5 has no org id (not in item_list.txt), item 4 has one.
    expect(result.stdout).toMatch(/^ {3}1\. item 5 {2}score \d\.\d{4}$/m);
    expect(result.stdout).toMatch(/^ {3}2\. item 4 {2}score \d\.\d{4} {2}0060929871$/m);
  });
});

/** What a dataset holds, read back from Neo4j, sorted: ids, titles, (user, item, split) and (head, relation, tail) by item id where the node is an item. */
async function graphContents(name: string) {
  const users = await runner.autoCommitText<{ id: string }>('MATCH (u:User {dataset: $name}) RETURN u.userId AS id', { name });
  const items = await runner.autoCommitText<{ id: string; title: string | null }>('MATCH (i:Item {dataset: $name}) RETURN i.itemId AS id, i.title AS title', { name });
  const interactions = await runner.autoCommitText<{ u: string; i: string; split: string }>(
    'MATCH (u:User)-[r:INTERACTED]->(i:Item) WHERE r.dataset = $name RETURN u.userId AS u, i.itemId AS i, r.split AS split',
    { name },
  );
  const triples = await runner.autoCommitText<{ h: string; r: string; t: string }>(
    'MATCH (h:Entity)-[k:KG]->(t:Entity) WHERE k.dataset = $name RETURN coalesce(h.itemId, h.entityId) AS h, k.relation AS r, coalesce(t.itemId, t.entityId) AS t',
    { name },
  );
  const sorted = (rows: unknown[][]): string[] => rows.map((row) => JSON.stringify(row)).sort();
  return {
    users: sorted(users.map((r) => [r.id])),
    items: sorted(items.map((r) => [r.id, r.title])),
    interactions: sorted(interactions.map((r) => [r.u, r.i, r.split])),
    triples: sorted(triples.map((r) => [r.h, r.r, r.t])),
  };
}

const readCsvMapping = (file: string): CsvMapping => readMappingFile(file) as CsvMapping;

describe('CSV mappings', () => {
  it('ml-100k as CSV files gives the same users, items, splits and triples as its RecBole files (user-time-8-1-1, seed 7)', async () => {
    const recboleDir = path.join(SHARED_DATASETS, 'ml100k-recbole');
    const recboleName = uniqueName('ml100k-recbole-eq');
    const csvName = uniqueName('ml100k-csv-eq');
    const csv = await writeMl100kCsv(recboleDir, { rule: 'user-time-8-1-1', seed: 7 }, csvName);
    const viaRecbole = await ingestDataset(runner, { dir: recboleDir, name: recboleName, splitSeed: 7 });
    const progress: IngestProgress[] = [];
    const viaCsv = await ingestCsvMapping(runner, readCsvMapping(csv.mappingPath), csv.mappingPath, { onProgress: (p) => progress.push(p) });
    expect([viaRecbole.outcome, viaCsv.outcome]).toEqual(['ingested', 'ingested']);
    expect(viaCsv.name).toBe(csvName);
    expect(viaCsv.format).toBe('csv');
    expect(viaCsv.splitSeed).toBe(7);
    const record = await getDataset(runner, csvName);
    expect(record).toMatchObject({ status: 'complete', format: 'csv', sourceDir: csv.mappingPath, splitRule: 'user-time-8-1-1', splitSeed: 7 });
    // Progress: every phase ends with all its rows.
    for (const phase of ['users', 'items', 'entities', 'interactions', 'triples'] as const) {
      const last = progress.filter((p) => p.phase === phase).at(-1);
      expect(last && last.rowsDone === last.rowsTotal && last.rowsTotal > 0, phase).toBe(true);
    }

    const counts = await countDatasetGraph(runner, csvName);
    expect(counts).toEqual(await countDatasetGraph(runner, recboleName));
    const [fromCsv, fromRecbole] = [await graphContents(csvName), await graphContents(recboleName)];
    expect(fromCsv.users).toEqual(fromRecbole.users);
    expect(fromCsv.items).toEqual(fromRecbole.items);
    expect(fromCsv.interactions.length).toBe(100_000);
    expect(fromCsv.interactions).toEqual(fromRecbole.interactions);
    expect(fromCsv.triples.length).toBe(counts.triples);
    expect(fromCsv.triples).toEqual(fromRecbole.triples);

    // The same files again: nothing to do.
    const again = await ingestCsvMapping(runner, readCsvMapping(csv.mappingPath), csv.mappingPath);
    expect(again.outcome).toBe('unchanged');
    expect(await countDatasetGraph(runner, csvName)).toEqual(counts);
    console.log(
      `ml-100k via CSV and via RecBole: ${counts.users} users, ${counts.items} items, ${counts.entities} entities, interactions ` +
        `${counts.interactions} (train ${counts.trainInteractions}, valid ${counts.validInteractions}, test ${counts.testInteractions}), ` +
        `${counts.triples} triples, ${counts.relations} relations; identical lists of users, items (with titles), (user, item, split) and (head, relation, tail); ` +
        `CSV parsed in ${viaCsv.parseSeconds.toFixed(1)}s, written in ${(viaCsv.seconds - viaCsv.parseSeconds).toFixed(1)}s`,
    );
  }, 600_000);

  const RATINGS = ['viewer_id,movie_id,stars,rated_at', 'u1,m1,5,2024-01-01T00:00:00Z', 'u1,m2,4,2024-01-02T00:00:00Z', 'u1,"m,3",2,2024-01-03T00:00:00Z', 'u2,m1,3,100', 'u2,m2,5,200', 'u1,m1,5,300'].join('\n');
  const MOVIES = 'movie_id;title\nm1;Alpha\nm2;"Beta; the sequel"\n';
  const mappingJson = (name: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      name,
      source: 'csv',
      interactions: { file: 'ratings.csv', user: 'viewer_id', item: 'movie_id', time: 'rated_at', rating: 'stars' },
      items: { file: 'movies.csv', id: 'movie_id', title: 'title' },
      kg: { file: 'facts.tsv', head: 'subject', relation: 'predicate', tail: 'object' },
      exposures: { file: 'views.csv', user: 'viewer_id', item: 'movie_id' },
      split: { rule: 'user-time-8-1-1', seed: 11 },
      ...extra,
    });

  it('an interrupted CSV ingestion resumes; changed files are refused, a changed items file rewrites only the items; bad input writes nothing', async () => {
    const name = uniqueName('csv-resume');
    const dir = tempDir({
      'ratings.csv': RATINGS,
      'movies.csv': MOVIES,
      'facts.tsv': 'subject\tpredicate\tobject\nm1\tgenre\tDrama\nm2\tgenre\tDrama\nDrama\tgenre of\tm1\n',
      'views.csv': 'viewer_id,movie_id\nu2,"m,3"\nu2,"m,3"\nu1,m4\n',
      'map.json': mappingJson(name),
    });
    const file = path.join(dir, 'map.json');
    // Stopped as the interactions phase begins: users, items and entities are written and marked done.
    const stop = new Error('stopped for the test');
    const interrupted = await ingestCsvMapping(runner, readCsvMapping(file), file, {
      batchSize: 2,
      concurrency: 1,
      onProgress: (p) => {
        if (p.phase === 'interactions') throw stop;
      },
    }).catch((e: unknown) => e);
    expect(interrupted).toBe(stop);
    expect((await getDataset(runner, name))?.status).toBe('loading');
    expect(await countDatasetGraph(runner, name)).toMatchObject({ users: 2, items: 4, interactions: 0, triples: 0 });

    const resumed = await ingestCsvMapping(runner, readCsvMapping(file), file, { batchSize: 2, concurrency: 1 });
    expect(resumed.outcome).toBe('resumed');
    expect(resumed.phases.filter((p) => p.skipped).map((p) => p.phase)).toEqual(['users', 'items', 'entities']);
    const counts = await countDatasetGraph(runner, name);
    expect(counts).toEqual({
      users: 2,
      items: 4, // m1, m2, "m,3", and m4 (shown only)
      entities: 3, // m1, m2 (items) and Drama
      interactions: 5,
      // user-time-8-1-1: u1's 3 by time are train, valid, test; u2's 2 are train, test.
      trainInteractions: 2,
      validInteractions: 1,
      testInteractions: 2,
      exposures: 2,
      exposureOccurrences: 3,
      triples: 3,
      relations: 2,
    });
    expect(resumed.duplicates).toEqual({ interactions: 1, exposures: 1, triples: 0 });
    const exposed = await runner.autoCommitText<{ split: string }>('MATCH ()-[e:EXPOSED]->() WHERE e.dataset = $name RETURN DISTINCT e.split AS split', { name });
    expect(exposed).toEqual([{ split: 'train' }]);
    expect((await ingestCsvMapping(runner, readCsvMapping(file), file)).outcome).toBe('unchanged');

    // Only the items file (titles) changes: the items are rewritten, nothing else.
    writeFileSync(path.join(dir, 'movies.csv'), 'movie_id;title\nm1;Alpha (2024)\nm2;"Beta; the sequel"\n');
    const retitled = await ingestCsvMapping(runner, readCsvMapping(file), file);
    expect(retitled.outcome).toBe('resumed');
    expect(retitled.phases.filter((p) => !p.skipped).map((p) => p.phase)).toEqual(['items']);
    expect(await titles(name)).toMatchObject({ m1: { title: 'Alpha (2024)' }, m2: { title: 'Beta; the sequel' }, 'm,3': null, m4: null });
    expect(await countDatasetGraph(runner, name)).toEqual(counts);

    // Other interactions, or another mapping, are other files.
    writeFileSync(path.join(dir, 'map.json'), mappingJson(name, { interactions: { file: 'ratings.csv', user: 'viewer_id', item: 'movie_id', time: 'rated_at', rating: 'stars', minRating: 4 } }));
    await expect(ingestCsvMapping(runner, readCsvMapping(file), file)).rejects.toThrow(/was loaded from other files/);
    writeFileSync(path.join(dir, 'map.json'), mappingJson(name));
    writeFileSync(path.join(dir, 'ratings.csv'), RATINGS.split('\n').slice(0, -2).join('\n'));
    await expect(ingestCsvMapping(runner, readCsvMapping(file), file)).rejects.toThrow(/was loaded from other files/);
    expect(await countDatasetGraph(runner, name)).toEqual(counts);
    // Rows appended to the CSV are loaded as new.
    writeFileSync(path.join(dir, 'ratings.csv'), `${RATINGS}\nu2,m4,1,400\n`);
    const grown = await ingestCsvMapping(runner, readCsvMapping(file), file);
    expect(grown.outcome).toBe('grown');
    expect(grown.added?.interactions).toBe(1);
    expect((await countDatasetGraph(runner, name)).interactions).toBe(counts.interactions + 1);

    // A malformed value on the last line: nothing of the dataset is written.
    const badName = uniqueName('csv-bad');
    writeFileSync(path.join(dir, 'ratings.csv'), `${RATINGS}\nu2,m4,five,400\n`);
    writeFileSync(path.join(dir, 'map.json'), mappingJson(badName));
    const error = await ingestCsvMapping(runner, readCsvMapping(file), file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as Error).message).toBe(`${path.join(dir, 'ratings.csv')}:8: column stars: expected a number, got 'five'`);
    expect(await getDataset(runner, badName)).toBeUndefined();
    expect((await countDatasetGraph(runner, badName)).users).toBe(0);
  });
});
