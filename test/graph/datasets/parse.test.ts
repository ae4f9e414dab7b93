import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseDataset } from '../../../src/graph/datasets/parse.js';
import type { DatasetFormat } from '../../../src/graph/datasets/records.js';
import { expectFormatError, useTempDirs } from './fixtures.js';

const makeDir = useTempDirs();

describe('parseDataset', () => {
  it('detects the format and parses', async () => {
    const parsed = await parseDataset(await makeDir({ 'ratings_final.txt': '0\t1\t1\n', 'kg_final.txt': '1\t0\t2\n' }));
    expect(parsed.format).toBe('kgcn');
    expect(parsed.interactions).toEqual([{ userId: 0, itemId: 1, split: null }]);
  });

  it('uses an explicit format instead of detecting', async () => {
    const dir = await makeDir({ 'ratings_final.txt': '0\t1\t1\n', 'kg_final.txt': '1\t0\t2\n', 'behaviors.tsv': 'x' });
    expect((await parseDataset(dir, { format: 'kgcn' })).format).toBe('kgcn');
  });

  it('rejects an unknown explicit format, listing the known ones', async () => {
    const dir = await makeDir({});
    await expectFormatError(parseDataset(dir, { format: 'parquet' as DatasetFormat }), {
      file: dir,
      message: 'unknown dataset format "parquet"; known formats: kgat, kgcn, recbole, mind',
    });
  });

  it('sends format csv to a mapping file: a directory has no columns to map', async () => {
    const dir = await makeDir({ 'ratings.csv': 'u,i\n1,2\n' });
    const error = await expectFormatError(parseDataset(dir, { format: 'csv' }), { file: dir, message: /format "csv" is not read from a directory: a mapping file names/ });
    expect(error.hint).toContain('--mapping FILE');
  });

  it('rejects a directory that does not exist, even with a format', async () => {
    const missing = join(await makeDir({}), 'missing');
    await expectFormatError(parseDataset(missing, { format: 'kgat' }), { file: 'missing', message: 'dataset directory does not exist' });
  });

  it('reports every file it reads, sorted by path', async () => {
    const dir = await makeDir({ 'train.txt': '0 1\n', 'test.txt': '0 2\n', 'user_list.txt': 'org_id remap_id\nu 0\n' });
    const seen: string[] = [];
    const parsed = await parseDataset(dir, { onFileRead: (f) => seen.push(f.path) });
    expect(parsed.sourceFiles.map((f) => f.path)).toEqual(['test.txt', 'train.txt', 'user_list.txt'].map((n) => join(dir, n)));
    expect([...seen].sort()).toEqual(parsed.sourceFiles.map((f) => f.path));
  });
});
