/**
 * The dataset checksum decides whether a re-ingestion is a no-op, so its
 * formula must not drift: a directory ingested by an earlier kgneg, with the
 * same files, must still give the checksum stored then. Files that only add
 * item properties (RecBole .item, MIND news.tsv) are left out of the graph's
 * checksum, which is how a dataset ingested before .item files were read is
 * recognised as the same graph.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';

import { datasetChecksum } from '../../../src/graph/datasets/ingest.js';
import { parseDataset } from '../../../src/graph/datasets/parse.js';
import { useTempDirs } from './fixtures.js';

const makeDir = useTempDirs();

/** The formula as it was before item attribute files existed: format, then "\n<name> <sha256>" per file by path. */
function referenceChecksum(format: string, files: string[]): string {
  const hash = createHash('sha256').update(format);
  for (const file of [...files].sort()) hash.update(`\n${basename(file)} ${createHash('sha256').update(readFileSync(file)).digest('hex')}`);
  return hash.digest('hex');
}

const INTER = 'user_id:token\titem_id:token\trating:float\n1\t10\t4\n2\t11\t5\n';
const ITEM = 'item_id:token\tmovie_title:token_seq\n10\tTen\n11\tEleven\n';

describe('datasetChecksum', () => {
  it('is unchanged for a directory without item attribute files, and the graph checksum equals it', async () => {
    const dir = await makeDir({ 'toy.inter': INTER, 'toy.user': 'user_id:token\n1\n' });
    const parsed = await parseDataset(dir);
    expect(parsed.itemAttributeFiles).toEqual([]);
    expect(datasetChecksum(parsed)).toBe(referenceChecksum('recbole', [`${dir}/toy.inter`]));
    expect(datasetChecksum(parsed, parsed.itemAttributeFiles)).toBe(datasetChecksum(parsed));
  });

  it('covers a .item file, and leaves it out of the graph checksum', async () => {
    const plain = await parseDataset(await makeDir({ 'toy.inter': INTER }));
    const dir = await makeDir({ 'toy.inter': INTER, 'toy.item': ITEM });
    const titled = await parseDataset(dir);
    expect(datasetChecksum(titled)).toBe(referenceChecksum('recbole', [`${dir}/toy.inter`, `${dir}/toy.item`]));
    expect(datasetChecksum(titled)).not.toBe(datasetChecksum(plain));
    expect(datasetChecksum(titled, titled.itemAttributeFiles)).toBe(datasetChecksum(plain));
  });
});
