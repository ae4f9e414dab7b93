import { describe, expect, it } from 'vitest';

import { parseKgat } from '../../../../src/graph/datasets/formats/kgat.js';
import { expectFormatError, useTempDirs, windowsText, withoutSourceFiles } from '../fixtures.js';

const makeDir = useTempDirs();

const SMALL = {
  'train.txt': '0 0 1 2\n1 1 3\n2 2\n',
  'test.txt': '0 3\n1 0\n2\n',
  'user_list.txt': 'org_id remap_id\nA 0\nB 1\nC 2\nD 3\n',
  'item_list.txt': 'org_id remap_id freebase_id\nb0 0 m.a\nb1 1 m.b\nb2 2 m.c\nb3 3 m.d\n',
  'relation_list.txt': 'org_id remap_id\nhttp://x/author 0\nhttp://x/genre 1\n',
  'kg_final.txt': '0 0 4\n1 0 4\n2 1 5\n5 1 3\n',
};

describe('parseKgat on small fixtures', () => {
  it('reads lists, fixed splits, the KG and relation names', async () => {
    const parsed = await parseKgat(await makeDir(SMALL));
    expect(parsed.users).toEqual([
      { userId: 0, orgId: 'A' },
      { userId: 1, orgId: 'B' },
      { userId: 2, orgId: 'C' },
      { userId: 3, orgId: 'D' },
    ]);
    expect(parsed.items.map((i) => [i.itemId, i.entityId, i.orgId, i.attributes?.['freebaseId']])).toEqual([
      [0, 0, 'b0', 'm.a'],
      [1, 1, 'b1', 'm.b'],
      [2, 2, 'b2', 'm.c'],
      [3, 3, 'b3', 'm.d'],
    ]);
    expect(parsed.interactions).toEqual([
      { userId: 0, itemId: 0, split: 'train' },
      { userId: 0, itemId: 1, split: 'train' },
      { userId: 0, itemId: 2, split: 'train' },
      { userId: 1, itemId: 1, split: 'train' },
      { userId: 1, itemId: 3, split: 'train' },
      { userId: 2, itemId: 2, split: 'train' },
      { userId: 0, itemId: 3, split: 'test' },
      { userId: 1, itemId: 0, split: 'test' },
    ]);
    expect(parsed.relations).toEqual([
      { relationId: 0, name: 'http://x/author' },
      { relationId: 1, name: 'http://x/genre' },
    ]);
    expect(parsed.triples).toHaveLength(4);
    expect(parsed.entities).toEqual([4, 5]);
    expect(parsed.relationless).toBe(false);
    expect(parsed.idTypes).toEqual({ user: 'int', item: 'int', entity: 'int', relation: 'int' });
  });

  it('names relations r<id> without relation_list.txt, and takes users and items from the interactions', async () => {
    const parsed = await parseKgat(
      await makeDir({ 'train.txt': '5 10 11\n', 'test.txt': '6 12\n', 'kg_final.txt': '10 3 99\n' }),
    );
    expect(parsed.users.map((u) => u.userId)).toEqual([5, 6]);
    expect(parsed.items.map((i) => i.itemId)).toEqual([10, 11, 12]);
    expect(parsed.relations).toEqual([{ relationId: 3, name: 'r3' }]);
    expect(parsed.entities).toEqual([99]);
  });

  it('keeps item_entity_edges.txt counts, and entities that are items stay items', async () => {
    const parsed = await parseKgat(
      await makeDir({ 'train.txt': '0 0 1\n', 'test.txt': '0 2\n', 'item_entity_edges.txt': '0 1 2\n0 7 1\n1 7 3\n' }),
    );
    expect(parsed.relationless).toBe(true);
    expect(parsed.triples).toEqual([
      { headId: 0, relationId: -1, tailId: 1, count: 2 },
      { headId: 0, relationId: -1, tailId: 7, count: 1 },
      { headId: 1, relationId: -1, tailId: 7, count: 3 },
    ]);
    expect(parsed.entities).toEqual([7]);
  });

  it('prefers kg_final.txt when item_entity_edges.txt is also there', async () => {
    const parsed = await parseKgat(
      await makeDir({ 'train.txt': '0 0\n', 'test.txt': '0 1\n', 'kg_final.txt': '0 0 5\n', 'item_entity_edges.txt': '0 5 1\n' }),
    );
    expect(parsed.relationless).toBe(false);
    expect(parsed.sourceFiles.map((f) => f.path.split('/').pop())).toEqual(['kg_final.txt', 'test.txt', 'train.txt']);
  });

  it('folds repeated interactions and triples, counting them', async () => {
    const parsed = await parseKgat(
      await makeDir({ 'train.txt': '0 1 1 2\n0 2\n', 'test.txt': '0 1\n0 3\n', 'kg_final.txt': '1 0 9\n1 0 9\n1 1 9\n' }),
    );
    // (0,1) twice in train, (0,2) on a second train line, (0,1) again in test: the first (train) wins.
    expect(parsed.interactions).toEqual([
      { userId: 0, itemId: 1, split: 'train' },
      { userId: 0, itemId: 2, split: 'train' },
      { userId: 0, itemId: 3, split: 'test' },
    ]);
    expect(parsed.duplicates).toEqual({ interactions: 3, exposures: 0, triples: 1 });
    expect(parsed.triples).toHaveLength(2);
  });

  it('reads list files without their header line the same as with it', async () => {
    const withHeader = await parseKgat(await makeDir(SMALL));
    const headerless = Object.fromEntries(
      Object.entries(SMALL).map(([name, text]) => [name, name.endsWith('_list.txt') ? text.slice(text.indexOf('\n') + 1) : text]),
    );
    expect(headerless['item_list.txt']).toBe('b0 0 m.a\nb1 1 m.b\nb2 2 m.c\nb3 3 m.d\n');
    const without = await parseKgat(await makeDir(headerless));
    expect(withoutSourceFiles(without)).toEqual(withoutSourceFiles(withHeader));
    expect(without.items[0]).toMatchObject({ itemId: 0, orgId: 'b0', attributes: { freebaseId: 'm.a' } });
    // Mixed: one list with its header, one without; a header-less list may also leave out freebase_id.
    const mixed = await parseKgat(await makeDir({ ...SMALL, 'user_list.txt': 'A 0\nB 1\nC 2\nD 3\n', 'item_list.txt': 'b0 0\nb1 1\n' }));
    expect(mixed.users).toEqual(withHeader.users);
    expect(mixed.items.map((i) => [i.itemId, i.orgId, i.attributes])).toEqual([
      [0, 'b0', undefined],
      [1, 'b1', undefined],
      [2, undefined, undefined],
      [3, undefined, undefined],
    ]);
  });

  it('reads CRLF files with a BOM the same as LF files', async () => {
    const lf = await parseKgat(await makeDir(SMALL));
    const windows = Object.fromEntries(Object.entries(SMALL).map(([name, text]) => [name, windowsText(text)]));
    const crlf = await parseKgat(await makeDir(windows));
    expect(withoutSourceFiles(crlf)).toEqual(withoutSourceFiles(lf));
  });
});

describe('parseKgat errors', () => {
  it('rejects a non-integer item id with its line and column', async () => {
    const dir = await makeDir({ ...SMALL, 'train.txt': '0 0 1\n1 1 x3\n' });
    await expectFormatError(parseKgat(dir), {
      file: 'train.txt',
      line: 2,
      message: 'expected an integer id in column 3 (item), found "x3"',
    });
  });

  it('rejects a KG line with the wrong column count', async () => {
    const dir = await makeDir({ ...SMALL, 'kg_final.txt': '0 0 4\n1 0\n' });
    await expectFormatError(parseKgat(dir), {
      file: 'kg_final.txt',
      line: 2,
      message: 'expected 3 whitespace-separated columns (head relation tail), found 2',
    });
  });

  it('rejects a relation missing from relation_list.txt', async () => {
    const dir = await makeDir({ ...SMALL, 'kg_final.txt': '0 0 4\n0 7 4\n' });
    await expectFormatError(parseKgat(dir), { file: 'kg_final.txt', line: 2, message: /relation 7 is not listed/ });
  });

  it('rejects an item_entity_edges.txt head that is not an item', async () => {
    const dir = await makeDir({ 'train.txt': '0 0\n', 'test.txt': '0 1\n', 'item_entity_edges.txt': '0 5 1\n42 5 1\n' });
    await expectFormatError(parseKgat(dir), { file: 'item_entity_edges.txt', line: 2, message: /item 42 .* is not an item/ });
  });

  it('rejects a zero count', async () => {
    const dir = await makeDir({ 'train.txt': '0 0\n', 'test.txt': '0 1\n', 'item_entity_edges.txt': '0 5 0\n' });
    await expectFormatError(parseKgat(dir), { file: 'item_entity_edges.txt', line: 1, message: /positive integer/ });
  });

  it('rejects an empty train.txt and a missing test.txt', async () => {
    await expectFormatError(parseKgat(await makeDir({ 'train.txt': '', 'test.txt': '0 1\n' })), {
      file: 'train.txt',
      message: /file is empty; expected lines of "user item item/,
    });
    await expectFormatError(parseKgat(await makeDir({ 'train.txt': '0 1\n' })), {
      file: 'test.txt',
      message: 'required file is missing',
    });
  });

  it('rejects a remap id listed twice, with or without a header', async () => {
    await expectFormatError(parseKgat(await makeDir({ ...SMALL, 'user_list.txt': 'org_id remap_id\nA 0\nB 0\n' })), {
      file: 'user_list.txt',
      line: 3,
      message: 'remap_id 0 is already listed on line 2',
    });
    await expectFormatError(parseKgat(await makeDir({ ...SMALL, 'user_list.txt': 'A 0\nB 0\n' })), {
      file: 'user_list.txt',
      line: 2,
      message: 'remap_id 0 is already listed on line 1',
    });
  });

  it('rejects a malformed list line with its file:line, with or without a header', async () => {
    // Headerless: a later row whose remap_id is not an integer.
    await expectFormatError(parseKgat(await makeDir({ ...SMALL, 'item_list.txt': 'b0 0 m.a\nb1 x1 m.b\n' })), {
      file: 'item_list.txt',
      line: 2,
      message: 'expected an integer id in column 2 (remap_id), found "x1"',
    });
    // Headerless: the first row fixes the column count.
    await expectFormatError(parseKgat(await makeDir({ ...SMALL, 'item_list.txt': 'b0 0 m.a\nb1 1\n' })), {
      file: 'item_list.txt',
      line: 2,
      message: 'expected 3 whitespace-separated columns (org_id remap_id freebase_id), found 2',
    });
    // With a header: the header fixes it.
    await expectFormatError(parseKgat(await makeDir({ ...SMALL, 'relation_list.txt': 'org_id remap_id\nhttp://x/author 0\nhttp://x/genre 1 extra\n' })), {
      file: 'relation_list.txt',
      line: 3,
      message: 'expected 2 whitespace-separated columns (org_id remap_id), found 3',
    });
    // A first line that is neither a known header nor a row with an integer remap_id.
    await expectFormatError(parseKgat(await makeDir({ ...SMALL, 'user_list.txt': 'A x\nB 1\n' })), {
      file: 'user_list.txt',
      line: 1,
      message: /expected a header \("org_id remap_id" or "org_id remap_id freebase_id"\) or a row "org_id remap_id" with an integer in column 2 \(remap_id\), found "A x"/,
    });
    await expectFormatError(parseKgat(await makeDir({ ...SMALL, 'user_list.txt': 'id remap\nA 0\n' })), {
      file: 'user_list.txt',
      line: 1,
      message: /expected a header/,
    });
    // A header line further down is a malformed row.
    await expectFormatError(parseKgat(await makeDir({ ...SMALL, 'user_list.txt': 'A 0\norg_id remap_id\n' })), {
      file: 'user_list.txt',
      line: 2,
      message: 'expected an integer id in column 2 (remap_id), found "remap_id"',
    });
  });

  it('rejects binary garbage in train.txt', async () => {
    const dir = await makeDir({ ...SMALL, 'train.txt': Buffer.from([0x30, 0x20, 0x31, 0x0a, 0x00, 0xff, 0xfe, 0x0a]) });
    await expectFormatError(parseKgat(dir), { file: 'train.txt', line: 2, message: /binary or non-UTF-8/ });
  });
});
