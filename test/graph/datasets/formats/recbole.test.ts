import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseRecbole } from '../../../../src/graph/datasets/formats/recbole.js';
import { expectFormatError, useTempDirs, windowsText, withoutSourceFiles } from '../fixtures.js';

const makeDir = useTempDirs();

const SMALL = {
  'toy.inter': 'user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t4\t100\n1\t11\t3.5\t90\n2\t10\t5\t\n',
  'toy.kg': 'head_id:token\trelation_id:token\ttail_id:token\nm.a\tfilm.genre\tm.g\nm.b\tfilm.genre\tm.g\nm.g\tgenre.films\tm.a\n',
  'toy.link': 'item_id:token\tentity_id:token\n10\tm.a\n12\tm.b\n',
  'toy.user': 'user_id:token\tage:token\n1\t20\n',
};

describe('parseRecbole on small fixtures', () => {
  it('keeps token ids as strings, floats as numbers, and links items to entities', async () => {
    const parsed = await parseRecbole(await makeDir(SMALL));
    expect(parsed.users).toEqual([{ userId: '1' }, { userId: '2' }]);
    expect(parsed.interactions).toEqual([
      { userId: '1', itemId: '10', split: null, rating: 4, timestamp: 100 },
      { userId: '1', itemId: '11', split: null, rating: 3.5, timestamp: 90 },
      { userId: '2', itemId: '10', split: null, rating: 5 },
    ]);
    expect(parsed.items).toEqual([{ itemId: '10', entityId: 'm.a' }, { itemId: '11' }, { itemId: '12', entityId: 'm.b' }]);
    // Linked entities are the items' nodes; triples keep the entity ids.
    expect(parsed.entities).toEqual(['m.g']);
    expect(parsed.triples[0]).toEqual({ headId: 'm.a', relationId: 'film.genre', tailId: 'm.g' });
    expect(parsed.relations).toEqual([
      { relationId: 'film.genre', name: 'film.genre' },
      { relationId: 'genre.films', name: 'genre.films' },
    ]);
  });

  it('needs only user_id and item_id, in any column order', async () => {
    const parsed = await parseRecbole(await makeDir({ 'x.inter': 'item_id:token\tuser_id:token\n5\t007\n5\t7\n' }));
    // "007" and "7" are different tokens.
    expect(parsed.interactions).toEqual([
      { userId: '007', itemId: '5', split: null },
      { userId: '7', itemId: '5', split: null },
    ]);
    expect(parsed.relations).toEqual([]);
  });

  it('keeps ids with quotes, braces and Cypher keywords verbatim', async () => {
    const odd = ['"}) MATCH (n) DETACH DELETE n //', "it's {a:1}", 'RETURN', '`x`', '$param', 'ü €'];
    const lines = odd.map((id, i) => `${id}\t${odd[(i + 1) % odd.length]}`).join('\n');
    const parsed = await parseRecbole(await makeDir({ 'odd.inter': `user_id:token\titem_id:token\n${lines}\n` }));
    expect(parsed.users.map((u) => u.userId)).toEqual(odd);
    expect(parsed.items.map((i) => i.itemId)).toEqual([...odd.slice(1), odd[0]]);
  });

  it('folds repeated interactions and triples', async () => {
    const parsed = await parseRecbole(
      await makeDir({
        'd.inter': 'user_id:token\titem_id:token\trating:float\n1\t2\t5\n1\t2\t1\n',
        'd.kg': 'head_id:token\trelation_id:token\ttail_id:token\na\tr\tb\na\tr\tb\n',
      }),
    );
    expect(parsed.interactions).toEqual([{ userId: '1', itemId: '2', split: null, rating: 5 }]);
    expect(parsed.duplicates).toEqual({ interactions: 1, exposures: 0, triples: 1 });
  });

  it('reads CRLF files with a BOM the same as LF files', async () => {
    const lf = await parseRecbole(await makeDir(SMALL));
    const windows = Object.fromEntries(Object.entries(SMALL).map(([name, text]) => [name, windowsText(text)]));
    expect(withoutSourceFiles(await parseRecbole(await makeDir(windows)))).toEqual(withoutSourceFiles(lf));
  });
});

const ITEM_HEADER = 'item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq';
const TOY_ITEM = `${ITEM_HEADER}\n10\tThe "First" Film\t1995\tAnimation Children's Comedy\n12\tLinked Only\tunknown\t\n99\tNot In The Data\t2001\tDrama\n`;

describe('parseRecbole .item files', () => {
  it('gives the items the data names a title, a year and genres, and skips rows for other items', async () => {
    const dir = await makeDir({ ...SMALL, 'toy.item': TOY_ITEM });
    const parsed = await parseRecbole(dir);
    expect(parsed.items).toEqual([
      { itemId: '10', entityId: 'm.a', attributes: { title: 'The "First" Film', year: 1995, genres: ['Animation', "Children's", 'Comedy'] } },
      { itemId: '11' },
      // A year that is not a number is left out, an empty genre list too.
      { itemId: '12', entityId: 'm.b', attributes: { title: 'Linked Only' } },
    ]);
    expect(parsed.sourceFiles.map((f) => f.path.slice(dir.length + 1))).toEqual(['toy.inter', 'toy.item', 'toy.kg', 'toy.link']);
    expect(parsed.itemAttributeFiles).toEqual([join(dir, 'toy.item')]);
    // Everything else is what the same files give without toy.item.
    const without = await parseRecbole(await makeDir(SMALL));
    expect(without.itemAttributeFiles).toEqual([]);
    const strip = (p: typeof parsed) => ({ ...withoutSourceFiles(p), items: p.items.map(({ attributes: _a, ...rest }) => rest), itemAttributeFiles: [] });
    expect(strip(parsed)).toEqual(strip(without));
  });

  it('takes other columns, in any order, by the names RecBole datasets use', async () => {
    const item = 'price:float\tcategories:token_seq\tyear:float\ttitle:token\titem_id:token\n\tBooks Fiction\t1999.0\tA Book\t10\n9.5\t\t\t\t11\n';
    const parsed = await parseRecbole(await makeDir({ 'toy.inter': SMALL['toy.inter'], 'toy.item': item }));
    expect(parsed.items).toEqual([{ itemId: '10', attributes: { title: 'A Book', year: 1999, genres: ['Books', 'Fiction'] } }, { itemId: '11' }]);
    // Only item_id is required; a class declared as one token is one genre.
    const plain = await parseRecbole(await makeDir({ 'toy.inter': SMALL['toy.inter'], 'toy.item': 'item_id:token\tclass:token\n11\tSci Fi\n' }));
    expect(plain.items).toEqual([{ itemId: '10' }, { itemId: '11', attributes: { genres: ['Sci Fi'] } }]);
  });

  it('reads a CRLF .item with a BOM the same as an LF one', async () => {
    const lf = await parseRecbole(await makeDir({ ...SMALL, 'toy.item': TOY_ITEM }));
    const crlf = await parseRecbole(await makeDir({ ...SMALL, 'toy.item': windowsText(TOY_ITEM) }));
    expect(withoutSourceFiles(crlf)).toEqual(withoutSourceFiles(lf));
  });

  it('rejects malformed .item lines with their file:line, before anything is returned', async () => {
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.item': `${ITEM_HEADER}\n10\tA\t1995\tDrama\n11\tB\t1996\n` })), {
      file: 'toy.item',
      line: 3,
      message: 'expected 4 tab-separated columns (item_id movie_title release_year class), found 3',
    });
    // Also for a row of an item the data does not name: the whole file is checked.
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.item': `${ITEM_HEADER}\n\n99 Spaces Instead Of Tabs\n` })), {
      file: 'toy.item',
      line: 3,
      message: /expected 4 tab-separated columns/,
    });
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.item': `${ITEM_HEADER}\n\tA\t1995\tDrama\n` })), {
      file: 'toy.item',
      line: 2,
      message: 'expected an id in column 1 (item_id), found an empty field',
    });
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.item': `${ITEM_HEADER}\n10\tA\t1995\tDrama\n10\tB\t1996\tWar\n` })), {
      file: 'toy.item',
      line: 3,
      message: 'item "10" already has a row, on line 2',
    });
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.item': 'item_id:token\tprice:float\n10\tcheap\n' })), {
      file: 'toy.item',
      line: 2,
      message: 'expected a number in column 2 (price), found "cheap"',
    });
  });

  it('rejects a .item header without item_id, or untyped', async () => {
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.item': 'movie_title:token_seq\nA\n' })), {
      file: 'toy.item',
      line: 1,
      message: 'header does not declare item_id:token',
    });
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.item': 'item_id:token\tmovie_title\n10\tA\n' })), {
      file: 'toy.item',
      line: 1,
      message: /header column 2 is "movie_title"; expected name:type/,
    });
  });
});

describe('parseRecbole errors', () => {
  it('rejects a header without item_id, naming the header line', async () => {
    await expectFormatError(parseRecbole(await makeDir({ 'a.inter': 'user_id:token\trating:float\n1\t2\n' })), {
      file: 'a.inter',
      line: 1,
      message: 'header does not declare item_id:token',
    });
  });

  it('rejects a header column without a type, and ids not declared as tokens', async () => {
    await expectFormatError(parseRecbole(await makeDir({ 'a.inter': 'user_id\titem_id:token\n1\t2\n' })), {
      file: 'a.inter',
      line: 1,
      message: /header column 1 is "user_id"; expected name:type/,
    });
    await expectFormatError(parseRecbole(await makeDir({ 'a.inter': 'user_id:float\titem_id:token\n1\t2\n' })), {
      file: 'a.inter',
      line: 1,
      message: 'header declares user_id:float; expected user_id:token',
    });
  });

  it('rejects a row with the wrong column count', async () => {
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.inter': 'user_id:token\titem_id:token\n1\t2\n3\n' })), {
      file: 'toy.inter',
      line: 3,
      message: 'expected 2 tab-separated columns (user_id item_id), found 1',
    });
  });

  it('rejects a rating that is not a number', async () => {
    await expectFormatError(parseRecbole(await makeDir({ 'a.inter': 'user_id:token\titem_id:token\trating:float\n1\t2\tfive\n' })), {
      file: 'a.inter',
      line: 2,
      message: 'expected a number in column 3 (rating), found "five"',
    });
  });

  it('rejects a header with no rows, and an empty user id', async () => {
    await expectFormatError(parseRecbole(await makeDir({ 'a.inter': 'user_id:token\titem_id:token\n' })), {
      file: 'a.inter',
      message: 'has a header but no interaction rows',
    });
    await expectFormatError(parseRecbole(await makeDir({ 'a.inter': 'user_id:token\titem_id:token\n\t2\n' })), {
      file: 'a.inter',
      line: 2,
      message: 'expected an id in column 1 (user_id), found an empty field',
    });
  });

  it('rejects conflicting links', async () => {
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.link': 'item_id:token\tentity_id:token\n10\tm.a\n10\tm.z\n' })), {
      file: 'toy.link',
      line: 3,
      message: 'item "10" is already linked to entity "m.a" on line 2',
    });
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.link': 'item_id:token\tentity_id:token\n10\tm.a\n11\tm.a\n' })), {
      file: 'toy.link',
      line: 3,
      message: 'entity "m.a" is already linked to item "10" on line 2',
    });
  });

  it('rejects a .kg header without relation_id', async () => {
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'toy.kg': 'head_id:token\ttail_id:token\na\tb\n' })), {
      file: 'toy.kg',
      line: 1,
      message: 'header does not declare relation_id:token',
    });
  });

  it('rejects a directory with two .inter files', async () => {
    await expectFormatError(parseRecbole(await makeDir({ ...SMALL, 'other.inter': SMALL['toy.inter'] })), {
      file: '',
      message: 'expected one *.inter file, found 2: other.inter, toy.inter',
    });
  });
});
