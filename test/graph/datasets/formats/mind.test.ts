import { describe, expect, it } from 'vitest';

import { parseMind, parseMindTime } from '../../../../src/graph/datasets/formats/mind.js';
import { expectFormatError, useTempDirs, windowsText, withoutSourceFiles } from '../fixtures.js';

const makeDir = useTempDirs();

const news = (id: string, category: string, title: string): string =>
  [id, category, `${category}sub`, title, 'abstract', 'https://x', '[]', '[]'].join('\t');

const SMALL = {
  'behaviors.tsv': [
    '1\tU1\t11/12/2019 2:14:46 PM\tN1 N2 N1\tN3-1 N4-0 N5-0',
    '2\tU2\t11/13/2019 12:00:00 AM\t\tN3-0 N4-1',
    '3\tU1\t11/14/2019 12:30:05 PM\tN1 N2\tN4-0 N4-0 N6-1',
  ].join('\n'),
  'news.tsv': [news('N1', 'sports', 'A "quoted" title'), news('N3', 'news', 'Other'), news('N99', 'lifestyle', 'Unseen')].join('\n'),
};

describe('parseMind on small fixtures', () => {
  it('turns history, clicks and exposures into records', async () => {
    const parsed = await parseMind(await makeDir(SMALL));
    const t1 = Date.UTC(2019, 10, 12, 14, 14, 46) / 1000;
    const t2 = Date.UTC(2019, 10, 13, 0, 0, 0) / 1000;
    const t3 = Date.UTC(2019, 10, 14, 12, 30, 5) / 1000;
    expect(parsed.users).toEqual([{ userId: 'U1' }, { userId: 'U2' }]);
    expect(parsed.interactions).toEqual([
      { userId: 'U1', itemId: 'N1', split: 'train', source: 'history' },
      { userId: 'U1', itemId: 'N2', split: 'train', source: 'history' },
      { userId: 'U1', itemId: 'N3', split: null, impressionId: 1, timestamp: t1, source: 'impression' },
      { userId: 'U2', itemId: 'N4', split: null, impressionId: 2, timestamp: t2, source: 'impression' },
      { userId: 'U1', itemId: 'N6', split: null, impressionId: 3, timestamp: t3, source: 'impression' },
    ]);
    expect(parsed.exposures).toEqual([
      { userId: 'U1', itemId: 'N4', impressionId: 1, timestamp: t1, count: 1, split: null },
      { userId: 'U1', itemId: 'N5', impressionId: 1, timestamp: t1, count: 1, split: null },
      { userId: 'U2', itemId: 'N3', impressionId: 2, timestamp: t2, count: 1, split: null },
      { userId: 'U1', itemId: 'N4', impressionId: 3, timestamp: t3, count: 2, split: null },
    ]);
    // N1 twice in log 1, and N1 N2 again in log 3; N4 shown twice in log 3.
    expect(parsed.duplicates).toEqual({ interactions: 3, exposures: 1, triples: 0 });
    expect(parsed.items.map((i) => i.itemId)).toEqual(['N1', 'N2', 'N3', 'N4', 'N5', 'N6']);
    expect(parsed.items[0]?.attributes).toEqual({ category: 'sports', subCategory: 'sportssub', title: 'A "quoted" title' });
    expect(parsed.items[2]?.attributes).toEqual({ category: 'news', subCategory: 'newssub', title: 'Other' });
    expect(parsed.items.some((i) => i.itemId === 'N99')).toBe(false);
    // news.tsv only adds item properties (titles are what recommend shows).
    expect(parsed.itemAttributeFiles.map((f) => f.split('/').pop())).toEqual(['news.tsv']);
  });

  it('works without news.tsv', async () => {
    const parsed = await parseMind(await makeDir({ 'behaviors.tsv': SMALL['behaviors.tsv'] }));
    expect(parsed.items.every((i) => i.attributes === undefined)).toBe(true);
    expect(parsed.sourceFiles).toHaveLength(1);
    expect(parsed.itemAttributeFiles).toEqual([]);
  });

  it('keeps ids with quotes, braces and Cypher keywords verbatim', async () => {
    const user = '"}) DETACH DELETE n //';
    const behaviors = `7\t${user}\t1/2/2020 3:04:05 AM\t{x:1} 'q'\tRETURN-1 a-b-c-0\n`;
    const parsed = await parseMind(await makeDir({ 'behaviors.tsv': behaviors }));
    expect(parsed.users).toEqual([{ userId: user }]);
    expect(parsed.items.map((i) => i.itemId)).toEqual(['{x:1}', "'q'", 'RETURN', 'a-b-c']);
  });

  it('reads CRLF files with a BOM the same as LF files', async () => {
    const lf = await parseMind(await makeDir(SMALL));
    const windows = Object.fromEntries(Object.entries(SMALL).map(([name, text]) => [name, windowsText(text)]));
    expect(withoutSourceFiles(await parseMind(await makeDir(windows)))).toEqual(withoutSourceFiles(lf));
  });
});

describe('parseMindTime', () => {
  it('reads 12-hour times as UTC', () => {
    expect(parseMindTime('11/12/2019 2:14:46 PM')).toBe(Date.UTC(2019, 10, 12, 14, 14, 46) / 1000);
    expect(parseMindTime('1/1/2020 12:00:00 AM')).toBe(Date.UTC(2020, 0, 1, 0, 0, 0) / 1000);
    expect(parseMindTime('1/1/2020 12:59:59 PM')).toBe(Date.UTC(2020, 0, 1, 12, 59, 59) / 1000);
    expect(parseMindTime('2/29/2020 11:00:00 PM')).toBe(Date.UTC(2020, 1, 29, 23, 0, 0) / 1000);
  });
  it.each(['2019-11-12 14:14:46', '11/12/2019 14:14:46 PM', '13/1/2019 1:00:00 AM', '2/30/2019 1:00:00 AM', '11/12/2019 2:14:46', ''])(
    'rejects %j',
    (text) => expect(parseMindTime(text)).toBeUndefined(),
  );
});

describe('parseMind errors', () => {
  const dirWith = async (behaviors: string): Promise<string> => makeDir({ 'behaviors.tsv': behaviors });

  it('rejects an impression token without -0 or -1', async () => {
    await expectFormatError(parseMind(await dirWith('1\tU1\t11/12/2019 2:14:46 PM\t\tN1-1\n2\tU1\t11/12/2019 2:14:46 PM\t\tN1-1 N2-2\n')), {
      file: 'behaviors.tsv',
      line: 2,
      message: 'expected news-1 or news-0 in column 5 (impressions), found "N2-2"',
    });
    await expectFormatError(parseMind(await dirWith('1\tU1\t11/12/2019 2:14:46 PM\t\tN1\n')), {
      file: 'behaviors.tsv',
      line: 1,
      message: /found "N1"/,
    });
  });

  it('rejects a bad time, a non-integer impression id and a reused one', async () => {
    await expectFormatError(parseMind(await dirWith('1\tU1\t2019-11-12T14:14:46Z\t\tN1-1\n')), {
      file: 'behaviors.tsv',
      line: 1,
      message: /expected a time like "11\/12\/2019 2:14:46 PM" in column 3 \(time\)/,
    });
    await expectFormatError(parseMind(await dirWith('x1\tU1\t11/12/2019 2:14:46 PM\t\tN1-1\n')), {
      file: 'behaviors.tsv',
      line: 1,
      message: 'expected an integer id in column 1 (impression_id), found "x1"',
    });
    await expectFormatError(parseMind(await dirWith('1\tU1\t11/12/2019 2:14:46 PM\t\tN1-1\n1\tU2\t11/12/2019 2:14:46 PM\t\tN1-1\n')), {
      file: 'behaviors.tsv',
      line: 2,
      message: 'impression id 1 is already used on line 1',
    });
  });

  it('rejects the wrong column count in behaviors.tsv and news.tsv', async () => {
    await expectFormatError(parseMind(await dirWith('1\tU1\t11/12/2019 2:14:46 PM\tN1-1\n')), {
      file: 'behaviors.tsv',
      line: 1,
      message: 'expected 5 tab-separated columns (impression_id user time history impressions), found 4',
    });
    await expectFormatError(parseMind(await makeDir({ ...SMALL, 'news.tsv': `${news('N1', 'a', 'b')}\nN3\tnews\n` })), {
      file: 'news.tsv',
      line: 2,
      message: /expected 8 tab-separated columns \(news_id category .*\), found 2/,
    });
  });

  it('rejects an empty impressions column, a missing behaviors.tsv and binary garbage', async () => {
    await expectFormatError(parseMind(await dirWith('1\tU1\t11/12/2019 2:14:46 PM\tN1\t\n')), {
      file: 'behaviors.tsv',
      line: 1,
      message: 'column 5 (impressions) is empty',
    });
    await expectFormatError(parseMind(await makeDir({ 'news.tsv': SMALL['news.tsv'] })), {
      file: 'behaviors.tsv',
      message: 'required file is missing',
    });
    const garbage = Buffer.concat([Buffer.from(`${SMALL['behaviors.tsv']}\n`), Buffer.from([0xc3, 0x28, 0x0a])]);
    await expectFormatError(parseMind(await makeDir({ 'behaviors.tsv': garbage })), {
      file: 'behaviors.tsv',
      line: 4,
      message: /binary or non-UTF-8/,
    });
  });
});
