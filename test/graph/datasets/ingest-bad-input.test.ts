import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/graph/connection.js';
import { countDatasetGraph, getDataset } from '../../../src/graph/datasets/dataset-repository.js';
import { ingestDataset } from '../../../src/graph/datasets/ingest.js';
import { DatasetFormatError } from '../../../src/graph/errors.js';
import type { DatasetFormat } from '../../../src/graph/datasets/records.js';
import type { QueryRunner } from '../../../src/graph/query-runner.js';
import { openTestRunner, uniqueName } from '../../support/neo4j.js';

let runner: QueryRunner;
let connection: Connection;
beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
});
afterAll(async () => connection.close());

function datasetDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-bad-input-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  return dir;
}

const KGCN_KG = '0\t0\t2\n1\t1\t3\n';
const GOOD_RATINGS = '0\t0\t1\n0\t1\t0\n1\t1\t1\n1\t0\t1\n';

const badInputs: Array<{ what: string; files: Record<string, string | Buffer>; format?: DatasetFormat; file: string; line?: number; says: RegExp }> = [
  {
    what: 'a wrong column count',
    files: { 'ratings_final.txt': '0\t0\t1\n0\t1\t0\n1\t1\n', 'kg_final.txt': KGCN_KG },
    file: 'ratings_final.txt',
    line: 3,
    says: /3/,
  },
  {
    what: 'a non-integer id where integers are declared',
    files: { 'train.txt': '0 1 2\n1 2 x7\n', 'test.txt': '0 3\n' },
    file: 'train.txt',
    line: 2,
    says: /integer/,
  },
  { what: 'an empty file', files: { 'ratings_final.txt': '', 'kg_final.txt': KGCN_KG }, file: 'ratings_final.txt', says: /empty/ },
  { what: 'a missing required file', files: { 'train.txt': '0 1 2\n' }, format: 'kgat', file: 'test.txt', says: /missing/ },
  { what: 'an unknown format', files: { 'data.csv': 'a,b,c\n' }, file: '', says: /unknown dataset format/ },
  {
    what: 'binary garbage',
    files: { 'ratings_final.txt': Buffer.from([0x30, 0x09, 0x30, 0x09, 0x31, 0x0a, 0x00, 0xff, 0xfe, 0x13, 0x0a]), 'kg_final.txt': KGCN_KG },
    file: 'ratings_final.txt',
    line: 2,
    says: /binary|UTF-8/,
  },
  {
    what: 'a RecBole header without item_id',
    files: { 'x.inter': 'user_id:token\tthing:token\n1\t2\n' },
    file: 'x.inter',
    line: 1,
    says: /item_id/,
  },
];

describe('bad input', () => {
  for (const bad of badInputs) {
    it(`${bad.what}: fails naming file and line, and nothing is written`, async () => {
      const dir = datasetDir(bad.files);
      const name = uniqueName('bad');
      const error = await ingestDataset(runner, { dir, name, ...(bad.format ? { format: bad.format } : {}) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetFormatError);
      const message = (error as Error).message;
      expect(message).toContain(path.join(dir, bad.file));
      if (bad.line !== undefined) expect(message).toContain(`${bad.file}:${bad.line}`);
      expect(message).toMatch(bad.says);
      expect(await getDataset(runner, name)).toBeUndefined();
      expect((await countDatasetGraph(runner, name)).users).toBe(0);
    });
  }

  it('a directory that does not exist is a clear error', async () => {
    const error = await ingestDataset(runner, { dir: '/nonexistent/kgneg-data' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as Error).message).toContain('/nonexistent/kgneg-data');
  });
});

describe('tolerated input', () => {
  it('CRLF line endings and a UTF-8 BOM load exactly like plain LF', async () => {
    const plain = datasetDir({ 'ratings_final.txt': GOOD_RATINGS, 'kg_final.txt': KGCN_KG });
    const windows = datasetDir({
      'ratings_final.txt': `\uFEFF${GOOD_RATINGS.replace(/\n/g, '\r\n')}`,
      'kg_final.txt': `\uFEFF${KGCN_KG.replace(/\n/g, '\r\n')}`,
    });
    const a = await ingestDataset(runner, { dir: plain, name: uniqueName('lf') });
    const b = await ingestDataset(runner, { dir: windows, name: uniqueName('crlf') });
    expect(b.counts).toEqual(a.counts);
    expect(a.counts).toMatchObject({ users: 2, items: 2, interactions: 3, triples: 2, entities: 4 });
  });

  it('duplicate lines are folded into one record and counted', async () => {
    const dir = datasetDir({ 'ratings_final.txt': `${GOOD_RATINGS}0\t0\t1\n0\t0\t1\n`, 'kg_final.txt': `${KGCN_KG}0\t0\t2\n` });
    const report = await ingestDataset(runner, { dir, name: uniqueName('dups') });
    expect(report.counts.interactions).toBe(3);
    expect(report.counts.triples).toBe(2);
    expect(report.duplicates).toEqual({ interactions: 2, exposures: 0, triples: 1 });
  });

  it('names and ids with quotes, braces and Cypher keywords are stored as data, never run', async () => {
    const evil = `x'}) DETACH DELETE n //"{{label}}`;
    const dir = datasetDir({
      'evil.inter': `user_id:token\titem_id:token\trating:float\n${evil}\tMATCH (n) DELETE n\t5\nu2\t} RETURN 1 {\t3\n`,
    });
    const name = `${evil} ${uniqueName('n')}`;
    const report = await ingestDataset(runner, { dir, name });
    expect(report.counts).toMatchObject({ users: 2, items: 2, interactions: 2 });
    const rows = await runner.autoCommitText<{ userId: string; itemId: string }>(
      'MATCH (u:User {dataset: $name})-[:INTERACTED]->(i:Item) RETURN u.userId AS userId, i.itemId AS itemId ORDER BY userId',
      { name },
    );
    expect(rows).toEqual([
      { userId: 'u2', itemId: '} RETURN 1 {' },
      { userId: evil, itemId: 'MATCH (n) DELETE n' },
    ]);
    expect((await getDataset(runner, name))?.name).toBe(name);
  });
});
