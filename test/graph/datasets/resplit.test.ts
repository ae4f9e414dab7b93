import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/graph/connection.js';
import { ingestDataset } from '../../../src/graph/datasets/ingest.js';
import { resplitDataset } from '../../../src/graph/datasets/resplit.js';
import { KgnegError } from '../../../src/graph/errors.js';
import type { QueryRunner } from '../../../src/graph/query-runner.js';
import { openTestRunner, uniqueName } from '../../support/neo4j.js';

let runner: QueryRunner;
let connection: Connection;
beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
});
afterAll(async () => connection.close());

/** 100 users x 10 positives, KGCN format: 1,000 interactions. */
function syntheticKgcn(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-resplit-'));
  const lines: string[] = [];
  for (let u = 0; u < 100; u += 1) for (let k = 0; k < 10; k += 1) lines.push(`${u}\t${(u * 7 + k * 13) % 300}\t1`);
  writeFileSync(path.join(dir, 'ratings_final.txt'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(dir, 'kg_final.txt'), '0\t0\t300\n1\t1\t301\n');
  return dir;
}

async function splitsByKey(name: string): Promise<Map<string, string>> {
  const rows = await runner.read<{ key: string; split: string }>('dataset/list-interaction-keys', { dataset: name });
  return new Map(rows.map((r) => [r.key, r.split]));
}

describe('resplitDataset', () => {
  it('applies another seed from what Neo4j holds, and the ingestion seed reproduces the ingestion split', async () => {
    const name = uniqueName('resplit');
    const report = await ingestDataset(runner, { dir: syntheticKgcn(), name, splitSeed: 1 });
    expect(report.counts).toMatchObject({ interactions: 1000, trainInteractions: 600, validInteractions: 200, testInteractions: 200 });
    const original = await splitsByKey(name);

    const other = await resplitDataset(runner, name, 2);
    expect(other.interactions).toEqual({ train: 600, valid: 200, test: 200 });
    expect(other.changed).toBeGreaterThan(300);
    const changed = await splitsByKey(name);
    expect([...changed].filter(([key, split]) => original.get(key) !== split).length).toBe(other.changed);

    const back = await resplitDataset(runner, name, 1);
    expect(back.changed).toBe(other.changed);
    expect(await splitsByKey(name)).toEqual(original);
  });

  it('refuses a dataset whose split is fixed by its files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-resplit-kgat-'));
    writeFileSync(path.join(dir, 'train.txt'), '0 1 2\n1 2\n');
    writeFileSync(path.join(dir, 'test.txt'), '0 3\n1 1\n');
    const name = uniqueName('fixed');
    await ingestDataset(runner, { dir, name });
    await expect(resplitDataset(runner, name, 3)).rejects.toThrow(KgnegError);
    await expect(resplitDataset(runner, name, 3)).rejects.toThrow(/fixed split/);
  });
});
