import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { delimiterOf, parseCsvMapping, parseTime } from '../../../src/graph/datasets/formats/csv.js';
import type { ParsedDataset } from '../../../src/graph/datasets/records.js';
import { assignSplits } from '../../../src/graph/datasets/split.js';
import { DatasetFormatError } from '../../../src/graph/errors.js';
import { MappingError, readMappingFile, type CsvMapping } from '../../../src/graph/mapping/schema.js';
import { expectFormatError, useTempDirs, windowsText } from '../datasets/fixtures.js';

const makeDir = useTempDirs();

const RATINGS_MAPPING = {
  name: 'movies-csv',
  source: 'csv',
  interactions: { file: 'ratings.csv', user: 'viewer_id', item: 'movie_id', time: 'rated_at', rating: 'stars' },
};

/** Writes the files and the mapping (map.json) into a temp dir and parses them. */
async function parseFiles(files: Record<string, string | Uint8Array>, mapping: Record<string, unknown> = RATINGS_MAPPING): Promise<ParsedDataset> {
  const dir = await makeDir({ ...files, 'map.json': JSON.stringify(mapping) });
  const path = join(dir, 'map.json');
  return parseCsvMapping(readMappingFile(path) as CsvMapping, path);
}

const interactionsOf = (parsed: ParsedDataset) => parsed.interactions.map((r) => [r.userId, r.itemId, r.rating ?? null, r.timestamp ?? null]);

describe('parseCsvMapping: fields', () => {
  it('reads quoted fields holding delimiters, quotes and line breaks, and counts lines across them', async () => {
    const parsed = await parseFiles(
      {
        'ratings.csv': [
          'viewer_id,movie_id,stars,rated_at',
          'u1,"Usual Suspects, The",4,100',
          'u1,"The ""Best"" One",5,200',
          'u2,"two',
          'lines",3,300',
          '',
          'u2, spaced ,2,400',
          'u3,"x",five,500',
        ].join('\n'),
      },
      RATINGS_MAPPING,
    ).catch((e: unknown) => e);
    // The bad row is line 8: the quoted line break and the blank line count.
    expect(parsed).toBeInstanceOf(DatasetFormatError);
    expect((parsed as Error).message).toMatch(/ratings\.csv:8: column stars: expected a number, got 'five'$/);

    const good = await parseFiles({
      'ratings.csv': ['viewer_id,movie_id,stars,rated_at', 'u1,"Usual Suspects, The",4,100', 'u1,"The ""Best"" One",5,200', 'u2,"two', 'lines",3,300', '', 'u2, spaced ,2,400'].join('\n'),
    });
    expect(interactionsOf(good)).toEqual([
      ['u1', 'Usual Suspects, The', 4, 100],
      ['u1', 'The "Best" One', 5, 200],
      ['u2', 'two\nlines', 3, 300],
      // Spaces around an unquoted field are not part of it.
      ['u2', 'spaced', 2, 400],
    ]);
    expect(good.format).toBe('csv');
    expect(good.idTypes).toEqual({ user: 'string', item: 'string', entity: 'string', relation: 'string' });
  });

  it('names file:line and the column of a malformed number', async () => {
    const rows = Array.from({ length: 15 }, (_, k) => `u${k},m${k},${(k % 5) + 1},${1000 + k}`);
    const error = await expectFormatError(
      parseFiles({ 'ratings.csv': ['viewer_id,movie_id,stars,rated_at', ...rows, 'u9,m9,five,2000'].join('\n') }),
      { file: 'ratings.csv', line: 17 },
    );
    expect(error.message.endsWith("ratings.csv:17: column stars: expected a number, got 'five'")).toBe(true);
  });

  it('detects each delimiter from the header line, and $.delimiter overrides detection', async () => {
    for (const d of [',', '\t', ';', '|']) {
      const other = d === ',' ? ';' : ',';
      const parsed = await parseFiles({
        'ratings.csv': [['viewer_id', 'movie_id', 'stars', 'rated_at'].join(d), ['u1', `a${other}b`, '4', '10'].join(d), ['u2', `"q${d}r"`, '5', '20'].join(d)].join('\n'),
      });
      expect(interactionsOf(parsed), JSON.stringify(d)).toEqual([
        ['u1', `a${other}b`, 4, 10],
        ['u2', `q${d}r`, 5, 20],
      ]);
    }
    // A header with more commas than semicolons would be read as comma-separated; the mapping says otherwise.
    const parsed = await parseFiles(
      { 'ratings.csv': 'viewer_id;movie_id;stars;rated_at;note,with,commas\nu1;m1;4;10;a,b,c\n' },
      { ...RATINGS_MAPPING, delimiter: ';' },
    );
    expect(interactionsOf(parsed)).toEqual([['u1', 'm1', 4, 10]]);
    expect(delimiterOf('a,b;c;d')).toBe(';');
    expect(delimiterOf('"a;b;c",d')).toBe(',');
    expect(delimiterOf('a\tb,c')).toBe(',');
    expect(delimiterOf('single')).toBe(',');
  });

  it('accepts a UTF-8 BOM and CRLF line ends, quoted CRLFs included', async () => {
    const parsed = await parseFiles({
      'ratings.csv': windowsText('viewer_id,movie_id,stars,rated_at\nu1,m1,4,10\nu2,"multi\nline",3,20\n\nu3,m3,x,30\n'),
    }).catch((e: unknown) => e);
    // Line 6: the quoted CRLF is one line break, not two.
    expect((parsed as Error).message).toMatch(/ratings\.csv:6: column stars: expected a number, got 'x'$/);
    const good = await parseFiles({ 'ratings.csv': windowsText('viewer_id,movie_id,stars,rated_at\nu1,m1,4,10\nu2,"multi\nline",3,20\n') });
    expect(interactionsOf(good)).toEqual([
      ['u1', 'm1', 4, 10],
      ['u2', 'multi\r\nline', 3, 20],
    ]);
  });

  it('reads times as epoch seconds or ISO-8601 date-times', async () => {
    const parsed = await parseFiles({
      'ratings.csv': [
        'viewer_id,movie_id,stars,rated_at',
        'u,a,1,881250949',
        'u,b,1,881250949.5',
        'u,c,1,2024-05-01T12:00:00Z',
        'u,d,1,2024-05-01T14:00:00+02:00',
        'u,e,1,2024-05-01 12:00:00.250',
        'u,f,1,2024-05-01',
        'u,g,1,',
      ].join('\n'),
    });
    const noon = Date.UTC(2024, 4, 1, 12) / 1000;
    expect(parsed.interactions.map((r) => r.timestamp)).toEqual([881250949, 881250949.5, noon, noon, noon + 0.25, Date.UTC(2024, 4, 1) / 1000, undefined]);
    expect(parseTime('1970-01-01T00:00:00-0130')).toBe(5400);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-05-01T24:00:00Z', 'yesterday', '05/01/2024', 'NaN', '1e999']) expect(parseTime(bad), bad).toBeUndefined();
    await expectFormatError(parseFiles({ 'ratings.csv': 'viewer_id,movie_id,stars,rated_at\nu,a,1,2023-02-29T10:00:00Z\n' }), {
      file: 'ratings.csv',
      line: 2,
      message: /column rated_at: expected epoch seconds or an ISO-8601 date-time \(e\.g\. 2024-05-01T12:00:00Z\), got '2023-02-29T10:00:00Z'/,
    });
  });
});

describe('parseCsvMapping: mistakes', () => {
  it('a missing column names the file, the column, its mapping key and the columns there are', async () => {
    await expectFormatError(parseFiles({ 'ratings.csv': 'viewer_id,movie_id,rating,rated_at\nu1,m1,4,10\n' }), {
      file: 'ratings.csv',
      line: 1,
      message: 'no column "stars" (named by $.interactions.rating); the columns are: "viewer_id", "movie_id", "rating", "rated_at"',
    });
    // A header with no delimiter at all is one column: the hint says so.
    const error = await expectFormatError(parseFiles({ 'ratings.csv': 'viewer_id movie_id stars rated_at\nu1 m1 4 10\n' }), { file: 'ratings.csv', line: 1 });
    expect(error.hint).toMatch(/one column.*\$\.delimiter/);
  });

  it('a file that does not exist names the path and the mapping key', async () => {
    const dir = await makeDir({ 'ratings.csv': 'viewer_id,movie_id,stars,rated_at\nu1,m1,4,10\n' });
    const path = join(dir, 'map.json');
    const mapping = { ...(RATINGS_MAPPING as object), kg: { file: 'kg/facts.csv', head: 'h', relation: 'r', tail: 't' } } as unknown as CsvMapping;
    const error = await parseCsvMapping({ ...mapping, split: { rule: 'random-6-2-2', seed: 1 } }, path).catch((e: unknown) => e);
    // The mapping file itself is missing first.
    expect(error).toBeInstanceOf(MappingError);
    expect((error as Error).message).toBe(`cannot read mapping ${path}: it does not exist or is not a file`);
    await writeFile(path, JSON.stringify(mapping));
    const missing = await parseCsvMapping(readMappingFile(path) as CsvMapping, path).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MappingError);
    expect((missing as Error).message).toBe(`${path}: $.kg.file: ${join(dir, 'kg', 'facts.csv')} does not exist`);
    await rm(join(dir, 'ratings.csv'));
    const first = await parseCsvMapping(readMappingFile(path) as CsvMapping, path).catch((e: unknown) => e);
    expect((first as Error).message).toBe(`${path}: $.interactions.file: ${join(dir, 'ratings.csv')} does not exist`);
  });

  it('a row with too many or too few fields, an unclosed quote, an empty id and an empty file name file:line', async () => {
    const header = 'viewer_id,movie_id,stars,rated_at';
    await expectFormatError(parseFiles({ 'ratings.csv': `${header}\nu1,m1,4,10\nu2,m2,4\n` }), {
      file: 'ratings.csv',
      line: 3,
      message: 'expected 4 columns (viewer_id, movie_id, stars, rated_at), found 3',
    });
    await expectFormatError(parseFiles({ 'ratings.csv': `${header}\nu1,m1,4,10\nu2,"m2,4,10\nu3,m3,4,10\n` }), {
      file: 'ratings.csv',
      line: 3,
      message: /a quoted field that starts on this line is never closed/,
    });
    await expectFormatError(parseFiles({ 'ratings.csv': `${header}\nu1,,4,10\n` }), { file: 'ratings.csv', line: 2, message: /column movie_id: expected an id, got an empty field$/ });
    await expectFormatError(parseFiles({ 'ratings.csv': '\n\n' }), { file: 'ratings.csv', message: /file is empty; expected a header row naming the columns viewer_id, movie_id/ });
    await expectFormatError(parseFiles({ 'ratings.csv': `${header}\n` }), { file: 'ratings.csv', message: /has a header but no interaction rows/ });
    await expectFormatError(parseFiles({ 'ratings.csv': Buffer.from(`${header}\nu1,m\xff\xfe1,4,10\n`, 'latin1') }), { file: 'ratings.csv', line: 2, message: /non-UTF-8/ });
  });
});

describe('parseCsvMapping: records', () => {
  it('folds duplicate (user, item) lines, exposures and triples, counting them; the first line wins', async () => {
    const parsed = await parseFiles(
      {
        'ratings.csv': 'viewer_id,movie_id,stars,rated_at\nu1,m1,4,10\nu1,m2,3,20\nu1,m1,1,30\n',
        'views.csv': 'viewer_id,movie_id,at\nu1,m3,5\nu1,m3,6\nu2,m3,7\nu1,m3,8\n',
        'facts.csv': 'subject,predicate,object\nm1,genre,Drama\nm1,genre,Drama\nm2,genre,Drama\n',
      },
      {
        ...RATINGS_MAPPING,
        exposures: { file: 'views.csv', user: 'viewer_id', item: 'movie_id', time: 'at' },
        kg: { file: 'facts.csv', head: 'subject', relation: 'predicate', tail: 'object' },
      },
    );
    expect(interactionsOf(parsed)).toEqual([
      ['u1', 'm1', 4, 10],
      ['u1', 'm2', 3, 20],
    ]);
    expect(parsed.exposures.map((e) => [e.userId, e.itemId, e.count, e.timestamp])).toEqual([
      ['u1', 'm3', 3, 5],
      ['u2', 'm3', 1, 7],
    ]);
    expect(parsed.triples).toHaveLength(2);
    expect(parsed.duplicates).toEqual({ interactions: 1, exposures: 2, triples: 1 });
  });

  it('minRating drops interactions rated below it before the split', async () => {
    const files = { 'ratings.csv': 'viewer_id,movie_id,stars,rated_at\nu1,m1,4,10\nu1,m2,3.5,20\nu2,m1,2,30\nu1,m3,5,40\n' };
    const mapping = { ...RATINGS_MAPPING, interactions: { ...RATINGS_MAPPING.interactions, minRating: 4 }, split: { rule: 'user-time-8-1-1', seed: 3 } };
    const parsed = await parseFiles(files, mapping);
    expect(interactionsOf(parsed)).toEqual([
      ['u1', 'm1', 4, 10],
      ['u1', 'm3', 5, 40],
    ]);
    // u2 rated only below the threshold: not a user; m2 not an item.
    expect(parsed.users.map((u) => u.userId)).toEqual(['u1']);
    expect(parsed.items.map((i) => i.itemId)).toEqual(['m1', 'm3']);
    expect(parsed.splitRule).toBe('user-time-8-1-1');
    assignSplits(parsed.splitRule, 3, parsed.interactions, parsed.exposures);
    expect(parsed.interactions.map((r) => r.split)).toEqual(['train', 'test']);
    // Every line must be rated then; and a threshold nothing meets is an error.
    await expectFormatError(parseFiles({ 'ratings.csv': 'viewer_id,movie_id,stars,rated_at\nu1,m1,4,10\nu1,m2,,20\n' }, mapping), {
      file: 'ratings.csv',
      line: 3,
      message: /column stars: no rating, and \$\.interactions\.minRating \(4\) needs one on every row/,
    });
    await expectFormatError(parseFiles(files, { ...mapping, interactions: { ...mapping.interactions, minRating: 6 } }), { file: 'ratings.csv', message: /no interaction is rated at least 6/ });
    const { rating: _none, ...unrated } = mapping.interactions;
    await expect(parseFiles(files, { ...mapping, interactions: unrated })).rejects.toThrow(/\$\.interactions\.minRating needs \$\.interactions\.rating/);
  });

  it('KG: each relation text is a relation; an entity named like an item is that item', async () => {
    const parsed = await parseFiles(
      {
        'ratings.csv': 'viewer_id,movie_id,stars,rated_at\nu1,m1,4,10\nu1,m2,3,20\nu2,m3,5,30\n',
        'facts.csv': 'subject|predicate|object\nm1|film.genre|Drama\nm2|film.genre|Drama\nDrama|genre.film|m1\nm1|sequel of|m2\nKubrick|directed|Other Film\n',
      },
      { ...RATINGS_MAPPING, kg: { file: 'facts.csv', head: 'subject', relation: 'predicate', tail: 'object' } },
    );
    expect(parsed.relations).toEqual([
      { relationId: 'film.genre', name: 'film.genre' },
      { relationId: 'genre.film', name: 'genre.film' },
      { relationId: 'sequel of', name: 'sequel of' },
      { relationId: 'directed', name: 'directed' },
    ]);
    expect(parsed.items).toEqual([{ itemId: 'm1', entityId: 'm1' }, { itemId: 'm2', entityId: 'm2' }, { itemId: 'm3' }]);
    expect(parsed.entities).toEqual(['Drama', 'Kubrick', 'Other Film']);
    expect(parsed.triples).toContainEqual({ headId: 'm1', relationId: 'sequel of', tailId: 'm2' });
    expect(parsed.relationless).toBe(false);
  });

  it('items give titles to the items the other files name; a repeated item row must agree', async () => {
    const mapping = { ...RATINGS_MAPPING, items: { file: 'movies.tsv', id: 'movie_id', title: 'title' } };
    const ratings = 'viewer_id,movie_id,stars,rated_at\nu1,m1,4,10\nu1,m2,3,20\nu1,m3,3,30\n';
    const parsed = await parseFiles({ 'ratings.csv': ratings, 'movies.tsv': 'movie_id\ttitle\tyear\nm1\t"Usual Suspects, The"\t1995\nm2\t\t1990\nm9\tNot Rated\t2000\n' }, mapping);
    expect(parsed.items).toEqual([{ itemId: 'm1', attributes: { title: 'Usual Suspects, The' } }, { itemId: 'm2' }, { itemId: 'm3' }]);
    expect(parsed.itemAttributeFiles.map((f) => f.split('/').pop())).toEqual(['movies.tsv']);
    expect(parsed.sourceFiles.map((f) => f.path.split('/').pop())).toEqual(['map.json', 'movies.tsv', 'ratings.csv']);
    await expectFormatError(parseFiles({ 'ratings.csv': ratings, 'movies.tsv': 'movie_id\ttitle\nm1\tA\nm2\tB\nm1\tC\n' }, mapping), {
      file: 'movies.tsv',
      line: 4,
      message: "column title: item 'm1' has the title 'A' on line 2, and 'C' here",
    });

    // One denormalized table: interactions and titles from the same file, which then is not a titles-only file.
    const single = await parseFiles(
      { 'ratings.csv': 'viewer_id,movie_id,stars,rated_at,title\nu1,m1,4,10,Alpha\nu2,m1,3,20,Alpha\nu2,m2,5,30,Beta\n' },
      { ...RATINGS_MAPPING, items: { file: 'ratings.csv', id: 'movie_id', title: 'title' } },
    );
    expect(single.items).toEqual([{ itemId: 'm1', attributes: { title: 'Alpha' } }, { itemId: 'm2', attributes: { title: 'Beta' } }]);
    expect(single.itemAttributeFiles).toEqual([]);
  });

  it('exposures are training data under the rules a CSV mapping can ask for', async () => {
    for (const rule of ['random-6-2-2', 'user-time-8-1-1'] as const) {
      const parsed = await parseFiles(
        { 'ratings.csv': 'viewer_id,movie_id,stars,rated_at\nu1,m1,4,10\nu1,m2,3,20\nu2,m1,5,30\n', 'views.csv': 'viewer_id,movie_id\nu1,m3\nu2,m2\n' },
        { ...RATINGS_MAPPING, exposures: { file: 'views.csv', user: 'viewer_id', item: 'movie_id' }, split: { rule, seed: 5 } },
      );
      assignSplits(parsed.splitRule, 5, parsed.interactions, parsed.exposures);
      expect(parsed.exposures.map((e) => [e.userId, e.itemId, e.split])).toEqual([
        ['u1', 'm3', 'train'],
        ['u2', 'm2', 'train'],
      ]);
      expect(parsed.items.map((i) => i.itemId)).toEqual(['m1', 'm2', 'm3']);
    }
  });
});
