import { describe, expect, it } from 'vitest';

import { parseKgcn } from '../../../../src/graph/datasets/formats/kgcn.js';
import { expectFormatError, useTempDirs, windowsText, withoutSourceFiles } from '../fixtures.js';

const makeDir = useTempDirs();

const SMALL = {
  'ratings_final.txt': '0\t0\t1\n0\t2\t0\n1\t1\t1\n2\t3\t0\n',
  'kg_final.txt': '0\t0\t10\n1\t1\t10\n3\t0\t11\n',
  'kg.txt': '0\tmusic.artist.origin\t10\n1\tmusic.genre\t10\n3\tmusic.artist.origin\t11\n',
  'item_index2entity_id.txt': '2\t0\n3\t1\n4\t2\n6\t3\n8\t4\n',
};

describe('parseKgcn on small fixtures', () => {
  it('keeps label-1 rows, counts users of any row, names relations from kg.txt', async () => {
    const parsed = await parseKgcn(await makeDir(SMALL));
    expect(parsed.users.map((u) => u.userId)).toEqual([0, 1, 2]);
    expect(parsed.interactions).toEqual([
      { userId: 0, itemId: 0, split: null },
      { userId: 1, itemId: 1, split: null },
    ]);
    expect(parsed.items.map((i) => [i.itemId, i.orgId])).toEqual([
      [0, '2'],
      [2, '4'],
      [1, '3'],
      [3, '6'],
      [4, '8'],
    ]);
    expect(parsed.relations).toEqual([
      { relationId: 0, name: 'music.artist.origin' },
      { relationId: 1, name: 'music.genre' },
    ]);
    expect(parsed.entities).toEqual([10, 11]);
  });

  it('names relations r<id> without kg.txt and needs no item index file', async () => {
    const parsed = await parseKgcn(
      await makeDir({ 'ratings_final.txt': SMALL['ratings_final.txt'], 'kg_final.txt': SMALL['kg_final.txt'] }),
    );
    expect(parsed.relations).toEqual([
      { relationId: 0, name: 'r0' },
      { relationId: 1, name: 'r1' },
    ]);
    expect(parsed.items.map((i) => i.itemId)).toEqual([0, 2, 1, 3]);
  });

  it('folds duplicate positives and triples', async () => {
    const parsed = await parseKgcn(
      await makeDir({ 'ratings_final.txt': '0\t0\t1\n0\t0\t1\n0\t0\t0\n', 'kg_final.txt': '0\t0\t5\n0\t0\t5\n' }),
    );
    expect(parsed.interactions).toHaveLength(1);
    expect(parsed.triples).toHaveLength(1);
    expect(parsed.duplicates).toEqual({ interactions: 1, exposures: 0, triples: 1 });
  });

  it('reads item_index2entity_id.txt with a header line the same as without', async () => {
    const without = await parseKgcn(await makeDir(SMALL));
    for (const header of ['item_id\titem_index', 'original_item_id\titem_index', 'org_id\tremap_id']) {
      const withHeader = await parseKgcn(await makeDir({ ...SMALL, 'item_index2entity_id.txt': `${header}\n${SMALL['item_index2entity_id.txt']}` }));
      expect(withoutSourceFiles(withHeader)).toEqual(withoutSourceFiles(without));
    }
    // Non-numeric original ids (KGCN's book data uses ISBNs) are rows, not a header.
    const isbn = await parseKgcn(await makeDir({ ...SMALL, 'item_index2entity_id.txt': '034545104X\t0\n0155061224\t1\n' }));
    expect(isbn.items.map((i) => [i.itemId, i.orgId])).toEqual([
      [0, '034545104X'],
      [2, undefined],
      [1, '0155061224'],
      [3, undefined],
    ]);
    expect(without.itemAttributeFiles).toEqual([]);
  });

  it('reads CRLF files with a BOM the same as LF files', async () => {
    const lf = await parseKgcn(await makeDir(SMALL));
    const windows = Object.fromEntries(Object.entries(SMALL).map(([name, text]) => [name, windowsText(text)]));
    expect(withoutSourceFiles(await parseKgcn(await makeDir(windows)))).toEqual(withoutSourceFiles(lf));
  });
});

describe('parseKgcn errors', () => {
  it('rejects a label other than 0 or 1', async () => {
    const dir = await makeDir({ ...SMALL, 'ratings_final.txt': '0\t0\t1\n0\t1\t2\n' });
    await expectFormatError(parseKgcn(dir), { file: 'ratings_final.txt', line: 2, message: 'expected 0 or 1 in column 3 (label), found "2"' });
  });

  it('rejects space-separated lines, saying tabs are expected', async () => {
    const dir = await makeDir({ ...SMALL, 'ratings_final.txt': '0 0 1\n' });
    const e = await expectFormatError(parseKgcn(dir), {
      file: 'ratings_final.txt',
      line: 1,
      message: 'expected 3 tab-separated columns (user item label), found 1',
    });
    expect(e.hint).toMatch(/tab/);
  });

  it('rejects a non-integer id in kg_final.txt', async () => {
    const dir = await makeDir({ ...SMALL, 'kg_final.txt': '0\t0\t10\nm.01\t0\t10\n' });
    await expectFormatError(parseKgcn(dir), { file: 'kg_final.txt', line: 2, message: 'expected an integer id in column 1 (head), found "m.01"' });
  });

  it('rejects kg.txt lines that do not match kg_final.txt, naming the kg.txt line', async () => {
    const kg = '0\tmusic.artist.origin\t10\n\n1\tmusic.genre\t12\n3\tmusic.artist.origin\t11\n';
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'kg.txt': kg })), {
      file: 'kg.txt',
      line: 3,
      message: /has "1 \.\.\. 12" where .*kg_final\.txt:2 has "1 \.\.\. 10"/,
    });
  });

  it('rejects a kg.txt with fewer or more lines than kg_final.txt', async () => {
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'kg.txt': '0\tmusic.artist.origin\t10\n' })), {
      file: 'kg.txt',
      message: /ends before .*kg_final\.txt:2/,
    });
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'kg.txt': `${SMALL['kg.txt']}4\tx\t5\n` })), {
      file: 'kg.txt',
      line: 4,
      message: /has more lines than/,
    });
  });

  it('rejects one relation id with two names', async () => {
    const kg = '0\tmusic.artist.origin\t10\n1\tmusic.genre\t10\n3\tmusic.other\t11\n';
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'kg.txt': kg })), {
      file: 'kg.txt',
      line: 3,
      message: 'relation 0 is named "music.other" here but "music.artist.origin" on line 1',
    });
  });

  it('rejects an item index mapped twice', async () => {
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'item_index2entity_id.txt': '2\t0\n3\t0\n' })), {
      file: 'item_index2entity_id.txt',
      line: 2,
      message: 'item index 0 is already mapped on line 1',
    });
  });

  it('rejects a malformed item_index2entity_id.txt line with its file:line, with or without a header', async () => {
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'item_index2entity_id.txt': '2\t0\n3\tx1\n' })), {
      file: 'item_index2entity_id.txt',
      line: 2,
      message: 'expected an integer id in column 2 (item_index), found "x1"',
    });
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'item_index2entity_id.txt': 'item_id\titem_index\n2\t0\n3 1\n' })), {
      file: 'item_index2entity_id.txt',
      line: 3,
      message: 'expected 2 tab-separated columns (item_id item_index), found 1',
    });
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'item_index2entity_id.txt': '2\t0\n\t1\n' })), {
      file: 'item_index2entity_id.txt',
      line: 2,
      message: 'expected a value in column 1 (original_item_id), found an empty field',
    });
    // A first line with an id in it is a row, so it must parse: not a header.
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'item_index2entity_id.txt': '2\tm.0x1\n3\t1\n' })), {
      file: 'item_index2entity_id.txt',
      line: 1,
      message: /expected a header \(two column names such as "item_id<TAB>item_index"\) or a row "original_item_id item_index" with an integer in column 2 \(item_index\), found "2\\tm.0x1"/,
    });
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'item_index2entity_id.txt': '2\t99999999999999999999\n' })), {
      file: 'item_index2entity_id.txt',
      line: 1,
      message: /expected an integer id in column 2 \(item_index\)/,
    });
  });

  it('rejects a missing kg_final.txt and an empty ratings file', async () => {
    await expectFormatError(parseKgcn(await makeDir({ 'ratings_final.txt': '0\t0\t1\n' })), {
      file: 'kg_final.txt',
      message: 'required file is missing',
    });
    await expectFormatError(parseKgcn(await makeDir({ ...SMALL, 'ratings_final.txt': '\n\n' })), {
      file: 'ratings_final.txt',
      message: /file is empty; expected tab-separated lines of "user item label"/,
    });
  });
});
